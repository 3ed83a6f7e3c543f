import { InvalidInputError, RetryableError } from "../errors/errors.ts";
import type { ApplyOutcome, DeliveryEvents, Engagement, EngagementKind } from "../events/events-ports.ts";
import {
  ENGAGEMENT_FIELDS,
  recordEngagement,
  summarise,
  type EngagementEntry,
  type EngageOutcome,
} from "../events/engagement-log.ts";
import { TIERS, type Tier } from "../issue/issue-schema.ts";
import { emptyTotals, type Delivery, type DeliveryStatus, type Totals } from "../send/send-model.ts";
import { SETTLE_STATUSES, type DeliveryLedger, type Settlement } from "../send/send-ports.ts";
import type { Page, PageQuery } from "../paging.ts";
import { pageAfter } from "./paging.ts";
import { domainGroupOf, type DomainGroup } from "../send/domain-groups.ts";

/** The reason a delivery becomes "unknown" when its sender stopped during the SES call. */
export const STALE_REASON =
  "no answer from the sender (it stopped during the SES call); SES may or may not have accepted it; not resent";

/**
 * A DeliveryLedger in memory with the port's semantics, as the DynamoDB adapter must have them
 * (the contract tests run both): every status change is conditional on the current status (a
 * delivery in another status, or missing, is left out), and moves the counters of (send, tier) in
 * the same step — exactly once per change. Counters are kept separately from the
 * records, as in DynamoDB, so `recount` can check that they agree.
 *
 * @example
 * const ledger = new InMemoryDeliveryLedger();
 * await ledger.add([{ sendId: "s1", email: "a@example.cn", tier: "report", status: "queued", attempts: 0, createdAt: t, updatedAt: t }]);
 * await ledger.claim("s1", "report", ["a@example.cn"], t); // ["a@example.cn"], now "sending"; a second claim: []
 */
export class InMemoryDeliveryLedger implements DeliveryLedger, DeliveryEvents {
  private readonly bySend = new Map<string, Map<string, Delivery>>();
  private readonly counters = new Map<string, Record<Tier, Totals>>();
  private readonly engaged = new Map<string, Record<Tier, Engagement>>();
  // "send\u0000email": each delivery's engagement log, as the DynamoDB adapter keeps it on the item.
  private readonly logs = new Map<string, EngagementEntry[]>();

  constructor(private readonly options: { domainGroups?: readonly DomainGroup[] } = {}) {}

