import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import {
  DELIVERY_STATUSES,
  domainGroupOf,
  InvalidInputError,
  SETTLE_STATUSES,
  TIERS,
  emptyTotals,
  type DomainGroup,
} from "@bulletin/core";
import type {
  ApplyOutcome,
  Delivery,
  DeliveryEvents,
  DeliveryLedger,
  DeliveryStatus,
  Engagement,
  EngagementKind,
  EngageOutcome,
  Page,
  PageQuery,
  Settlement,
  Tier,
  Totals,
} from "@bulletin/core";
import { batchGetAll } from "./batch-get.ts";
import { chunk, mapLimit } from "./concurrency.ts";
import { readCounterItems } from "./counter-items.ts";
import { applyDeliveryEvent, engageDelivery, findByMessageId, getDelivery, readEngagement } from "./delivery-events.ts";
import { listDeliveries } from "./delivery-list.ts";
import { counterUpdates, moveDeliveries, QUEUED_IN_GROUP, type Move } from "./delivery-moves.ts";
import { deliveryKeys } from "./keys.ts";
import { queryAll } from "./query-all.ts";
import type { DynamoRepoOptions } from "./repo-options.ts";
import { isTier, toDelivery } from "./send-item.ts";
import { MAX_TX_ITEMS, transactWrite, type TransactOptions } from "./transact.ts";

/** The reason a delivery gets when markStale gives up on it. */
export const STALE_REASON =
  "no answer from the sender (it stopped during the SES call); SES may or may not have accepted it; not resent";

// Room for the three counter items beside the new deliveries of one transaction.
const ADDS_PER_TX = MAX_TX_ITEMS - 3;

/**
 * Deliveries (`SEND#<sendId>`/`DLV#<email>`) and their per-tier counters (`SEND#<sendId>`/
 * `COUNT#<tier>`), on transactions (docs/data-model.md): every change to a chunk of deliveries and
 * the counters it moves is one TransactWriteItems, so the counters always equal the records and a
 * retry after a lost answer changes nothing. totals() reads three small counter items, whatever
 * the size of the send.
 *
 * @example
 * const ledger = new DynamoDeliveryLedger({ client, tableName: "bulletin" });
 * await ledger.add(deliveries);
 * const held = await ledger.claim(sendId, "report", emails, now); // the ones now "sending"
 * await ledger.settle(sendId, held.map((email) => ({ email, tier: "report", to: "sent", fields: { sesMessageId } })), now);
 */
export class DynamoDeliveryLedger implements DeliveryLedger, DeliveryEvents {
  private readonly client: DynamoDBDocumentClient;
  private readonly tableName: string;
  private readonly db: TransactOptions;

  constructor(opts: DynamoRepoOptions & { domainGroups?: readonly DomainGroup[] }) {
    this.client = opts.client;
    this.tableName = opts.tableName;
    const groups = opts.domainGroups ?? [];
    this.db = {
      client: opts.client,
      tableName: opts.tableName,
      ...(groups.length > 0 ? { groupOf: (email: string) => domainGroupOf(groups, email)?.name } : {}),
    };
  }

