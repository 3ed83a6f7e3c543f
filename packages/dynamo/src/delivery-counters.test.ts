import { QueryCommand } from "@aws-sdk/lib-dynamodb";
import { ConflictError, NotFoundError, RetryableError, TIERS, type DeliveryStatus } from "@bulletin/core";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DynamoDeliveryLedger } from "./delivery-ledger.ts";
import { delivery, recount } from "./delivery-fixtures.test-support.ts";
import { startTestTable, type TestTable } from "./test-table.test-support.ts";

let t: TestTable;
let ledger: DynamoDeliveryLedger;
// The crash-simulating ledger: a fake clock for the lease, and a hook that throws once after a step.
let nowMs = 1_700_000_000_000;
let crashAfter: 1 | 2 | 3 | null = null;
let stallAfter: 1 | null = null;
let crashing: DynamoDeliveryLedger;
const LEASE_MS = 60_000;

beforeAll(async () => {
  t = await startTestTable();
  ledger = new DynamoDeliveryLedger({ client: t.client, tableName: t.tableName });
  crashing = new DynamoDeliveryLedger({
    client: t.client,
    tableName: t.tableName,
    counterLeaseMs: LEASE_MS,
    clock: () => nowMs,
    afterCounterStep: (step) => {
      if (step === stallAfter) {
        stallAfter = null;
        nowMs += LEASE_MS; // the process froze (GC, a suspended machine) for a whole lease
      }
      if (step !== crashAfter) return;
      crashAfter = null;
      throw new Error(`simulated crash after step ${step}`);
    },
  });
});
afterAll(() => t?.close());

const minute = (m: number) => new Date(Date.UTC(2025, 8, 1, 8, m)).toISOString();

/** What the protocol may leave behind: markers in the pending index, tids in `applied`. */
async function leftovers(sendId: string) {
  const q = async (input: Record<string, unknown>) =>
    (await t.client.send(new QueryCommand({ TableName: t.tableName, ...input } as never))).Items ?? [];
  const pending = await q({ IndexName: "gsi2", KeyConditionExpression: "gsi2pk = :p", ExpressionAttributeValues: { ":p": `PENDING#${sendId}` } });
  const counters = await q({
    KeyConditionExpression: "pk = :p AND begins_with(sk, :c)",
    ExpressionAttributeValues: { ":p": `SEND#${sendId}`, ":c": "COUNT#" },
    ConsistentRead: true,
  });
  const applied = counters.reduce((n, c) => n + ((c.applied as Set<string> | undefined)?.size ?? 0), 0);
  return { pending: pending.length, applied };
}

async function expectConsistent(sendId: string) {
  expect(await ledger.totals(sendId)).toEqual(await recount(ledger, sendId));
}

describe("counters: totals equal a recount after random transitions", () => {
  const EMAILS = ["a", "b", "c", "d", "e", "f"].map((x) => `${x}@example.cn`);
  const index = fc.integer({ min: 0, max: EMAILS.length - 1 });
  const op = fc.oneof(
    fc.record({ kind: fc.constant("add" as const), which: fc.subarray([0, 1, 2, 3, 4, 5]), skipped: fc.boolean() }),
    fc.record({ kind: fc.constant("claim" as const), i: index, at: fc.integer({ min: 0, max: 50 }) }),
    fc.record({
      kind: fc.constant("settle" as const),
      i: index,
      to: fc.constantFrom<Extract<DeliveryStatus, "sent" | "failed" | "unknown" | "queued">>("sent", "failed", "unknown", "queued"),
    }),
    fc.record({ kind: fc.constant("requeue" as const) }),
    fc.record({ kind: fc.constant("stale" as const), cutoff: fc.integer({ min: 0, max: 59 }) }),
  );
  let run = 0;

  it("holds for sequences of concurrent rounds (fast-check)", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(op, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 10 }), async (rounds) => {
        const sendId = `s-prop-${run++}`;
        for (const round of rounds) {
          const results = await Promise.allSettled(
            round.map((o) => {
              switch (o.kind) {
                case "add":
                  return ledger.add(
                    o.which.map((i) =>
                      delivery(sendId, EMAILS[i]!, TIERS[i % 3]!, o.skipped ? { status: "skipped", reason: "unsubscribed" } : {}),
                    ),
                  );
                case "claim":
                  return ledger.claim(sendId, EMAILS[o.i]!, minute(o.at));
                case "settle":
                  return ledger.settle(sendId, EMAILS[o.i]!, o.to, { reason: "r" }, minute(59));
                case "requeue":
                  return ledger.requeueFailed(sendId, minute(59));
                case "stale":
                  return ledger.markStale(sendId, minute(o.cutoff), minute(59));
              }
            }),
          );
          for (const r of results) {
            if (r.status === "fulfilled") continue;
            const expected = r.reason instanceof ConflictError || r.reason instanceof NotFoundError || r.reason instanceof RetryableError;
            if (!expected) throw r.reason;
          }
        }
        await expectConsistent(sendId);
        expect(await leftovers(sendId)).toEqual({ pending: 0, applied: 0 });
      }),
      { numRuns: 8 },
    );
  }, 60_000);
});

