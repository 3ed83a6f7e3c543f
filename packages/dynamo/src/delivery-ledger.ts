import { GetCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { ConflictError, DELIVERY_STATUSES, InvalidInputError, NotFoundError, SETTLE_STATUSES, TIERS, emptyTotals } from "@bulletin/core";
import type { ApplyOutcome, Delivery, DeliveryEvents, DeliveryLedger, DeliveryStatus, Engagement, SettleFields, Settlement, SettleStatus, EngagementKind, Page, PageQuery, Tier, Totals } from "@bulletin/core";
import { chunk, mapLimit } from "./concurrency.ts";
import { addChunk } from "./add-journal.ts";
import { CounterBook, type CounterStepHook } from "./counter-book.ts";
import { repairSendCounters, type CounterRepairReport } from "./counter-repair.ts";
import { applyDeliveryEvent, engageDelivery, readEngagement } from "./delivery-events.ts";
import { listDeliveries } from "./delivery-list.ts";
import { transitionDelivery, transitionMany, type TransitionContext, type TransitionSpec } from "./delivery-transition.ts";
import { readCounterItems } from "./counter-items.ts";
import { callDynamo } from "./errors.ts";
import { deliveryKeys } from "./keys.ts";
import { queryAll } from "./query-all.ts";
import type { DynamoRepoOptions } from "./repo-options.ts";
import { isTier, toDelivery } from "./send-item.ts";

/** The reason a delivery gets when markStale gives up on it. */
export const STALE_REASON = "no answer from the sender (it may have crashed between claiming and recording); not resent";
/** Default lease on a counter marker: the longest a Lambda can live, so its owner is surely gone. */
export const DEFAULT_COUNTER_LEASE_MS = 15 * 60_000;

export interface DeliveryLedgerOptions extends DynamoRepoOptions {
  /** How long a counter marker belongs to the process that wrote it. Default 15 minutes. */
  counterLeaseMs?: number;
  /** Milliseconds since the epoch, for the lease only (stored timestamps come from callers). */
  clock?: () => number;
  /** Tests only: called after steps 1–3 of the counter protocol; throwing simulates a crash. */
  afterCounterStep?: CounterStepHook;
}

// A chunk's journal lists its entries: 100 addresses stay far below the item size limit.
const ADD_CHUNK = 100;

/**
 * Deliveries (`SEND#<sendId>`/`DLV#<email>`) and their per-tier counters (`SEND#<sendId>`/
 * `COUNT#<tier>`), moved together exactly once per transition without transactions
 * (docs/data-model.md). totals() reads three small counter items, whatever the size of the send.
 *
 * @example
 * const ledger = new DynamoDeliveryLedger({ client, tableName: "bulletin" });
 * await ledger.add(deliveries);
 * const d = await ledger.claim(sendId, email, clock.now()); // ConflictError if someone else has it
 * await ledger.settle(sendId, email, "sent", { sesMessageId }, clock.now());
 */
export class DynamoDeliveryLedger implements DeliveryLedger, DeliveryEvents {
  private readonly client: DynamoDBDocumentClient;
  private readonly tableName: string;
  private readonly ctx: TransitionContext;

  constructor(opts: DeliveryLedgerOptions) {
    this.client = opts.client;
    this.tableName = opts.tableName;
    const leaseMs = opts.counterLeaseMs ?? DEFAULT_COUNTER_LEASE_MS;
    const clock = opts.clock ?? Date.now;
    const book = new CounterBook({ client: opts.client, tableName: opts.tableName, leaseMs, clock, afterStep: opts.afterCounterStep });
    this.ctx = { client: opts.client, tableName: opts.tableName, book, leaseMs, clock };
  }

  /**
   * Each delivery is a Put with `attribute_not_exists`, so an existing one is left as it is, and
   * only the ones actually written are counted: a repeated add counts nothing. Chunks of 100 run in
   * parallel, each under an add journal (add-journal.ts) that makes its counting crash-safe.
   */
  async add(deliveries: readonly Delivery[]): Promise<void> {
    const unique = new Map<string, Delivery>();
    for (const d of deliveries) {
      if (!DELIVERY_STATUSES.includes(d.status) || !isTier(d.tier)) {
        throw new InvalidInputError("delivery.invalid", `invalid delivery ${d.email}: ${String(d.status)}/${String(d.tier)}`);
      }
      // The first one wins, as it would in storage; a repeat inside a chunk would only race itself.
      const key = JSON.stringify([d.sendId, d.email]);
      if (!unique.has(key)) unique.set(key, d);
    }
    const bySend = new Map<string, Delivery[]>();
    for (const d of unique.values()) {
      const list = bySend.get(d.sendId);
      if (list) list.push(d);
      else bySend.set(d.sendId, [d]);
    }
    const chunks = [...bySend].flatMap(([sendId, list]) => chunk(list, ADD_CHUNK).map((part) => [sendId, part] as const));
    await mapLimit(chunks, 4, ([sendId, part]) => addChunk(this.ctx, sendId, part));
  }

  async get(sendId: string, email: string): Promise<Delivery | null> {
    const res = await callDynamo({ tableName: this.tableName }, () =>
      this.client.send(
        new GetCommand({ TableName: this.tableName, Key: deliveryKeys.item(sendId, email), ConsistentRead: true }),
      ),
    );
    return res.Item ? toDelivery(res.Item) : null;
  }

  async claim(sendId: string, email: string, now: string): Promise<Delivery> {
    return transitionDelivery(this.ctx, claimSpec(sendId, email, now));
  }

  async settle(sendId: string, email: string, to: SettleStatus, fields: SettleFields, now: string): Promise<void> {
    await transitionDelivery(this.ctx, settleSpec(sendId, { email, to, fields }, now));
  }

  async claimMany(sendId: string, emails: readonly string[], now: string): Promise<Delivery[]> {
    const moved: Delivery[] = [];
    try {
      const results = await transitionMany(this.ctx, sendId, emails.map((email) => claimSpec(sendId, email, now)), moved);
      return results.filter((r): r is Delivery => !(r instanceof Error));
    } catch (err) {
      // A claim failed for good (DynamoDB still refusing after the SDK's retries), so the batch fails
      // and comes back; but the claims that did land would then find their deliveries "sending" and
      // skip them, leaving them to end "unknown" though nobody mailed them. They go back to queued
      // first (best effort: if that fails too, they stay "sending"). (Found by the fault tests.)
      if (moved.length > 0) {
        await transitionMany(this.ctx, sendId, moved.map((d) => settleSpec(sendId, { email: d.email, to: "queued", fields: {} }, now))).catch(() => {});
      }
      throw err;
    }
  }

  async settleMany(sendId: string, settlements: readonly Settlement[], now: string): Promise<string[]> {
    const results = await transitionMany(this.ctx, sendId, settlements.map((s) => settleSpec(sendId, s, now)));
    const conflicts = settlements.filter((_, i) => results[i] instanceof ConflictError).map((s) => s.email);
    const missing = results.find((r) => r instanceof NotFoundError);
    if (missing) throw missing;
    return conflicts;
  }

  /** SES events (delivery-events.ts): a conditional transition from the current status, counted once. */
  async apply(sendId: string, email: string, to: DeliveryStatus, fields: { from: readonly DeliveryStatus[]; reason?: string; messageId?: string; at: string }): Promise<ApplyOutcome> {
    return applyDeliveryEvent(this.ctx, sendId, email, to, fields);
  }

  async engage(sendId: string, email: string, kind: EngagementKind, at: string): Promise<"first" | "repeat" | "unmatched"> {
    return engageDelivery(this.ctx, sendId, email, kind, at);
  }

  async engagement(sendId: string): Promise<Record<Tier, Engagement>> {
    return readEngagement(this.ctx, sendId);
  }

  /** Reads the failed ones from gsi1 (a moment behind the table), then re-queues each conditionally. */
  async requeueFailed(sendId: string, now: string): Promise<string[]> {
    const failed = await this.inStatus(sendId, "failed");
    const done = await mapLimit(failed, 16, (item) =>
      this.tryTransition(
        transitionDelivery(this.ctx, {
          sendId,
          email: String(item.email),
          from: "failed",
          to: "queued",
          set: { updatedAt: now },
          remove: ["reason"],
        }),
      ),
    );
    return failed.filter((_, i) => done[i]).map((item) => String(item.email));
  }

  async markStale(sendId: string, olderThan: string, now: string): Promise<number> {
    const stale = await this.inStatus(sendId, "sending", olderThan);
    const done = await mapLimit(stale, 16, (item) =>
      this.tryTransition(
        transitionDelivery(this.ctx, {
          sendId,
          email: String(item.email),
          from: "sending",
          to: "unknown",
          set: { reason: STALE_REASON, updatedAt: now },
          // Checked again in the write: it may have been settled and re-claimed since the read.
          guard: {
            expression: "claimedAt < :olderThan",
            values: { ":olderThan": olderThan },
            holds: (d) => typeof d.claimedAt === "string" && d.claimedAt < olderThan,
          },
        }),
      ),
    );
    return done.filter(Boolean).length;
  }

  async list(sendId: string, query: PageQuery & { status?: DeliveryStatus; tier?: Tier } = {}): Promise<Page<Delivery>> {
    return listDeliveries({ client: this.client, tableName: this.tableName }, sendId, query);
  }

  /** One strongly consistent Query over the (at most three) counter items of the send. */
  async totals(sendId: string): Promise<{ totals: Totals; byTier: Record<Tier, Totals> }> {
    const items = await readCounterItems(this.client, this.tableName, sendId);
    const totals = emptyTotals();
    const byTier = Object.fromEntries(TIERS.map((t) => [t, emptyTotals()])) as Record<Tier, Totals>;
    for (const item of items) {
      if (!isTier(item.tier)) continue;
      for (const status of DELIVERY_STATUSES) {
        const n = typeof item[status] === "number" ? (item[status] as number) : 0;
        byTier[item.tier][status] += n;
        totals[status] += n;
      }
    }
    return { totals, byTier };
  }

  /**
   * Finishes counter updates that crashed processes left behind (markers older than the lease), and
   * trims `applied`. For the sweeper, and when a send resumes.
   */
  async repairCounters(sendId: string): Promise<CounterRepairReport> {
    return repairSendCounters(this.ctx, sendId);
  }

  /** The deliveries of a send in one status, from gsi1; with `claimedBefore`, only those claimed earlier. */
  private async inStatus(sendId: string, status: DeliveryStatus, claimedBefore?: string) {
    return queryAll(this.client, this.tableName, {
      IndexName: "gsi1",
      KeyConditionExpression: "gsi1pk = :p",
      ...(claimedBefore === undefined ? {} : { FilterExpression: "claimedAt < :before" }),
      ExpressionAttributeValues: {
        ":p": deliveryKeys.statusPartition(sendId, status),
        ...(claimedBefore === undefined ? {} : { ":before": claimedBefore }),
      },
    });
  }

  /** True when the transition happened; false when another worker or event got there first. */
  private async tryTransition(op: Promise<unknown>): Promise<boolean> {
    try {
      await op;
      return true;
    } catch (err) {
      if (err instanceof ConflictError || err instanceof NotFoundError) return false;
      throw err;
    }
  }
}

/** queued → sending: the claim that lets one sender, once, send to the address. */
function claimSpec(sendId: string, email: string, now: string): TransitionSpec {
  return { sendId, email, from: "queued", to: "sending", set: { claimedAt: now, updatedAt: now }, increment: ["attempts"] };
}

function settleSpec(sendId: string, s: Settlement, now: string): TransitionSpec {
  if (!(SETTLE_STATUSES as readonly string[]).includes(s.to)) throw new InvalidInputError("delivery.invalid", `cannot settle to ${String(s.to)}`);
  const { sesMessageId, reason, lastError } = s.fields;
  return { sendId, email: s.email, from: "sending", to: s.to, set: { sesMessageId, reason, lastError, updatedAt: now } };
}
