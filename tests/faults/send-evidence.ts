import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import {
  DELIVERY_STATUSES,
  emptyTotals,
  TIERS,
  type Delivery,
  type Send,
  type Tier,
  type Totals,
} from "@bulletin/core";
import { DynamoDeliveryLedger, DynamoRecipientRepo, DynamoSendRepo } from "@bulletin/dynamo";
import { readSentEmails, type SentEmail, type StackConnection } from "@bulletin/emulators";

/** The local service's table (its default name), which the evidence is read from directly. */
export const TABLE = "bulletin";
/** Where a delivery may end: the sender's outcomes, skipped, and what SES events make of "sent". */
const ENDED = new Set(["sent", "delivered", "bounced", "complained", "failed", "skipped", "unknown"]);
const MAILED = new Set(["sent", "delivered", "bounced", "complained"]);

/** What a send left behind, read straight from DynamoDB Local and the SES emulator (never through a proxy). */
export interface SendEvidence {
  send: Send | null;
  /** Every delivery record of the send. */
  deliveries: Delivery[];
  /** What the counters say. */
  counters: { totals: Totals; byTier: Record<Tier, Totals> };
  /** The records, counted. */
  recount: { totals: Totals; byTier: Record<Tier, Totals> };
  /** The emails the SES emulator accepted. */
  received: SentEmail[];
}

/** Every delivery of a send, following cursors. */
async function listAll(ledger: DynamoDeliveryLedger, sendId: string): Promise<Delivery[]> {
  const out: Delivery[] = [];
  let cursor: string | undefined;
  do {
    const page = await ledger.list(sendId, { limit: 100, ...(cursor ? { cursor } : {}) });
    out.push(...page.items);
    cursor = page.cursor;
  } while (cursor);
  return out;
}

/** The addresses of every active recipient: the audience of a send to all three tiers. */
export async function activeAudience(client: DynamoDBDocumentClient): Promise<string[]> {
  const repo = new DynamoRecipientRepo({ client, tableName: TABLE });
  const out: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await repo.list({ status: "active", limit: 100, ...(cursor ? { cursor } : {}) });
    out.push(...page.items.map((r) => r.email));
    cursor = page.cursor;
  } while (cursor);
  return out;
}

/**
 * Reads the evidence of one send. `received` is passed in when it was collected across restarts of
 * an in-process SES emulator (whose store a restart clears).
 */
export async function readEvidence(
  client: DynamoDBDocumentClient,
  sendId: string,
  ses: Pick<StackConnection, "endpoints"> | SentEmail[],
): Promise<SendEvidence> {
  const ledger = new DynamoDeliveryLedger({ client, tableName: TABLE });
  const deliveries = await listAll(ledger, sendId);
  const recount = {
    totals: emptyTotals(),
    byTier: Object.fromEntries(TIERS.map((t) => [t, emptyTotals()])) as Record<Tier, Totals>,
  };
  for (const d of deliveries) {
    recount.totals[d.status]++;
    recount.byTier[d.tier][d.status]++;
  }
  return {
    send: await new DynamoSendRepo({ client, tableName: TABLE }).get(sendId),
    deliveries,
    counters: await ledger.totals(sendId),
    recount,
    received: Array.isArray(ses) ? ses : await readSentEmails(ses),
  };
}

/**
 * The promises of docs/sending.md, checked on the evidence of one finished send; returns every
 * violation found (empty: all hold), so a failing scenario says everything that is wrong at once.
 *
 * - the send finished, and every address of the audience has exactly one delivery (none lost);
 * - every delivery ended sent / failed / skipped / unknown, and failed, skipped and unknown say why;
 * - the counters equal a recount of the records, per tier;
 * - nobody was mailed twice (the SES emulator holds at most one email per address);
 * - every address SES accepted is recorded sent (with that very message id) or unknown, and every
 *   delivery recorded sent was really accepted by SES.
 */
export function violations(e: SendEvidence, audience: readonly string[]): string[] {
  const out: string[] = [];
  if (e.send?.status !== "finished") out.push(`the send is ${e.send?.status ?? "missing"}, not finished`);
  const byEmail = new Map<string, Delivery>();
  for (const d of e.deliveries) {
    if (byEmail.has(d.email)) out.push(`two deliveries for ${d.email}`);
    byEmail.set(d.email, d);
    if (!ENDED.has(d.status)) out.push(`${d.email} is still ${d.status}`);
    if ((d.status === "failed" || d.status === "skipped" || d.status === "unknown") && !d.reason?.trim())
      out.push(`${d.email} is ${d.status} without a reason`);
  }
  const expected = new Set(audience);
  for (const email of expected) if (!byEmail.has(email)) out.push(`${email} has no delivery (lost)`);
  for (const email of byEmail.keys())
    if (!expected.has(email)) out.push(`${email} has a delivery but is not in the audience`);
  for (const status of DELIVERY_STATUSES) {
    if (e.counters.totals[status] !== e.recount.totals[status])
      out.push(`counter ${status} says ${e.counters.totals[status]}, the records ${e.recount.totals[status]}`);
    for (const tier of TIERS) {
      if (e.counters.byTier[tier][status] !== e.recount.byTier[tier][status])
        out.push(
          `counter ${tier}/${status} says ${e.counters.byTier[tier][status]}, the records ${e.recount.byTier[tier][status]}`,
        );
    }
  }
  const mailed = new Map<string, SentEmail[]>();
  for (const m of e.received) for (const to of m.destination.to) mailed.set(to, [...(mailed.get(to) ?? []), m]);
  for (const [to, copies] of mailed) {
    if (copies.length > 1) out.push(`${to} was mailed ${copies.length} times`);
    const d = byEmail.get(to);
    if (!d || !(MAILED.has(d.status) || d.status === "unknown"))
      out.push(`${to} was mailed but is recorded ${d?.status ?? "nowhere"}`);
  }
  for (const d of e.deliveries) {
    if (!MAILED.has(d.status)) continue;
    const copies = mailed.get(d.email) ?? [];
    if (!copies.some((m) => m.messageId === d.sesMessageId))
      out.push(`${d.email} is recorded ${d.status} (${d.sesMessageId}) but SES holds no such email`);
  }
  return out;
}

/** A one-line summary of how a send ended, for the test log. */
export function summary(e: SendEvidence): string {
  const t = e.recount.totals;
  const why = new Map<string, number>();
  for (const d of e.deliveries) {
    if (d.status !== "unknown" && d.status !== "failed") continue;
    // The reason without its variable details (error codes and messages after the first colon).
    const reason = `${d.status}: ${(d.reason ?? "").split(/[:(]/)[0]!.trim()}`;
    why.set(reason, (why.get(reason) ?? 0) + 1);
  }
  const reasons = [...why].map(([r, n]) => `${n} ${r}`).join(", ");
  return `sent ${t.sent}, failed ${t.failed}, skipped ${t.skipped}, unknown ${t.unknown}${reasons ? ` (${reasons})` : ""}; SES accepted ${e.received.length}`;
}
