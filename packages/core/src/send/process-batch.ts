import type { Recipient } from "../audience/recipient.ts";
import { ConflictError, NotFoundError } from "../errors/errors.ts";
import { mailChunk } from "./mail-chunk.ts";
import { type FileStore, issueImageKey } from "../issue/issue-files.ts";
import { TIERS, type Tier } from "../issue/issue-schema.ts";
import type { PreparedEmail, PrepareOptions, RecipientLinks, Renderer } from "../render/renderer-port.ts";
import type { Clock, IssueRepo, RecipientRepo } from "../storage/ports.ts";
import { finishIfDone } from "./finish-send.ts";
import type { MailError } from "./mail-error.ts";
import type { RetryOptions } from "./retry.ts";
import type { Send, SendBatch, SendStatus } from "./send-model.ts";
import { MAX_BULK_DESTINATIONS, type DeliveryLedger, type Mailer, type SendRepo } from "./send-ports.ts";
import type { RateLimiter } from "./token-bucket.ts";

export interface ProcessBatchDeps {
  sends: SendRepo;
  issues: IssueRepo;
  deliveries: DeliveryLedger;
  renderer: Renderer;
  mailer: Mailer;
  /** Paces the SES calls: a call of n recipients takes n (a TokenBucket). */
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
   * Recipients per SES call (SendBulkEmail takes 50 at most); never more than the rate allows in
   * one second (`bucket.capacity`). Default 50. A test send mails one address per call.
   */
  chunkSize?: number;
  /**
   * When given, names and organisations for the greeting are read from it (one getMany per batch),
   * and a recipient who unsubscribed, bounced or complained since dispatch is not mailed: the
   * delivery fails with that status as its reason.
   */
  recipients?: RecipientRepo;
  /** The issues' own pictures, for an email that embeds its photos (the settings say so); else linked. */
  files?: Pick<FileStore, "get">;
  /**
   * True once the process is stopping (SIGTERM): nothing more is claimed, and what the batch has
   * not claimed goes back to the queue. Calls already on the wire finish and are settled.
   */
  stopping?: () => boolean;
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
 * The batch's deliveries still queued are read (one consistent read), grouped by tier, and mailed a
 * chunk of up to 50 (one SendBulkEmail) at a time, while the send is "sending" (or "dispatching":
 * its batches can arrive before the dispatcher's last step; or "finished": retry-failed re-queues
 * before it re-opens the send). Each chunk (mail-chunk.ts) waits for its turn at the rate, then
 * claims its deliveries in one transaction, makes its call, and settles them in another: a claim
 * that finds a delivery no longer queued (another copy of the message has it, or it is done) leaves
 * it out. So nothing is "sending" but the calls on the wire, and a crash leaves only those unknown.
 *
 * A paused send leaves its addresses queued and returns them in failedEmails (SQS redelivers them;
 * resume also re-enqueues them). A cancelled send returns nothing: its deliveries stay queued and
 * its messages are dropped. The send's status is re-read before each chunk, so a pause or cancel
 * takes effect within one call. Before sending, the account's daily quota is checked (once per
 * batch, then counted down locally): when it is used up the send is paused with that reason
 * instead of failing recipients. After the batch, the send finishes if nothing is queued or sending.
 *
 * @example
 * const { failedEmails } = await processBatch(batch, { sends, issues, deliveries, renderer, mailer, bucket, clock, sleep, links, from, unsubscribeMailto });
 */
export async function processBatch(batch: SendBatch, deps: ProcessBatchDeps): Promise<BatchResult> {
  const emails = [...new Set(batch.emails)];
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
  const size = first.test ? 1 : Math.max(1, Math.min(deps.chunkSize ?? MAX_BULK_DESTINATIONS, MAX_BULK_DESTINATIONS, deps.bucket.capacity));
  const chunks = await queuedChunks(deps.deliveries, first.id, emails, size);
  const failed: string[] = [];
  const after = (i: number) => chunks.slice(i).flatMap((c) => c.emails);

  let send: Send = first;
  for (let i = 0; i < chunks.length; i++) {
    const { tier, emails: chunk } = chunks[i]!;
    if (deps.stopping?.()) return { failedEmails: [...failed, ...after(i)] };
    if (i > 0) {
      const current = await deps.sends.get(batch.sendId);
      const next = whatToDo(current);
      if (next === "drop" || !current) return { failedEmails: failed };
      if (next === "redeliver") return { failedEmails: [...failed, ...after(i)] };
      send = current;
    }
    const allowed = chunk.slice(0, Math.max(0, Math.min(chunk.length, leftToday)));
    if (allowed.length === 0) {
      await pause(deps, send.id, QUOTA_PAUSE_REASON);
      return { failedEmails: [...failed, ...after(i)] };
    }
    const outcome = await mailChunk({ send, tier, emails: allowed, people, prepare, retry }, deps);
    // Only markStale can have moved one meanwhile (a sender slower than the stale limit): it stays
    // "unknown" though SES may have accepted it, and is never resent either way.
    if (outcome.settlements.length > 0) await deps.deliveries.settle(send.id, outcome.settlements, deps.clock.now().toISOString());
    leftToday -= outcome.sent;
    failed.push(...outcome.retryLater, ...outcome.unclaimed);
    if (outcome.fatal !== undefined) throw outcome.fatal;
    const released = outcome.settlements.filter((x) => x.to === "queued" && !outcome.retryLater.includes(x.email)).map((x) => x.email);
    if (outcome.accountError) {
      await pause(deps, send.id, accountPauseReason(outcome.accountError));
      return { failedEmails: [...failed, ...released, ...after(i + 1)] };
    }
    if (allowed.length < chunk.length) {
      await pause(deps, send.id, QUOTA_PAUSE_REASON);
      return { failedEmails: [...failed, ...chunk.slice(allowed.length), ...after(i + 1)] };
    }
  }

  await finishIfDone(batch.sendId, deps);
  return { failedEmails: failed };
}

/**
 * The batch's addresses still queued in the ledger, by tier (in rank order) and in chunks of
 * `size`: one SES call each, all of one (issue, tier). Addresses no longer queued (done, or held by
 * another copy of the message) are left out.
 */
async function queuedChunks(ledger: DeliveryLedger, sendId: string, emails: readonly string[], size: number): Promise<{ tier: Tier; emails: string[] }[]> {
  const queued = new Map<string, Tier>();
  for (const d of await ledger.getMany(sendId, emails)) if (d.status === "queued") queued.set(d.email, d.tier);
  const out: { tier: Tier; emails: string[] }[] = [];
  for (const tier of TIERS) {
    const ofTier = emails.filter((e) => queued.get(e) === tier);
    for (let i = 0; i < ofTier.length; i += size) out.push({ tier, emails: ofTier.slice(i, i + size) });
  }
  return out;
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
