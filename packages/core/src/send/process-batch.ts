import type { Recipient } from "../audience/recipient.ts";
import { ConflictError, NotFoundError } from "../errors/errors.ts";
import { mailChunk } from "./mail-chunk.ts";
import { type FileStore, issueImageKey } from "../issue/issue-files.ts";
import { TIERS, type Tier } from "../issue/issue-schema.ts";
import type { PreparedEmail, PrepareOptions } from "../render/renderer-port.ts";
import { finishIfDone } from "./finish-send.ts";
import type { MailError } from "./mail-error.ts";
import type { RetryOptions } from "./retry.ts";
import type { Send, SendBatch, SendStatus } from "./send-model.ts";
import { MAX_BULK_DESTINATIONS, type DeliveryLedger } from "./send-ports.ts";
import { domainGroupOf, effectiveLimit, type DomainGroup } from "./domain-groups.ts";
import { groupCallSize, groupDeadlineMs, type Reservation } from "./domain-pacer.ts";
import type { ProcessBatchDeps } from "./process-batch-deps.ts";

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
  const slot = await bookedSlot(batch, deps);
  if (slot === "early") return { failedEmails: [] };
  const first = await deps.sends.get(batch.sendId);
  const verdict = whatToDo(first);
  if (verdict !== "send" || !first) return { failedEmails: verdict === "redeliver" ? emails : [] };

  const stored = await deps.issues.get(first.issueId);
  if (!stored)
    throw new NotFoundError("issue.not-found", `send ${first.id} is for issue ${first.issueId}, which does not exist`);
  const quota = await deps.mailer.quota();
  // SES reports an unlimited daily quota as -1.
  let leftToday =
    quota && quota.max24HourSend >= 0 ? quota.max24HourSend - quota.sentLast24Hours : Number.POSITIVE_INFINITY;
  const people: Map<string, Recipient> = deps.recipients ? await deps.recipients.getMany(emails) : new Map();
  // Compiling a tier's template is the costly part of rendering: once per tier per call.
  const prepared = new Map<Tier, Promise<PreparedEmail>>();
  const prepare = (tier: Tier) => {
    let p = prepared.get(tier);
    if (!p)
      prepared.set(
        tier,
        (p = deps.renderer.prepare(stored.issue, tier, {
          originalPdf: stored.original !== undefined,
          ...issueImages(stored.id, deps.files),
        })),
      );
    return p;
  };
  const retry: RetryOptions = { ...deps.retry, sleep: deps.retry?.sleep ?? deps.sleep };
  const size = first.test
    ? 1
    : Math.max(1, Math.min(deps.chunkSize ?? MAX_BULK_DESTINATIONS, MAX_BULK_DESTINATIONS, deps.bucket.capacity));
  const pacing = first.test ? undefined : deps.domainPacing;
  const held: { emails: string[]; retryAt: number }[] = [];
  // A group at its limit is held back before anything of it is read: its recipients wait, unread.
  const nowMs = () => deps.clock.now().getTime();
  // A call with a booked slot goes now: its group's pace already counts it.
  const ready = pacing && !slot ? await notWaiting(emails, first, pacing, held, nowMs()) : emails;
  // The booked slot is for this batch's recipients of its group, whatever calls (tiers) they go in.
  let ownedLeft = slot ? emails.length : 0;
  const chunks = await queuedChunks(
    deps.deliveries,
    first.id,
    ready,
    size,
    pacing?.groups ?? [],
    first.throttledGroups,
  );
  const failed: string[] = [];
  const after = (i: number) => [...chunks.slice(i).flatMap((c) => c.emails), ...held.flatMap((h) => h.emails)];

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
    const group = chunks[i]!.group;
    const reserve =
      group && pacing
        ? async (n: number): Promise<Reservation> => {
            // Calls within the booked slot go on it (by its deadline); a call beyond it asks the pacer.
            if (slot && slot.group === group.name && n <= ownedLeft) {
              ownedLeft -= n;
              return { ok: true, deadline: slot.deadline };
            }
            return pacing.pacer.reserve(group, effectiveLimit(group, send.throttledGroups), n);
          }
        : undefined;
    const outcome = await mailChunk(
      { send, tier, emails: allowed, people, prepare, retry, nowMs, ...(reserve ? { reserve } : {}) },
      deps,
    );
    if (outcome.heldBack) held.push(outcome.heldBack);
    // Only markStale can have moved one meanwhile (a sender slower than the stale limit): it stays
    // "unknown" though SES may have accepted it, and is never resent either way.
    if (outcome.settlements.length > 0)
      await deps.deliveries.settle(send.id, outcome.settlements, deps.clock.now().toISOString());
    leftToday -= outcome.sent;
    failed.push(...outcome.retryLater, ...outcome.unclaimed);
    if (outcome.fatal !== undefined) throw outcome.fatal;
    const released = outcome.settlements
      .filter((x) => x.to === "queued" && !outcome.retryLater.includes(x.email))
      .map((x) => x.email);
    if (outcome.accountError) {
      await pause(deps, send.id, accountPauseReason(outcome.accountError));
      return { failedEmails: [...failed, ...released, ...after(i + 1)] };
    }
    if (allowed.length < chunk.length) {
      await pause(deps, send.id, QUOTA_PAUSE_REASON);
      return { failedEmails: [...failed, ...chunk.slice(allowed.length), ...after(i + 1)] };
    }
  }

  failed.push(...(await requeueHeld(send, held, deps)));
  if (held.length === 0) await finishIfDone(batch.sendId, deps);
  return { failedEmails: failed };
}

