import type { Recipient } from "../audience/recipient.ts";
import { ConflictError, NotFoundError } from "../errors/errors.ts";
import type { Tier } from "../issue/issue-schema.ts";
import type { PreparedEmail, RecipientLinks, Renderer } from "../render/renderer-port.ts";
import type { Clock, IssueRepo, RecipientRepo } from "../storage/ports.ts";
import { finishIfDone } from "./finish-send.ts";
import { AmbiguousSendError, MailError } from "./mail-error.ts";
import { buildOutgoingEmail } from "./outgoing-email.ts";
import { withRetries, type RetryOptions } from "./retry.ts";
import type { Delivery, Send, SendBatch, SendStatus } from "./send-model.ts";
import type { CopyLedger, DeliveryLedger, Mailer, OutgoingEmail, SendRepo } from "./send-ports.ts";
import type { RateLimiter } from "./token-bucket.ts";

export interface ProcessBatchDeps {
  sends: SendRepo;
  issues: IssueRepo;
  deliveries: DeliveryLedger;
  copies: CopyLedger;
  renderer: Renderer;
  mailer: Mailer;
  /** One permit per SES call, retries included (a TokenBucket). */
  bucket: RateLimiter;
  clock: Clock;
  /** For the retry backoff (the bucket has its own). */
  sleep: (ms: number) => Promise<void>;
  links: (sendId: string, email: string, tier: Tier, issueId: string) => RecipientLinks;
  from: string;
  /** The mailbox of the List-Unsubscribe mailto: link, e.g. "unsubscribe@bulletin.example.org". */
  unsubscribeMailto: string;
  configurationSet?: string;
  /** Backoff settings; `sleep` defaults to deps.sleep. */
  retry?: Partial<RetryOptions>;
  /**
   * When given, names and organisations for the greeting are read from it (one getMany per batch),
   * and a recipient who unsubscribed, bounced or complained since dispatch is not mailed: the
   * delivery fails with that status as its reason.
   */
  recipients?: RecipientRepo;
}

export interface BatchResult {
  /** Addresses the queue should deliver again later (SQS partial batch response). */
  failedEmails: string[];
}

/** The words a secretariat sees on a send paused by the service. */
export const QUOTA_PAUSE_REASON = "the daily sending quota is reached";
export const ACCOUNT_PAUSE_PREFIX = "SES paused sending for the account: ";

/**
 * The sender: mails one queue batch, each address exactly once across redeliveries and crashes.
 *
 * For each address, while the send is "sending" (or "dispatching": its batches can arrive before
 * the dispatcher's last step; or "finished": retry-failed re-queues before it re-opens the send):
 *
 * 1. claim the delivery (queued → sending, conditional). A ConflictError means another copy of the
 *    message has it, or it is done: skip silently. This claim is what makes redelivery and
 *    duplicate enqueues safe.
 * 2. render (prepare once per tier per batch, personalise per recipient), take a token, and send
 *    with retries for "throttled"/"transient".
 * 3. settle: sent (with the SES message id; for a real send the copy is marked *before* the settle,
 *    so a crash in between can only lose the "sent" status, never cause a second copy later);
 *    "rejected" → failed with the reason; retries exhausted → back to queued and into failedEmails
 *    for a later redelivery; "account" → back to queued, the send paused with a reason, and the
 *    rest of the batch into failedEmails.
 *
 * The unknown window: between the claim and the settle the delivery is "sending". If the sender
 * dies there, nobody can tell whether SES accepted the message, so the delivery stays "sending";
 * a redelivered batch cannot claim it, and `recoverStale` (DeliveryLedger.markStale) later turns it
 * into "unknown" — reported, never resent automatically. An error from the mailer that is not a
 * MailError is treated the same way (settled "unknown" at once), since it may have come after SES
 * accepted the message; errors before the SES call release the delivery instead.
 *
 * A paused send leaves its addresses queued and returns them in failedEmails (SQS redelivers them;
 * resume also re-enqueues them). A cancelled send returns nothing: its deliveries stay queued and
 * its messages are dropped. The send's status is re-read before each address, so a pause or cancel
 * takes effect within one message. Before sending, the account's daily quota is checked (once per
 * batch, then counted down locally): when it is used up the send is paused with that reason
 * instead of failing recipients. After the batch, the send finishes if nothing is queued or sending.
 *
 * @example
 * const { failedEmails } = await processBatch(batch, { sends, issues, deliveries, copies, renderer, mailer, bucket, clock, sleep, links, from, unsubscribeMailto });
 */
