import { fromHeader } from "./from-header.ts";
import type { Recipient } from "../audience/recipient.ts";
import type { Tier } from "../issue/issue-schema.ts";
import type { PreparedEmail } from "../render/renderer-port.ts";
import { AmbiguousSendError, MailError } from "./mail-error.ts";
import { buildBulkEntry, buildOutgoingEmail } from "./outgoing-email.ts";
import { DEFAULT_RETRY, retryDelay, type RetryOptions } from "./retry.ts";
import type { Send } from "./send-model.ts";
import type { BulkEntry, BulkEntryResult, Settlement } from "./send-ports.ts";
import type { ProcessBatchDeps } from "./process-batch-deps.ts";
import type { Reservation } from "./domain-pacer.ts";

/** A domain group's call that was not on the wire by its reservation's deadline: it does not go. */
export class GroupDeadlineMissed extends Error {
  constructor() {
    super("the call missed its domain group's deadline: not sent, held back");
  }
}

/** What mailing one chunk came to. */
export interface ChunkOutcome {
  /** One per claimed delivery: what it is to be settled to. */
  settlements: Settlement[];
  /** Addresses never claimed (the sender is stopping): still queued, for the queue to bring back. */
  unclaimed: string[];
  /** Addresses released because SES kept throttling (or failing transiently): SQS brings them back. */
  retryLater: string[];
  /** Addresses of a domain group at its limit: never sent by this chunk, still queued, for `retryAt` (ms). */
  heldBack?: { emails: string[]; retryAt: number };
  /** Set when SES stopped the account (paused, quota): the send is to be paused with this reason. */
  accountError?: MailError;
  /** An error that must fail the batch, thrown after the chunk is settled. */
  fatal?: unknown;
  /** Messages SES accepted. */
  sent: number;
}

export interface ChunkContext {
  send: Send;
  tier: Tier;
  /** Queued addresses of `tier`, at most what one call may carry. */
  emails: readonly string[];
  people: ReadonlyMap<string, Recipient>;
  prepare(tier: Tier): Promise<PreparedEmail>;
  retry: RetryOptions;
  /**
   * For a chunk of a domain group: takes the group's slot for a call of n, right after the call's
   * turn at the account's rate (DomainPacer.reserve). Not granted: the chunk is held back for later.
   */
  reserve?: (n: number) => Promise<Reservation>;
  /** The clock of the reservations' deadlines (ms). */
  nowMs?: () => number;
}

/**
 * Mails one chunk of a send's queued addresses of one tier in one SES call (SendBulkEmail; a test
 * send, one SendEmail per address), exactly once, with the unknown window as small as the wire:
 *
 * 1. the chunk waits for its turn at the rate (`bucket.pace`), and only then
 * 2. claims its deliveries (queued → sending, one transaction): a crash before this point leaves
 *    them queued, never "unknown";
 * 3. the call goes once `bucket.admit` lets it (right before the wire, inside the mailer), which
 *    ends its turn: no other call claims anything while this one is claimed and not yet sent;
 * 4. every entry's answer says how to settle it: SES's message id → sent; "rejected" → failed with
 *    SES's reason; "throttled"/"transient" → tried again for just those entries, with backoff and
 *    tokens of their own, then released (queued) for SQS to bring back; "account" → released and
 *    the send paused. A call without an answer (a reset or timeout after the request went) leaves
 *    every entry of it unknown: SES may have accepted them, and they are never resent by themselves.
 *
 * A recipient who unsubscribed, bounced or complained since dispatch is not mailed: failed, with
 * that status as the reason. When `deps.stopping()` turns true while the chunk waits for its turn,
 * it claims nothing and hands its addresses back.
 *
 * @example
 * const outcome = await mailChunk({ send, tier: "report", emails, people, prepare, retry }, deps);
 */
