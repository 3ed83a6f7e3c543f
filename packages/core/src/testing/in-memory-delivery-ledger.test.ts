import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ConflictError, InvalidInputError } from "../errors/errors.ts";
import type { Delivery } from "../send/send-model.ts";
import { InMemoryDeliveryLedger, STALE_REASON } from "./in-memory-delivery-ledger.ts";

const T0 = "2025-05-20T08:00:00.000Z";
const T1 = "2025-05-20T08:30:00.000Z";
const d = (email: string, over: Partial<Delivery> = {}): Delivery => ({
  sendId: "s1", email, tier: "report", status: "queued", attempts: 0, createdAt: T0, updatedAt: T0, ...over,
});

describe("InMemoryDeliveryLedger", () => {
  it("adds queued and skipped deliveries once, leaving existing ones as they are", async () => {
    const ledger = new InMemoryDeliveryLedger();
    await ledger.add([d("a@x.cn"), d("b@x.cn", { status: "skipped", reason: "unsubscribed", tier: "copy" })]);
    await ledger.claim("s1", "a@x.cn", T0);
    await ledger.add([d("a@x.cn"), d("b@x.cn")]);
    expect((await ledger.get("s1", "a@x.cn"))?.status).toBe("sending");
    expect(await ledger.get("s1", "b@x.cn")).toMatchObject({ status: "skipped", reason: "unsubscribed" });
    expect((await ledger.totals("s1")).totals).toMatchObject({ sending: 1, skipped: 1, queued: 0 });
    await expect(ledger.add([d("c@x.cn", { status: "sent" })])).rejects.toBeInstanceOf(InvalidInputError);
  });

  it("claims only queued deliveries and settles only sending ones", async () => {
    const ledger = new InMemoryDeliveryLedger();
    await ledger.add([d("a@x.cn")]);
    await expect(ledger.settle("s1", "a@x.cn", "sent", {}, T0)).rejects.toBeInstanceOf(ConflictError);
    expect(await ledger.claim("s1", "a@x.cn", T1)).toMatchObject({ status: "sending", attempts: 1, updatedAt: T1 });
    await expect(ledger.claim("s1", "a@x.cn", T1)).rejects.toBeInstanceOf(ConflictError);
    await expect(ledger.claim("s1", "nobody@x.cn", T1)).rejects.toBeInstanceOf(ConflictError);
    await ledger.settle("s1", "a@x.cn", "queued", { lastError: "throttled" }, T1);
    await ledger.claim("s1", "a@x.cn", T1);
    await ledger.settle("s1", "a@x.cn", "sent", { sesMessageId: "m-1" }, T1);
    expect(await ledger.get("s1", "a@x.cn")).toMatchObject({ status: "sent", attempts: 2, sesMessageId: "m-1", lastError: "throttled" });
    await expect(ledger.settle("s1", "a@x.cn", "failed", {}, T1)).rejects.toBeInstanceOf(ConflictError);
  });

  it("re-queues failed deliveries only, and marks stale claims unknown", async () => {
    const ledger = new InMemoryDeliveryLedger();
    await ledger.add(["a", "b", "c", "d"].map((l) => d(`${l}@x.cn`)));
    for (const l of ["a", "b", "c"]) await ledger.claim("s1", `${l}@x.cn`, T0);
    await ledger.settle("s1", "a@x.cn", "failed", { reason: "MessageRejected" }, T0);
    await ledger.settle("s1", "b@x.cn", "sent", { sesMessageId: "m" }, T0);
    expect(await ledger.requeueFailed("s1", T1)).toEqual(["a@x.cn"]);
    expect(await ledger.get("s1", "a@x.cn")).toMatchObject({ status: "queued" });
    expect((await ledger.get("s1", "a@x.cn"))?.reason).toBeUndefined();
    expect(await ledger.markStale("s1", T0, T1)).toBe(0); // claimed at T0: not older than T0
    expect(await ledger.markStale("s1", T1, T1)).toBe(1);
    expect(await ledger.get("s1", "c@x.cn")).toMatchObject({ status: "unknown", reason: STALE_REASON });
  });

  it("lists by status and tier, a page at a time", async () => {
    const ledger = new InMemoryDeliveryLedger();
    await ledger.add(Array.from({ length: 7 }, (_, i) => d(`p${i}@x.cn`, { tier: i % 2 ? "copy" : "report" })));
    const first = await ledger.list("s1", { tier: "report", limit: 3 });
    expect(first.items.map((x) => x.email)).toEqual(["p0@x.cn", "p2@x.cn", "p4@x.cn"]);
    const second = await ledger.list("s1", { tier: "report", limit: 3, cursor: first.cursor });
    expect(second).toEqual({ items: [expect.objectContaining({ email: "p6@x.cn" })] });
    expect((await ledger.list("s1", { status: "sent" })).items).toEqual([]);
    await expect(ledger.list("s1", { cursor: "nonsense!" })).rejects.toBeInstanceOf(InvalidInputError);
  });

  it("property: counters always equal the records, whatever is attempted in whatever order", async () => {
    const op = fc.record({
      kind: fc.constantFrom("claim", "sent", "failed", "unknown", "queued", "requeue", "stale"),
      who: fc.integer({ min: 0, max: 5 }),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 60 }), async (ops) => {
        const ledger = new InMemoryDeliveryLedger();
        await ledger.add(Array.from({ length: 5 }, (_, i) => d(`p${i}@x.cn`, { tier: (["report", "distribute", "copy"] as const)[i % 3] })));
        for (const { kind, who } of ops) {
          const email = `p${who}@x.cn`;
          try {
            if (kind === "claim") await ledger.claim("s1", email, T0);
            else if (kind === "requeue") await ledger.requeueFailed("s1", T1);
            else if (kind === "stale") await ledger.markStale("s1", T1, T1);
            else await ledger.settle("s1", email, kind, {}, T1);
          } catch (error) {
            expect(error).toBeInstanceOf(ConflictError);
          }
          expect(await ledger.totals("s1")).toEqual(ledger.recount("s1"));
        }
      }),
    );
  });
});
