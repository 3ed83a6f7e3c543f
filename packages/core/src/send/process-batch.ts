import type { Recipient } from "../audience/recipient.ts";
import { ConflictError, NotFoundError } from "../errors/errors.ts";
import { mailChunk } from "./mail-chunk.ts";
import { type FileStore, issueImageKey } from "../issue/issue-files.ts";
import type { Tier } from "../issue/issue-schema.ts";
import type { PreparedEmail, PrepareOptions, RecipientLinks, Renderer } from "../render/renderer-port.ts";
import type { Clock, IssueRepo, RecipientRepo } from "../storage/ports.ts";
import { finishIfDone } from "./finish-send.ts";
import type { MailError } from "./mail-error.ts";
import type { RetryOptions } from "./retry.ts";
import type { Send, SendBatch, SendStatus } from "./send-model.ts";
import type { CopyLedger, DeliveryLedger, Mailer, SendRepo } from "./send-ports.ts";
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
  /** Addresses claimed (and settled) together; the send's status is re-read between chunks. Default 10. */
  chunkSize?: number;
  /** SES calls in flight at once within a chunk. Default 4. */
  parallel?: number;
  /**
   * When given, names and organisations for the greeting are read from it (one getMany per batch),
   * and a recipient who unsubscribed, bounced or complained since dispatch is not mailed: the
   * delivery fails with that status as its reason.
   */
  recipients?: RecipientRepo;
  /** The issues' own pictures, for an email that embeds its photos (the settings say so); else linked. */
  files?: Pick<FileStore, "get">;
}

const DEFAULT_CHUNK_SIZE = 10;
const DEFAULT_PARALLEL = 4;

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
  const prepare = (tier: Tier) => {
    let p = prepared.get(tier);
    if (!p) prepared.set(tier, (p = deps.renderer.prepare(stored.issue, tier, { originalPdf: stored.original !== undefined, ...issueImages(stored.id, deps.files) })));
    return p;
  };
  const retry: RetryOptions = { ...deps.retry, sleep: deps.retry?.sleep ?? deps.sleep };
  const chunkSize = Math.max(1, deps.chunkSize ?? DEFAULT_CHUNK_SIZE);

  let send: Send = first;
  for (let start = 0; start < emails.length; start += chunkSize) {
    const rest = () => emails.slice(start + chunkSize);
    if (start > 0) {
      const current = await deps.sends.get(batch.sendId);
      const next = whatToDo(current);
      if (next === "drop" || !current) return { failedEmails: failed };
      if (next === "redeliver") return { failedEmails: [...failed, ...emails.slice(start)] };
      send = current;
    }
    // Someone else holds the others (another copy of the message), or they are done: skipped silently.
    const claimed = await deps.deliveries.claimMany(send.id, emails.slice(start, start + chunkSize), deps.clock.now().toISOString());
    if (claimed.length === 0) continue;
    // Checked after the claim, so a batch of addresses that are all done never pauses a send.
    const allowed = claimed.slice(0, Math.max(0, Math.min(claimed.length, leftToday)));
    const overQuota = claimed.slice(allowed.length);
    const outcome = await mailChunk({ send, claimed: allowed, people, prepare, retry, parallel: deps.parallel ?? DEFAULT_PARALLEL }, deps);
    const settlements = [...outcome.settlements, ...overQuota.map((d) => ({ email: d.email, to: "queued" as const, fields: {} }))];
    // Only markStale can have moved one meanwhile (a sender slower than the stale limit): it stays
    // "unknown" though SES may have accepted it, and is never resent either way.
    await deps.deliveries.settleMany(send.id, settlements, deps.clock.now().toISOString());
    leftToday -= outcome.sent;
    failed.push(...outcome.retryLater);
    if (outcome.fatal !== undefined) throw outcome.fatal;
    const released = settlements.filter((x) => x.to === "queued" && !outcome.retryLater.includes(x.email)).map((x) => x.email);
    if (outcome.accountError) {
      await pause(deps, send.id, accountPauseReason(outcome.accountError));
      return { failedEmails: [...failed, ...released, ...rest()] };
    }
    if (overQuota.length > 0) {
      await pause(deps, send.id, QUOTA_PAUSE_REASON);
      return { failedEmails: [...failed, ...released, ...rest()] };
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

/**
 * The loader of an issue's own pictures, for PrepareOptions.images, when there is a file store.
 *
 * @example
 * await renderer.prepare(issue, "copy", { ...issueImages(id, files) });
 */
export function issueImages(issueId: string, files: Pick<FileStore, "get"> | undefined): Pick<PrepareOptions, "images"> {
  if (!files) return {};
  return {
    images: (src) => {
      const key = issueImageKey(issueId, src);
      return key ? files.get(key) : Promise.resolve(null);
    },
  };
}