export async function mailChunk(ctx: ChunkContext, deps: ProcessBatchDeps): Promise<ChunkOutcome> {
  const out: ChunkOutcome = { settlements: [], unclaimed: [], retryLater: [], sent: 0 };
  const { send, tier } = ctx;
  const now = ctx.nowMs ?? (() => deps.clock.now().getTime());
  await deps.bucket.pace(ctx.emails.length);
  if (deps.stopping?.()) {
    deps.bucket.yieldTurn();
    out.unclaimed.push(...ctx.emails);
    return out;
  }
  // A domain group's slot is taken inside the turn, so the call is on the wire soon after.
  let deadline = Number.POSITIVE_INFINITY;
  if (ctx.reserve) {
    const r = await ctx.reserve(ctx.emails.length).catch((error: unknown) => {
      deps.bucket.yieldTurn();
      throw error;
    });
    if (!r.ok) {
      deps.bucket.yieldTurn();
      out.heldBack = { emails: [...ctx.emails], retryAt: r.retryAt };
      return out;
    }
    deadline = r.deadline;
  }
  let claimed: string[];
  try {
    claimed = await deps.deliveries.claim(send.id, tier, ctx.emails, deps.clock.now().toISOString());
  } catch (error) {
    deps.bucket.yieldTurn();
    throw error;
  }
  if (claimed.length === 0) {
    deps.bucket.yieldTurn();
    return out;
  }
  const settle = (d: { email: string }, to: Settlement["to"], fields: Settlement["fields"] = {}) =>
    out.settlements.push({ email: d.email, tier, to, fields });

  let pending: BulkEntry[];
  let prepared: PreparedEmail;
  try {
    prepared = await ctx.prepare(tier);
    pending = [];
    for (const email of claimed) {
      const person = ctx.people.get(email);
      if (person && person.status !== "active") {
        settle({ email }, "failed", { reason: person.status });
        continue;
      }
      const links = deps.links(send.id, email, tier, send.issueId);
      const values = prepared.slotValues(
        { email, name: person?.name ?? "", organization: person?.organization ?? "" },
        links,
      );
      pending.push(
        await buildBulkEntry({
          issueId: send.issueId,
          sendId: send.id,
          tier,
          to: email,
          values,
          links,
          unsubscribeMailto: deps.unsubscribeMailto,
        }),
      );
    }
  } catch (error) {
    // Nothing reached SES: release the chunk for a fixed sender, and let the batch fail loudly.
    deps.bucket.yieldTurn();
    out.fatal = error;
    for (const email of claimed)
      if (!out.settlements.some((s) => s.email === email)) settle({ email }, "queued", { lastError: describe(error) });
    return out;
  }

  // Everyone claimed had left the list since dispatch: no call, so the turn ends here.
  if (pending.length === 0) deps.bucket.yieldTurn();
  const call = callFor(ctx, deps, prepared);
  const attempts = ctx.retry.attempts ?? DEFAULT_RETRY.attempts;
  for (let attempt = 1; pending.length > 0; attempt++) {
    if (attempt > 1) {
      await ctx.retry.sleep(retryDelay(attempt - 1, ctx.retry));
      await deps.bucket.pace(pending.length);
      if (ctx.reserve) {
        const r = await ctx.reserve(pending.length).catch(() => ({ ok: false as const, retryAt: now() + 1_000 }));
        if (!r.ok) {
          deps.bucket.yieldTurn();
          holdBack(pending, r.retryAt);
          continue;
        }
        deadline = r.deadline;
      }
    }
    let reachedSes = false;
    let admitted = false;
    const entries = pending;
    let results: BulkEntryResult[];
    try {
      results = await call(entries, async () => {
        await deps.bucket.admit(entries.length);
        admitted = true;
        if (now() > deadline) throw new GroupDeadlineMissed();
        reachedSes = true;
      });
    } catch (error) {
      // Admitted calls ended their turn; one that failed before the wire ends it here.
      if (!reachedSes && !admitted) deps.bucket.yieldTurn();
      pending = [];
      if (error instanceof GroupDeadlineMissed) {
        holdBack(entries, now());
      } else if (error instanceof AmbiguousSendError) {
        for (const e of entries)
          settle({ email: e.to }, "unknown", { reason: error.message, lastError: error.message });
      } else if (!(error instanceof MailError)) {
        out.fatal ??= error;
        // Unclassified: it may have come after SES accepted the messages. Never guess "not sent".
        for (const e of entries) {
          if (reachedSes)
            settle({ email: e.to }, "unknown", {
              reason: `unclassified error from the mailer: ${describe(error)}`,
              lastError: describe(error),
            });
          else settle({ email: e.to }, "queued", { lastError: describe(error) });
        }
      } else if (error.kind === "rejected") {
        for (const e of entries) settle({ email: e.to }, "failed", { reason: error.message, lastError: error.message });
      } else if (error.kind === "account") {
        out.accountError ??= error;
        for (const e of entries) settle({ email: e.to }, "queued", { lastError: error.message });
      } else {
        pending = entries; // throttled or transient: the whole call again
        if (attempt >= attempts) giveUp(entries, error.message);
      }
      continue;
    }
    const again: BulkEntry[] = [];
    results.forEach((r, i) => {
      const entry = entries[i]!;
      if ("messageId" in r) {
        out.sent++;
        settle({ email: entry.to }, "sent", { sesMessageId: r.messageId });
      } else if (r.error.kind === "rejected")
        settle({ email: entry.to }, "failed", { reason: r.error.message, lastError: r.error.message });
      else if (r.error.kind === "account") {
        out.accountError ??= r.error;
        settle({ email: entry.to }, "queued", { lastError: r.error.message });
      } else if (attempt >= attempts) giveUp([entry], r.error.message);
      else again.push(entry);
    });
    // Once SES stops the account, nothing more is tried.
    pending = out.accountError ? [] : again;
    if (out.accountError) for (const e of again) settle({ email: e.to }, "queued", {});
  }
  return out;

  /** Claimed, never sent: released (queued) and held back for the group's next slot. */
  function holdBack(entries: BulkEntry[], retryAt: number): void {
    for (const e of entries) settle({ email: e.to }, "queued", {});
    out.heldBack = {
      emails: [...(out.heldBack?.emails ?? []), ...entries.map((e) => e.to)],
      retryAt: Math.max(retryAt, out.heldBack?.retryAt ?? 0),
    };
    pending = [];
  }

  function giveUp(entries: BulkEntry[], why: string): void {
    for (const e of entries) {
      settle({ email: e.to }, "queued", { lastError: why });
      out.retryLater.push(e.to);
    }
    pending = [];
  }
}