/**
 * The batch's addresses whose domain group can take a call now; the others are held back, with the
 * time their group will have room.
 */
async function notWaiting(
  emails: readonly string[],
  send: Send,
  pacing: NonNullable<ProcessBatchDeps["domainPacing"]>,
  held: { emails: string[]; retryAt: number }[],
  now: number,
): Promise<string[]> {
  const byGroup = new Map<DomainGroup, string[]>();
  const free: string[] = [];
  for (const e of emails) {
    const g = domainGroupOf(pacing.groups, e);
    if (g) byGroup.set(g, [...(byGroup.get(g) ?? []), e]);
    else free.push(e);
  }
  for (const [g, list] of byGroup) {
    const limit = effectiveLimit(g, send.throttledGroups);
    const at = await pacing.pacer.nextSlot(g, limit, Math.min(list.length, groupCallSize(limit)));
    if (at > now) held.push({ emails: list, retryAt: at });
    else free.push(...list);
  }
  return free;
}

/** SQS's longest message delay. */
const MAX_DELAY_SECONDS = 900;

/**
 * A batch's booked slot, if it has one still good: "early" when the batch came back before its
 * slot (it has been put back on the queue for the rest of the wait), undefined when it has none or
 * missed it (it then asks the pacer like any other batch).
 */
async function bookedSlot(
  batch: SendBatch,
  deps: ProcessBatchDeps,
): Promise<{ group: string; deadline: number } | "early" | undefined> {
  const group = batch.slot && deps.domainPacing?.groups.find((g) => g.name === batch.slot!.group);
  if (!batch.slot || !group) return undefined;
  const now = deps.clock.now().getTime();
  const deadline = batch.slot.at + groupDeadlineMs(group);
  if (now > deadline) return undefined;
  const early = batch.slot.at - now;
  // SQS delays are whole seconds: a moment early is waited out here, more goes back on the queue.
  if (early > 1_000 && deps.queue) {
    await deps.queue.enqueue([batch], { delaySeconds: Math.min(MAX_DELAY_SECONDS, Math.ceil(early / 1000)) });
    return "early";
  }
  if (early > 0) await deps.sleep(early);
  return { group: group.name, deadline };
}