export async function processBatch(batch: SendBatch, deps: ProcessBatchDeps): Promise<BatchResult> {
  const emails = [...new Set(batch.emails)];
  const failed: string[] = [];
  const first = await deps.sends.get(batch.sendId);
  const verdict = whatToDo(first);
  if (verdict !== "send" || !first) return { failedEmails: verdict === "redeliver" ? emails : [] };

  const stored = await deps.issues.get(first.issueId);
  if (!stored) throw new NotFoundError("issue.not-found", `send ${first.id} is for issue ${first.issueId}, which does not exist`);
  const quota = await deps.mailer.quota();
  // SES reports an unlimited daily quota as -1.
  let leftToday = quota && quota.max24HourSend >= 0 ? quota.max24HourSend - quota.sentLast24Hours : Number.POSITIVE_INFINITY;
  const people: Map<string, Recipient> = deps.recipients ? await deps.recipients.getMany(emails) : new Map();
  // Compiling a tier's template is the costly part of rendering: once per tier per call.
  const prepared = new Map<Tier, Promise<PreparedEmail>>();
  const retry: RetryOptions = { ...deps.retry, sleep: deps.retry?.sleep ?? deps.sleep };

  let send: Send = first;
  for (let i = 0; i < emails.length; i++) {
    const email = emails[i] as string;
    if (i > 0) {
      const current = await deps.sends.get(batch.sendId);
      const next = whatToDo(current);
      if (next === "drop" || !current) return { failedEmails: failed };
      if (next === "redeliver") return { failedEmails: [...failed, ...emails.slice(i)] };
      send = current;
    }
    let delivery: Delivery;
    try {
      delivery = await deps.deliveries.claim(send.id, email, deps.clock.now().toISOString());
    } catch (error) {
      if (error instanceof ConflictError) continue; // someone else has it, or it is done
      throw error;
    }
    const { tier } = delivery;
    const settle = (to: "sent" | "failed" | "unknown" | "queued", fields: { sesMessageId?: string; reason?: string; lastError?: string }) =>
      deps.deliveries.settle(send.id, email, to, fields, deps.clock.now().toISOString());

    // Checked after the claim, so a batch of addresses that are all done never pauses a send.
    if (leftToday < 1) {
      await settle("queued", {});
      await pause(deps, send.id, QUOTA_PAUSE_REASON);
      return { failedEmails: [...failed, ...emails.slice(i)] };
    }

    const person = people.get(email);
    if (person && person.status !== "active") {
      await settle("failed", { reason: person.status });
      continue;
    }

    let message: OutgoingEmail;
    let reachedSes = false;
    try {
      let tierEmail = prepared.get(tier);
      if (!tierEmail) prepared.set(tier, (tierEmail = deps.renderer.prepare(stored.issue, tier)));
      const links = deps.links(send.id, email, tier, send.issueId);
      const rendered = (await tierEmail).personalise({ email, name: person?.name ?? "", organization: person?.organization ?? "" }, links);
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
      await settle("queued", { lastError: describe(error) });
      throw error;
    }

    let messageId: string;
    try {
      ({ messageId } = await withRetries(async () => {
        // Every call counts against the SES rate, retries included, so each takes a token.
        await deps.bucket.take();
        reachedSes = true;
        return deps.mailer.send(message);
      }, retry));
    } catch (error) {
      if (error instanceof AmbiguousSendError) {
        // SES may have accepted it: record "unknown" (never resent by itself) and go on with the batch.
        await settle("unknown", { reason: error.message, lastError: error.message });
        continue;
      }
      if (!(error instanceof MailError)) {
        if (!reachedSes) {
          await settle("queued", { lastError: describe(error) });
        } else {
          // Unclassified: it may have come after SES accepted the message. Never guess "not sent".
          await settle("unknown", { reason: `unclassified error from the mailer: ${describe(error)}`, lastError: describe(error) });
        }
        throw error;
      }
      if (error.kind === "rejected") {
        await settle("failed", { reason: error.message, lastError: error.message });
        continue;
      }
      await settle("queued", { lastError: error.message });
      if (error.kind === "account") {
        await pause(deps, send.id, accountPauseReason(error));
        return { failedEmails: [...failed, ...emails.slice(i)] };
      }
      failed.push(email); // throttled/transient with the retries used up: SQS brings it back later
      continue;
    }

    leftToday--;
    const at = deps.clock.now().toISOString();
    if (!send.test) await deps.copies.markReceived(send.issueId, email, send.id, at);
    try {
      await deps.deliveries.settle(send.id, email, "sent", { sesMessageId: messageId }, at);
    } catch (error) {
      // Only markStale can have moved it (a sender slower than the stale limit): the delivery is
      // "unknown" though SES accepted it. Leave it so; it is never resent either way.
      if (!(error instanceof ConflictError)) throw error;
    }
  }

  await finishIfDone(batch.sendId, deps);
  return { failedEmails: failed };
}

/**
 * The pause reason for an "account" MailError: the quota in plain words, or SES's own message.
 *
 * @example
 * accountPauseReason(new MailError("account", "Daily message quota exceeded.")); // "the daily sending quota is reached (Daily message quota exceeded.)"
 */
export function accountPauseReason(error: MailError): string {
  // The adapter classifies quota, pause and disabled sending all as "account"; only the text tells them apart.
  return /quota|daily|24.?hour/i.test(error.message) ? `${QUOTA_PAUSE_REASON} (${error.message})` : ACCOUNT_PAUSE_PREFIX + error.message;
}

/** send: go on; redeliver: not now (paused, not yet dispatched); drop: never (cancelled, gone). */
function whatToDo(send: Send | null): "send" | "redeliver" | "drop" {
  if (!send) return "drop";
  const actions: Record<SendStatus, "send" | "redeliver" | "drop"> = {
    scheduled: "redeliver",
    dispatching: "send",
    sending: "send",
    finished: "send",
    paused: "redeliver",
    cancelled: "drop",
  };
  return actions[send.status];
}

async function pause(deps: ProcessBatchDeps, sendId: string, pauseReason: string): Promise<void> {
  try {
    await deps.sends.transition(sendId, ["sending", "dispatching"], "paused", { pauseReason });
  } catch (error) {
    // Already paused (another sender hit the same wall first) or cancelled: nothing to add.
    if (!(error instanceof ConflictError)) throw error;
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