describe("counters: a process that dies between the steps", () => {
  it.each([1, 2, 3] as const)("repairCounters settles a claim that crashed after step %i", async (step) => {
    const sendId = `s-crash-${step}`;
    await crashing.add(["a", "b", "c"].map((x) => delivery(sendId, `${x}@example.cn`, "report")));
    crashAfter = step;
    await expect(crashing.claim(sendId, "a@example.cn", minute(1))).rejects.toThrow(`simulated crash after step ${step}`);
    expect((await ledger.get(sendId, "a@example.cn"))?.status).toBe("sending"); // step 1 happened
    const counted = (await ledger.totals(sendId)).totals.sending;
    expect(counted).toBe(step === 1 ? 0 : 1); // after step 1 only, the counter is still owed

    // Within the lease the marker belongs to its (presumably live) writer: left alone.
    const early = await crashing.repairCounters(sendId);
    expect(early).toEqual({ finished: 0, inFlight: step < 3 ? 1 : 0, forgotten: step === 3 ? 1 : 0 });

    nowMs += LEASE_MS + 1;
    const report = await crashing.repairCounters(sendId);
    expect(report).toEqual({ finished: step < 3 ? 1 : 0, inFlight: 0, forgotten: 0 });
    await expectConsistent(sendId);
    expect((await ledger.totals(sendId)).totals).toMatchObject({ queued: 2, sending: 1 });
    expect(await leftovers(sendId)).toEqual({ pending: 0, applied: 0 });

    // Repairing again changes nothing, and the delivery goes on normally.
    expect(await crashing.repairCounters(sendId)).toEqual({ finished: 0, inFlight: 0, forgotten: 0 });
    await crashing.settle(sendId, "a@example.cn", "sent", { sesMessageId: "m" }, minute(2));
    await expectConsistent(sendId);
  });

  it.each([1, 2, 3] as const)("repairCounters settles an add that crashed after step %i, once", async (step) => {
    const sendId = `s-crash-add-${step}`;
    const batch = Array.from({ length: 40 }, (_, i) => delivery(sendId, `p${i}@example.cn`, TIERS[i % 3]!));
    await crashing.add(batch.slice(0, 10)); // these exist already: the crashed add must not count them
    crashAfter = step;
    await expect(crashing.add(batch)).rejects.toThrow(`simulated crash after step ${step}`);
    // Work goes on before the sweeper comes: a delivery the crashed add created is claimed.
    await crashing.claim(sendId, "p20@example.cn", minute(1));
    const early = await crashing.repairCounters(sendId);
    // After step 3 the journal's tid is left in each of the three tiers' counters.
    expect(early).toEqual({ finished: 0, inFlight: step < 3 ? 1 : 0, forgotten: step === 3 ? 3 : 0 });
    nowMs += LEASE_MS + 1;
    // Several sweepers at once: the journal is taken over by exactly one of them.
    const reports = await Promise.all([1, 2, 3].map(() => crashing.repairCounters(sendId)));
    expect(reports.reduce((n, r) => n + r.finished, 0)).toBe(step < 3 ? 1 : 0);
    await crashing.add(batch); // the retried add: everything exists, nothing is counted twice
    await expectConsistent(sendId);
    expect((await ledger.totals(sendId)).totals).toMatchObject({ queued: 39, sending: 1 });
    expect(await leftovers(sendId)).toEqual({ pending: 0, applied: 0 });
  });

  it("a later transition waits for a live marker, and takes over a dead one", async () => {
    const sendId = "s-blocked";
    await crashing.add([delivery(sendId, "b@example.cn", "copy")]);
    crashAfter = 1;
    await expect(crashing.claim(sendId, "b@example.cn", minute(1))).rejects.toThrow("simulated crash");
    // The marker is fresh: its owner might still finish it, so the settle gives up with a RetryableError.
    await expect(crashing.settle(sendId, "b@example.cn", "sent", {}, minute(2))).rejects.toBeInstanceOf(RetryableError);
    nowMs += LEASE_MS + 1;
    await crashing.settle(sendId, "b@example.cn", "sent", { sesMessageId: "m-b" }, minute(2));
    expect(await ledger.get(sendId, "b@example.cn")).toMatchObject({ status: "sent", sesMessageId: "m-b" });
    await expectConsistent(sendId);
    expect((await ledger.totals(sendId)).byTier.copy).toMatchObject({ queued: 0, sending: 0, sent: 1 });
    expect(await leftovers(sendId)).toEqual({ pending: 0, applied: 0 });
  });
});

describe("counters: a process that freezes between the steps", () => {
  it("does not count late, leaving the marker to the sweeper, which counts it once", async () => {
    const sendId = "s-stall";
    await crashing.add([delivery(sendId, "z@example.cn", "report")]);
    stallAfter = 1;
    await crashing.claim(sendId, "z@example.cn", minute(1));
    expect((await ledger.totals(sendId)).totals).toMatchObject({ queued: 1, sending: 0 }); // owed, not counted
    expect(await crashing.repairCounters(sendId)).toEqual({ finished: 1, inFlight: 0, forgotten: 0 });
    await expectConsistent(sendId);
    expect(await leftovers(sendId)).toEqual({ pending: 0, applied: 0 });
  });
});

describe("counters: scale", () => {
  it("adds 5,000 deliveries and reads their totals quickly", async () => {
    const sendId = "s-big";
    const batch = Array.from({ length: 5000 }, (_, i) => delivery(sendId, `r${i}@example.cn`, TIERS[i % 3]!));
    const t0 = performance.now();
    await ledger.add(batch);
    const t1 = performance.now();
    const { totals, byTier } = await ledger.totals(sendId);
    const t2 = performance.now();
    console.log(`add 5000 deliveries: ${(t1 - t0).toFixed(0)} ms; totals: ${(t2 - t1).toFixed(1)} ms`);
    expect(totals.queued).toBe(5000);
    expect(byTier.report.queued + byTier.distribute.queued + byTier.copy.queued).toBe(5000);
    expect(await leftovers(sendId)).toEqual({ pending: 0, applied: 0 });
  }, 120_000);
});