/**
 * Held-back recipients go back on the queue, each call of them with a slot of its group booked up
 * to 15 minutes (SQS's longest delay) ahead and delayed until it: so they come back one by one as
 * their group has room, instead of all at once to find it taken. What lies beyond those 15 minutes
 * goes back unbooked, to return when booking opens for it (spread by up to a tenth, so a large
 * group's calls do not all ask at once). Without a queue they are handed back with the batch.
 */
async function requeueHeld(
  send: Send,
  held: { emails: string[]; retryAt: number }[],
  deps: ProcessBatchDeps,
): Promise<string[]> {
  if (held.length === 0) return [];
  if (!deps.queue) return held.flatMap((h) => h.emails);
  const random = deps.random ?? Math.random;
  const pacing = deps.domainPacing;
  const delayUntil = (at: number) =>
    Math.min(MAX_DELAY_SECONDS, Math.max(1, Math.ceil((at - deps.clock.now().getTime()) / 1000)));
  for (const h of held) {
    const group = pacing && domainGroupOf(pacing.groups, h.emails[0]!);
    if (!pacing || !group) {
      await deps.queue.enqueue([{ sendId: send.id, emails: h.emails }], { delaySeconds: delayUntil(h.retryAt) });
      continue;
    }
    const limit = effectiveLimit(group, send.throttledGroups);
    const size = groupCallSize(limit);
    let i = 0;
    for (; i < h.emails.length; i += size) {
      const call = h.emails.slice(i, i + size);
      const booked = await pacing.pacer.book(group, limit, call.length, MAX_DELAY_SECONDS * 1000);
      if (!booked.ok) {
        const wait = Math.max(0, booked.retryAt - deps.clock.now().getTime());
        await deps.queue.enqueue([{ sendId: send.id, emails: h.emails.slice(i) }], {
          delaySeconds: delayUntil(deps.clock.now().getTime() + wait * (1 + random() / 10)),
        });
        break;
      }
      await deps.queue.enqueue([{ sendId: send.id, emails: call, slot: { group: group.name, at: booked.at } }], {
        delaySeconds: delayUntil(booked.at),
      });
    }
  }
  return [];
}

/**
 * The batch's addresses still queued in the ledger, by tier (in rank order) and in chunks of
 * `size`: one SES call each, all of one (issue, tier). Addresses no longer queued (done, or held by
 * another copy of the message) are left out.
 */
async function queuedChunks(
  ledger: DeliveryLedger,
  sendId: string,
  emails: readonly string[],
  size: number,
  groups: readonly DomainGroup[],
  throttledGroups: readonly string[] | undefined,
): Promise<{ tier: Tier; group?: DomainGroup; emails: string[] }[]> {
  if (emails.length === 0) return [];
  const queued = new Map<string, Tier>();
  for (const d of await ledger.getMany(sendId, emails)) if (d.status === "queued") queued.set(d.email, d.tier);
  const out: { tier: Tier; group?: DomainGroup; emails: string[] }[] = [];
  for (const tier of TIERS) {
    // A domain group's recipients go in calls of their own (one group, one pace); the rest together.
    const byGroup = new Map<DomainGroup | undefined, string[]>();
    for (const e of emails)
      if (queued.get(e) === tier) {
        const g = domainGroupOf(groups, e);
        byGroup.set(g, [...(byGroup.get(g) ?? []), e]);
      }
    for (const [group, list] of byGroup) {
      const n = group ? Math.min(size, groupCallSize(effectiveLimit(group, throttledGroups))) : size;
      for (let i = 0; i < list.length; i += n)
        out.push({ tier, ...(group ? { group } : {}), emails: list.slice(i, i + n) });
    }
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
  return /quota|daily|24.?hour/i.test(error.message)
    ? `${QUOTA_PAUSE_REASON} (${error.message})`
    : ACCOUNT_PAUSE_PREFIX + error.message;
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
export function issueImages(
  issueId: string,
  files: Pick<FileStore, "get"> | undefined,
): Pick<PrepareOptions, "images"> {
  if (!files) return {};
  return {
    images: (src) => {
      const key = issueImageKey(issueId, src);
      return key ? files.get(key) : Promise.resolve(null);
    },
  };
}