  async queuedByGroup(sendId: string): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const d of this.sorted(sendId)) {
      const g = d.status === "queued" ? domainGroupOf(this.options.domainGroups ?? [], d.email) : undefined;
      if (g) out[g.name] = (out[g.name] ?? 0) + 1;
    }
    return out;
  }

  async add(deliveries: readonly Delivery[]): Promise<void> {
    for (const d of deliveries) {
      if (d.status !== "queued" && d.status !== "skipped") {
        throw new InvalidInputError("delivery.invalid", `a new delivery is queued or skipped, not ${d.status}`);
      }
      const records = this.records(d.sendId);
      if (records.has(d.email)) continue;
      records.set(d.email, { ...d });
      this.move(d.sendId, d.tier, null, d.status);
    }
  }

  /** One delivery, for assertions (not part of the port). */
  async get(sendId: string, email: string): Promise<Delivery | null> {
    const found = this.bySend.get(sendId)?.get(email);
    return found ? { ...found } : null;
  }

  async getMany(sendId: string, emails: readonly string[]): Promise<Delivery[]> {
    const records = this.bySend.get(sendId);
    return [...new Set(emails)].flatMap((e) => {
      const d = records?.get(e);
      return d ? [{ ...d }] : [];
    });
  }

  /** All or nothing per address, as one transaction would do it: those not queued (or of another tier) are left out. */
  async claim(sendId: string, tier: Tier, emails: readonly string[], now: string): Promise<string[]> {
    const claimed: string[] = [];
    for (const email of new Set(emails)) {
      const d = this.bySend.get(sendId)?.get(email);
      if (d?.status !== "queued" || d.tier !== tier) continue;
      const next: Delivery = { ...d, status: "sending", attempts: d.attempts + 1, updatedAt: now };
      this.replace(d, next);
      claimed.push(email);
    }
    return claimed;
  }

  async settle(sendId: string, settlements: readonly Settlement[], now: string): Promise<string[]> {
    const conflicts: string[] = [];
    for (const { email, to, fields } of settlements) {
      if (!(SETTLE_STATUSES as readonly string[]).includes(to))
        throw new InvalidInputError("delivery.invalid", `cannot settle to ${to}`);
      const d = this.bySend.get(sendId)?.get(email);
      if (d?.status !== "sending") {
        conflicts.push(email);
        continue;
      }
      const next: Delivery = { ...d, status: to, updatedAt: now };
      // A reason explains failed/unknown only; a released or sent delivery drops an old one.
      if (to === "queued" || to === "sent") delete next.reason;
      if (fields.reason !== undefined) next.reason = fields.reason;
      if (fields.sesMessageId !== undefined) next.sesMessageId = fields.sesMessageId;
      if (fields.lastError !== undefined) next.lastError = fields.lastError;
      this.replace(d, next);
    }
    return conflicts;
  }

  async requeueFailed(sendId: string, now: string): Promise<string[]> {
    const out: string[] = [];
    for (const d of this.sorted(sendId)) {
      if (d.status !== "failed") continue;
      const next: Delivery = { ...d, status: "queued", updatedAt: now };
      delete next.reason;
      this.replace(d, next);
      out.push(d.email);
    }
    return out;
  }

  async markStale(sendId: string, olderThan: string, now: string): Promise<number> {
    const limit = Date.parse(olderThan);
    let n = 0;
    for (const d of this.sorted(sendId)) {
      if (d.status !== "sending" || !(Date.parse(d.updatedAt) < limit)) continue;
      this.replace(d, { ...d, status: "unknown", reason: STALE_REASON, updatedAt: now });
      n++;
    }
    return n;
  }

  async list(
    sendId: string,
    query: PageQuery & { status?: DeliveryStatus; tier?: Tier } = {},
  ): Promise<Page<Delivery>> {
    const matching = this.sorted(sendId).filter(
      (d) =>
        (query.status === undefined || d.status === query.status) &&
        (query.tier === undefined || d.tier === query.tier),
    );
    const page = pageAfter(matching, (d) => d.email, query);
    return { ...page, items: page.items.map((d) => ({ ...d })) };
  }

  async totals(sendId: string): Promise<{ totals: Totals; byTier: Record<Tier, Totals> }> {
    const byTier = this.counters.get(sendId) ?? blankByTier();
    return { totals: sumTiers(byTier), byTier: copyByTier(byTier) };
  }

  /** As the DynamoDB adapter: conditional on the current status being one of `from`. */
  async apply(
    sendId: string,
    email: string,
    to: DeliveryStatus,
    fields: { from: readonly DeliveryStatus[]; reason?: string; messageId?: string; at: string },
  ): Promise<ApplyOutcome> {
    const d = this.bySend.get(sendId)?.get(email);
    if (!d || d.status === "queued" || d.status === "skipped") return "unmatched";
    if (d.status === "sending")
      throw new RetryableError("delivery.busy", `${email} of send ${sendId} is still being sent`);
    if (fields.messageId && d.sesMessageId && d.sesMessageId !== fields.messageId) return "unmatched";
    if (!fields.from.includes(d.status)) return "duplicate";
    const next: Delivery = { ...d, status: to, updatedAt: fields.at };
    if (fields.messageId && !d.sesMessageId) next.sesMessageId = fields.messageId;
    if (fields.reason !== undefined) next.reason = fields.reason;
    else if (to === "sent" || to === "delivered") delete next.reason; // an "unknown" reason no longer holds
    this.replace(d, next);
    return "applied";
  }

  async engage(
    sendId: string,
    email: string,
    event: { id: string; kind: EngagementKind; at: string },
  ): Promise<EngageOutcome | "unmatched"> {
    const d = this.bySend.get(sendId)?.get(email);
    if (!d) return "unmatched";
    const key = `${sendId}\u0000${email}`;
    const r = recordEngagement(this.logs.get(key) ?? [], event);
    if (r.outcome === "duplicate" || r.outcome === "full") return r.outcome;
    this.logs.set(key, r.log);
    let byTier = this.engaged.get(sendId);
    if (!byTier) this.engaged.set(sendId, (byTier = blankEngagement()));
    for (const f of ENGAGEMENT_FIELDS) byTier[d.tier][f] += r.delta[f];
    return r.outcome;
  }

  async findByMessageId(messageId: string): Promise<{ sendId: string; email: string } | null> {
    for (const records of this.bySend.values())
      for (const d of records.values()) if (d.sesMessageId === messageId) return { sendId: d.sendId, email: d.email };
    return null;
  }

  async find(sendId: string, email: string): Promise<Delivery | null> {
    return this.get(sendId, email);
  }

  async engagement(sendId: string): Promise<Record<Tier, Engagement>> {
    const byTier = this.engaged.get(sendId) ?? blankEngagement();
    return { report: { ...byTier.report }, distribute: { ...byTier.distribute }, copy: { ...byTier.copy } };
  }

  /** Every delivery of a send, sorted by email: for assertions, not part of the port. */
  all(sendId: string): Delivery[] {
    return this.sorted(sendId).map((d) => ({ ...d }));
  }

  /** The totals counted from the records, to compare with the counters `totals` keeps. */
  recount(sendId: string): { totals: Totals; byTier: Record<Tier, Totals> } {
    const byTier = blankByTier();
    for (const d of this.sorted(sendId)) byTier[d.tier][d.status]++;
    return { totals: sumTiers(byTier), byTier };
  }

  private records(sendId: string): Map<string, Delivery> {
    let records = this.bySend.get(sendId);
    if (!records) this.bySend.set(sendId, (records = new Map()));
    return records;
  }

  private sorted(sendId: string): Delivery[] {
    return [...(this.bySend.get(sendId)?.values() ?? [])].sort((a, b) => (a.email < b.email ? -1 : 1));
  }

  /** The record and its counters change together: the one place a status moves. */
  private replace(before: Delivery, after: Delivery): void {
    this.records(before.sendId).set(before.email, after);
    this.move(before.sendId, before.tier, before.status, after.status);
  }

  private move(sendId: string, tier: Tier, from: DeliveryStatus | null, to: DeliveryStatus): void {
    let byTier = this.counters.get(sendId);
    if (!byTier) this.counters.set(sendId, (byTier = blankByTier()));
    if (from !== null) byTier[tier][from]--;
    byTier[tier][to]++;
  }
}

function blankEngagement(): Record<Tier, Engagement> {
  const zero = (): Engagement => summarise([]);
  return { report: zero(), distribute: zero(), copy: zero() };
}

function blankByTier(): Record<Tier, Totals> {
  return { report: emptyTotals(), distribute: emptyTotals(), copy: emptyTotals() };
}

function copyByTier(byTier: Record<Tier, Totals>): Record<Tier, Totals> {
  return { report: { ...byTier.report }, distribute: { ...byTier.distribute }, copy: { ...byTier.copy } };
}

function sumTiers(byTier: Record<Tier, Totals>): Totals {
  const totals = emptyTotals();
  for (const tier of TIERS)
    for (const [status, n] of Object.entries(byTier[tier])) totals[status as DeliveryStatus] += n;
  return totals;
}