/**
 * The SES call for this send: one SendBulkEmail for the chunk, or for a test send (one address at a
 * time, its subject marked [测试]) a SendEmail, whose thrown error stands for its one entry.
 */
function callFor(ctx: ChunkContext, deps: ProcessBatchDeps, prepared: PreparedEmail) {
  const { send, tier } = ctx;
  const configurationSet = deps.configurationSet === undefined ? {} : { configurationSet: deps.configurationSet };
  return async (entries: BulkEntry[], ready: () => Promise<void>): Promise<BulkEntryResult[]> => {
    if (!send.test) {
      const template = prepared.template();
      return deps.mailer.sendBulk(
        { ...template, from: fromHeader(template.senderName, deps.from), ...configurationSet, entries },
        { ready },
      );
    }
    const results: BulkEntryResult[] = [];
    for (const entry of entries) {
      const person = ctx.people.get(entry.to);
      const links = deps.links(send.id, entry.to, tier, send.issueId);
      const rendered = prepared.personalise(
        { email: entry.to, name: person?.name ?? "", organization: person?.organization ?? "" },
        links,
      );
      const message = await buildOutgoingEmail({
        issueId: send.issueId,
        sendId: send.id,
        test: true,
        tier,
        to: entry.to,
        rendered,
        links,
        from: deps.from,
        unsubscribeMailto: deps.unsubscribeMailto,
        ...configurationSet,
      });
      results.push({ to: entry.to, ...(await deps.mailer.send(message, { ready })) });
    }
    return results;
  };
}

export function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
