import {
  TIERS,
  emptyTotals,
  type Delivery,
  type DeliveryLedger,
  type DeliveryStatus,
  type Tier,
  type Totals,
} from "@bulletin/core";
import { afterAll, beforeAll } from "vitest";
import { DynamoDeliveryLedger } from "./delivery-ledger.ts";
import { startTestTable, type TestTable } from "./test-table.test-support.ts";

export const AT = "2025-09-01T08:00:00.000Z";

/**
 * A delivery as the dispatcher would add it.
 *
 * @example
 * await ledger.add([delivery("s1", "a@example.cn", "report")]);
 */
export function delivery(sendId: string, email: string, tier: Tier, over: Partial<Delivery> = {}): Delivery {
  return { sendId, email, tier, status: "queued", attempts: 0, createdAt: AT, updatedAt: AT, ...over };
}

/**
 * Every delivery of a send, following cursors.
 *
 * @example
 * const all = await listAll(ledger, "s1", { status: "failed" });
 */
export async function listAll(
  ledger: DeliveryLedger,
  sendId: string,
  query: { status?: DeliveryStatus; tier?: Tier; limit?: number } = {},
): Promise<Delivery[]> {
  const out: Delivery[] = [];
  let cursor: string | undefined;
  for (let pages = 0; pages < 10_000; pages++) {
    const page = await ledger.list(sendId, { ...query, limit: query.limit ?? 100, cursor });
    out.push(...page.items);
    cursor = page.cursor;
    if (!cursor) return out;
  }
  throw new Error("runaway listing");
}

/**
 * What the counters should say: the records themselves, counted.
 *
 * @example
 * expect(await ledger.totals("s1")).toEqual(await recount(ledger, "s1"));
 */
export async function recount(ledger: DeliveryLedger, sendId: string) {
  const totals: Totals = emptyTotals();
  const byTier = Object.fromEntries(TIERS.map((t) => [t, emptyTotals()])) as Record<Tier, Totals>;
  for (const d of await listAll(ledger, sendId)) {
    totals[d.status]++;
    byTier[d.tier][d.status]++;
  }
  return { totals, byTier };
}

/**
 * A table of its own (on the run's DynamoDB Local) and a DynamoDeliveryLedger on it, for one test file: started in
 * beforeAll, closed in afterAll. Read `ledger` (and `table`) inside tests, not at import time.
 *
 * @example
 * const t = useTestLedger();
 * it("adds", async () => { await t.ledger.add([delivery("s1", "a@example.cn", "report")]); });
 */
export function useTestLedger(): { readonly ledger: DynamoDeliveryLedger; readonly table: TestTable } {
  let table: TestTable | undefined;
  let ledger: DynamoDeliveryLedger | undefined;
  beforeAll(async () => {
    table = await startTestTable();
    ledger = new DynamoDeliveryLedger({ client: table.client, tableName: table.tableName });
  });
  afterAll(() => table?.close());
  const started = <T>(v: T | undefined): T => {
    if (v === undefined) throw new Error("useTestLedger: read the ledger inside a test, after beforeAll");
    return v;
  };
  return {
    get ledger() {
      return started(ledger);
    },
    get table() {
      return started(table);
    },
  };
}
