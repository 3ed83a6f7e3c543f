import type { Recipient } from "../audience/recipient.ts";
import type { Tier } from "../issue/issue-schema.ts";
import type { PreparedEmail } from "../render/renderer-port.ts";
import { mapLimit } from "../util/map-limit.ts";
import { AmbiguousSendError, MailError } from "./mail-error.ts";
import { buildOutgoingEmail } from "./outgoing-email.ts";
import { withRetries, type RetryOptions } from "./retry.ts";
import type { Delivery, Send } from "./send-model.ts";
import type { OutgoingEmail, Settlement } from "./send-ports.ts";
import type { ProcessBatchDeps } from "./process-batch.ts";

/** What mailing one chunk of claimed deliveries came to. */
export interface ChunkOutcome {
  /** One per claimed delivery: what it is to be settled to. */
  settlements: Settlement[];
  /** Addresses released because SES kept throttling (or failed transiently): SQS brings them back. */
  retryLater: string[];
  /** Set when SES stopped the account (paused, quota): the send is to be paused with this reason. */
  accountError?: MailError;
  /** An error that must fail the batch, thrown after the chunk is settled. */
  fatal?: unknown;
  /** Messages SES accepted. */
  sent: number;
}

export interface ChunkContext {
  send: Send;
  claimed: readonly Delivery[];
  people: ReadonlyMap<string, Recipient>;
  prepare(tier: Tier): Promise<PreparedEmail>;
  retry: RetryOptions;
  /** SES calls in flight at once (each waits for its token first). */
  parallel: number;
}

/**
 * Mails the claimed deliveries of one chunk, `parallel` SES calls at a time — on Lambda each call is
 * a round trip of several milliseconds, and one at a time could not keep up with the SES rate —
 * and says how to settle each. Every attempt (retries included) takes a token from the bucket, so
 * the account's rate holds whatever the parallelism. For a real send the copy is marked as soon as
 * SES accepts a message, before any settle: a crash after that can only lose the "sent" status,
 * never cause a second copy. Once SES stops the account, or an error means the batch must fail,
 * deliveries not yet sent are released (queued) without calling SES.
 *
 * @example
 * const outcome = await mailChunk({ send, claimed, people, prepare, retry, parallel: 4 }, deps);
 */
export async function mailChunk(ctx: ChunkContext, deps: ProcessBatchDeps): Promise<ChunkOutcome> {
  const out: ChunkOutcome = { settlements: [], retryLater: [], sent: 0 };
  const settle = (email: string, to: Settlement["to"], fields: Settlement["fields"] = {}) => out.settlements.push({ email, to, fields });
  const stopped = () => out.accountError !== undefined || out.fatal !== undefined;
  const { send } = ctx;

  await mapLimit(ctx.claimed, ctx.parallel, async (delivery) => {
    const { email, tier } = delivery;
    if (stopped()) return settle(email, "queued");
    const person = ctx.people.get(email);
    if (person && person.status !== "active") return settle(email, "failed", { reason: person.status });

    let message: OutgoingEmail;
    try {
      const links = deps.links(send.id, email, tier, send.issueId);
      const rendered = (await ctx.prepare(tier)).personalise({ email, name: person?.name ?? "", organization: person?.organization ?? "" }, links);
      message = await buildOutgoingEmail({
        issueId: send.issueId,
        sendId: send.id,
        test: send.test,
        tier,
        to: email,
        rendered,
        links,
        from: deps.from,
        unsubscribeMailto: deps.unsubscribeMailto,
        ...(deps.configurationSet === undefined ? {} : { configurationSet: deps.configurationSet }),
      });
    } catch (error) {
      // Nothing reached SES: release the delivery for a fixed sender, and let the batch fail loudly.
      out.fatal ??= error;
      return settle(email, "queued", { lastError: describe(error) });
    }

    let reachedSes = false;
    let messageId: string;
    try {
      ({ messageId } = await withRetries(async () => {
        if (stopped()) throw new StopSending();
        // The token is taken when the request is ready to go, inside the mailer (see MailerSendOptions).
        return deps.mailer.send(message, {
          ready: async () => {
            await deps.bucket.take();
            reachedSes = true;
          },
        });
      }, ctx.retry));
    } catch (error) {
      if (error instanceof StopSending) return settle(email, "queued");
      if (error instanceof AmbiguousSendError) return settle(email, "unknown", { reason: error.message, lastError: error.message });
      if (!(error instanceof MailError)) {
        out.fatal ??= error;
        // Unclassified: it may have come after SES accepted the message. Never guess "not sent".
        return reachedSes
          ? settle(email, "unknown", { reason: `unclassified error from the mailer: ${describe(error)}`, lastError: describe(error) })
          : settle(email, "queued", { lastError: describe(error) });
      }
      if (error.kind === "rejected") return settle(email, "failed", { reason: error.message, lastError: error.message });
      if (error.kind === "account") out.accountError ??= error;
      else out.retryLater.push(email); // throttled/transient with the retries used up
      return settle(email, "queued", { lastError: error.message });
    }
    out.sent++;
    if (!send.test) await deps.copies.markReceived(send.issueId, email, send.id, deps.clock.now().toISOString());
    settle(email, "sent", { sesMessageId: messageId });
  });
  return out;
}

/** Thrown inside a retry loop to stop before the next SES call; never retried (not a MailError). */
class StopSending extends Error {}

export function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
