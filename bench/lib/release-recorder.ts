import { TokenBucket } from "@bulletin/core";

/**
 * Records when the service's token buckets let each SES call go: the moment a send happens, as the
 * sender sees it, once per recipient of the call. The bucket admits a call inside the mailer right
 * before the request is written (see MailerSendOptions.ready), so this is when each call goes on the
 * wire. Benchmark-only: it wraps TokenBucket.prototype.admit for every bucket in this process.
 *
 * @example
 * const releases = recordReleases();
 * // … a paced send …
 * maxInAnySecond(releases.take());
 */
export function recordReleases() {
  let times: number[] = [];
  const admit = TokenBucket.prototype.admit;
  TokenBucket.prototype.admit = function (this: TokenBucket, n: number) {
    return admit.call(this, n).then(() => {
      const at = Date.now();
      for (let i = 0; i < n; i++) times.push(at);
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