  /**
   * The queued deliveries of each domain group (counted on the tier counters, `queued@<group>`):
   * what waits for the group's pace. A group renamed in DOMAIN_RATES during a send counts from then on.
   */
  async queuedByGroup(sendId: string): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const item of await readCounterItems(this.client, this.tableName, sendId)) {
      for (const [name, value] of Object.entries(item)) {
        if (name.startsWith(QUEUED_IN_GROUP) && typeof value === "number")
          out[name.slice(QUEUED_IN_GROUP.length)] = (out[name.slice(QUEUED_IN_GROUP.length)] ?? 0) + value;
      }
    }
    for (const g of Object.keys(out)) out[g] = Math.max(0, out[g]!);
    return out;
  }

  /**
   * Each delivery is a Put with `attribute_not_exists`, and each chunk of 97 one transaction with
   * the counts of its tiers: a delivery that already exists fails its condition, is dropped from the
   * chunk and left as it is, and the rest are written and counted. Adding again counts nothing.
   */
  async add(deliveries: readonly Delivery[]): Promise<void> {
    const unique = new Map<string, Delivery>();
    for (const d of deliveries) {
      if (!DELIVERY_STATUSES.includes(d.status) || !isTier(d.tier)) {
        throw new InvalidInputError(
          "delivery.invalid",
          `invalid delivery ${d.email}: ${String(d.status)}/${String(d.tier)}`,
        );
      }
      // The first one wins, as it would in storage; one item twice in a transaction is refused.
      const key = JSON.stringify([d.sendId, d.email]);
      if (!unique.has(key)) unique.set(key, d);
    }
    const bySend = new Map<string, Delivery[]>();
    for (const d of unique.values()) bySend.set(d.sendId, [...(bySend.get(d.sendId) ?? []), d]);
    const chunks = [...bySend.values()].flatMap((list) => chunk(list, ADDS_PER_TX));
    // Two at a time: chunks of one send update the same counters, and would only queue up behind each other.
    await mapLimit(chunks, 2, async (part) => {
      let pending = part;
      while (pending.length > 0) {
        const failed = new Set(
          await transactWrite(this.db, [
            ...pending.map((d) => this.put(d)),
            ...counterUpdates(
              this.tableName,
              part[0]!.sendId,
              pending.map((d) => ({ tier: d.tier, email: d.email, to: d.status })),
              this.db.groupOf,
            ),
          ]),
        );
        if (failed.size === 0) return;
        pending = pending.filter((_, i) => !failed.has(i));
      }
    });
  }

  /** BatchGetItem (consistent), 100 keys a request. */
  async getMany(sendId: string, emails: readonly string[]): Promise<Delivery[]> {
    if (emails.length === 0) return [];
    const items = await batchGetAll({
      client: this.client,
      tableName: this.tableName,
      keys: emails.map((e) => deliveryKeys.item(sendId, e)),
      consistentRead: true,
    });
    return items.map(toDelivery);
  }

  /**
   * queued → sending for one call's recipients, in one transaction with the counter. Each claim
   * records its token, so a claim whose answer was lost for good can be taken back (below).
   */
  async claim(sendId: string, tier: Tier, emails: readonly string[], now: string): Promise<string[]> {
    const claimToken = `${now} ${Math.random().toString(36).slice(2)}`;
    const moves = [...new Set(emails)].map(
      (email): Move => ({
        email,
        tier,
        from: "queued",
        to: "sending",
        set: { claimedAt: now, updatedAt: now, claimToken },
        increment: ["attempts"],
      }),
    );
    try {
      return (await moveDeliveries(this.db, sendId, moves)).moved;
    } catch (err) {
      // DynamoDB kept failing after the retries, so the batch fails and comes back; but if the claim
      // did land (its answer lost), those deliveries would stay "sending" and end "unknown" though
      // nobody mailed them. Take back what carries this claim's token (best effort).
      const back = moves.map(
        (m): Move => ({
          ...m,
          from: "sending",
          to: "queued",
          set: { updatedAt: now },
          increment: [],
          remove: ["claimToken"],
          guard: { expression: "claimToken = :claimToken", values: { ":claimToken": claimToken } },
        }),
      );
      await moveDeliveries(this.db, sendId, back).catch(() => {});
      throw err;
    }
  }

  async settle(sendId: string, settlements: readonly Settlement[], now: string): Promise<string[]> {
    const moves = settlements.map((s): Move => {
      if (!(SETTLE_STATUSES as readonly string[]).includes(s.to))
        throw new InvalidInputError("delivery.invalid", `cannot settle to ${String(s.to)}`);
      const { sesMessageId, reason, lastError } = s.fields;
      // A reason explains failed and unknown only: a sent or released delivery drops an old one.
      // The message id goes into the lookup by id in the same update (events without tags use it).
      const byId = sesMessageId === undefined ? {} : deliveryKeys.byMessageId(sesMessageId);
      return {
        email: s.email,
        tier: s.tier,
        from: "sending",
        to: s.to,
        set: { sesMessageId, ...byId, reason, lastError, updatedAt: now },
        remove: s.to === "sent" || s.to === "queued" ? ["reason", "claimToken"] : ["claimToken"],
      };
    });
    return (await moveDeliveries(this.db, sendId, moves)).refused;
  }

  /** SES events (delivery-events.ts): a conditional move from the current status, counted once. */
  async apply(
    sendId: string,
    email: string,
    to: DeliveryStatus,
    fields: { from: readonly DeliveryStatus[]; reason?: string; messageId?: string; at: string },
  ): Promise<ApplyOutcome> {
    return applyDeliveryEvent(this.db, sendId, email, to, fields);
  }

  async engage(
    sendId: string,
    email: string,
    event: { id: string; kind: EngagementKind; at: string },
  ): Promise<EngageOutcome | "unmatched"> {
    return engageDelivery(this.db, sendId, email, event);
  }

  async findByMessageId(messageId: string): Promise<{ sendId: string; email: string } | null> {
    return findByMessageId(this.db, messageId);
  }

  async find(sendId: string, email: string): Promise<Delivery | null> {
    const item = await getDelivery(this.db, sendId, email);
    return item ? toDelivery(item) : null;
  }

  async engagement(sendId: string): Promise<Record<Tier, Engagement>> {
    return readEngagement(this.db, sendId);
  }

  /** Reads the failed ones from gsi1 (a moment behind the table), then re-queues them, conditionally. */
  async requeueFailed(sendId: string, now: string): Promise<string[]> {
    const failed = await this.inStatus(sendId, "failed");
    const moves = failed.map(
      (item): Move => ({
        email: String(item.email),
        tier: item.tier as Tier,
        from: "failed",
        to: "queued",
        set: { updatedAt: now },
        remove: ["reason"],
      }),
    );
    return (await moveDeliveries(this.db, sendId, moves)).moved;
  }

  async markStale(sendId: string, olderThan: string, now: string): Promise<number> {
    const stale = await this.inStatus(sendId, "sending", olderThan);
    // Checked again in the write: it may have been settled and claimed again since the read.
    const guard = { expression: "claimedAt < :olderThan", values: { ":olderThan": olderThan } };
    const moves = stale.map(
      (item): Move => ({
        email: String(item.email),
        tier: item.tier as Tier,
        from: "sending",
        to: "unknown",
        set: { reason: STALE_REASON, updatedAt: now },
        remove: ["claimToken"],
        guard,
      }),
    );
    return (await moveDeliveries(this.db, sendId, moves)).moved.length;
  }

  async list(
    sendId: string,
    query: PageQuery & { status?: DeliveryStatus; tier?: Tier } = {},
  ): Promise<Page<Delivery>> {
    return listDeliveries({ client: this.client, tableName: this.tableName }, sendId, query);
  }

  /** The (at most three) counter items of the send, read by key and consistent. */
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

  private put(d: Delivery) {
    return {
      Put: {
        TableName: this.tableName,
        Item: {
          ...deliveryKeys.item(d.sendId, d.email),
          ...deliveryKeys.byStatus(d.sendId, d.status, d.tier, d.email),
          type: "delivery",
          sendId: d.sendId,
          email: d.email,
          tier: d.tier,
          status: d.status,
          reason: d.reason,
          sesMessageId: d.sesMessageId,
          attempts: d.attempts,
          lastError: d.lastError,
          createdAt: d.createdAt,
          updatedAt: d.updatedAt,
        },
        ConditionExpression: "attribute_not_exists(pk)",
      },
    };
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
}
