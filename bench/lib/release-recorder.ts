import { TokenBucket } from "../../packages/core/src/index.ts";

/**
 * Records when the service's token buckets let each SES call go: the moment a send happens, as the
 * sender sees it. The bucket is taken inside the mailer right before the request is written (see
 * MailerSendOptions.ready), so this is when each call goes on the wire. Benchmark-only: it wraps
 * TokenBucket.prototype.take for every bucket in this process.
 *
 * @example
 * const releases = recordReleases();
 * // … a paced send …
 * maxInAnySecond(releases.take());
 */
export function recordReleases() {
  let times: number[] = [];
  const take = TokenBucket.prototype.take;
  TokenBucket.prototype.take = function (this: TokenBucket) {
    return take.call(this).then(() => {
      times.push(Date.now());
    });
  };
  return {
    /** The release times (ms) since the last call, and starts afresh. */
    take(): number[] {
      const out = times;
      times = [];
      return out;
    },
  };
}
