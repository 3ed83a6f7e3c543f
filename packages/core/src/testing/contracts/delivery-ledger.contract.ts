import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { InvalidInputError } from "../../errors/errors.ts";
import type { DeliveryEvents } from "../../events/events-ports.ts";
import { TIERS, type Tier } from "../../issue/issue-schema.ts";
import { emptyTotals, type Delivery, type DeliveryStatus, type Totals } from "../../send/send-model.ts";
import type { DeliveryLedger } from "../../send/send-ports.ts";

const T0 = "2025-05-20T08:00:00.000Z";
const T1 = "2025-05-20T08:30:00.000Z";
const T2 = "2025-05-20T09:00:00.000Z";

/** A delivery as the dispatcher adds it. */
export function delivery(sendId: string, email: string, over: Partial<Delivery> = {}): Delivery {
  return { sendId, email, tier: "report", status: "queued", attempts: 0, createdAt: T0, updatedAt: T0, ...over };
}

/** Every delivery of a send, through the port's own listing. */
export async function listAll(
  ledger: DeliveryLedger,
  sendId: string,
  query: { status?: DeliveryStatus; tier?: Tier } = {},
): Promise<Delivery[]> {
  const out: Delivery[] = [];
  let cursor: string | undefined;
  do {
    const page = await ledger.list(sendId, { ...query, limit: 100, ...(cursor ? { cursor } : {}) });
    out.push(...page.items);
    cursor = page.cursor;
  } while (cursor);
  return out;
}

/** The records, counted: what the counters must say. */
export async function recount(ledger: DeliveryLedger, sendId: string) {
  const totals: Totals = emptyTotals();
  const byTier = Object.fromEntries(TIERS.map((t) => [t, emptyTotals()])) as Record<Tier, Totals>;
  for (const d of await listAll(ledger, sendId)) {
    totals[d.status]++;
    byTier[d.tier][d.status]++;
  }
  return { totals, byTier };
}

/** One delivery, through the port (getMany): null when there is none. */
const one = async (ledger: DeliveryLedger, sendId: string, email: string) =>
  (await ledger.getMany(sendId, [email]))[0] ?? null;

let sends = 0;
/** A send id no earlier test of the same ledger used. */
const newSend = () => `send-${Date.now().toString(36)}-${++sends}`;

/**
 * The DeliveryLedger (and DeliveryEvents) contract: what core relies on, run against the in-memory
 * fake and the DynamoDB adapter alike. `make` may hand out the same ledger every time: each test
 * uses sends of its own.
 */
export function deliveryLedgerContract(name: string, make: () => DeliveryLedger & DeliveryEvents) {
  describe(`${name}: the DeliveryLedger contract`, () => {
    it("adds queued and skipped deliveries once, leaving existing ones as they are, and counts them", async () => {
      const ledger = make();
      const s = newSend();
      await ledger.add([
        delivery(s, "a@x.cn"),
        delivery(s, "b@x.cn", { status: "skipped", reason: "unsubscribed", tier: "copy" }),
      ]);
      expect(await ledger.claim(s, "report", ["a@x.cn"], T0)).toEqual(["a@x.cn"]);
      await ledger.add([delivery(s, "a@x.cn"), delivery(s, "b@x.cn"), delivery(s, "c@x.cn", { tier: "distribute" })]);
      expect((await one(ledger, s, "a@x.cn"))?.status).toBe("sending");
      expect(await one(ledger, s, "b@x.cn")).toMatchObject({ status: "skipped", reason: "unsubscribed", tier: "copy" });
      expect(await one(ledger, s, "nobody@x.cn")).toBeNull();
      const { totals, byTier } = await ledger.totals(s);
      expect(totals).toMatchObject({ sending: 1, skipped: 1, queued: 1 });
      expect(byTier.distribute.queued).toBe(1);
      expect(await ledger.totals(s)).toEqual(await recount(ledger, s));
    });

    it("adds a large dispatch in chunks, counting each delivery once", async () => {
      const ledger = make();
      const s = newSend();
      const many = Array.from({ length: 250 }, (_, i) =>
        delivery(s, `m${String(i).padStart(3, "0")}@x.cn`, { tier: TIERS[i % 3]! }),
      );
      await ledger.add(many);
      await ledger.add(many.slice(0, 120));
      expect((await ledger.totals(s)).totals.queued).toBe(250);
      expect(await ledger.totals(s)).toEqual(await recount(ledger, s));
    });

    it("claims queued deliveries of the given tier only, once: a second claim, or another tier, gets none", async () => {
      const ledger = make();
      const s = newSend();
      await ledger.add([delivery(s, "a@x.cn"), delivery(s, "b@x.cn"), delivery(s, "c@x.cn", { tier: "copy" })]);
      expect((await ledger.claim(s, "report", ["a@x.cn", "b@x.cn", "c@x.cn", "nobody@x.cn"], T1)).sort()).toEqual([
        "a@x.cn",
        "b@x.cn",
      ]);
      expect(await ledger.claim(s, "report", ["a@x.cn", "b@x.cn"], T1)).toEqual([]);
      expect(await one(ledger, s, "a@x.cn")).toMatchObject({ status: "sending", attempts: 1, updatedAt: T1 });
      expect(
        (await ledger.getMany(s, ["a@x.cn", "c@x.cn", "nobody@x.cn"])).map((d) => [d.email, d.status]).sort(),
      ).toEqual([
        ["a@x.cn", "sending"],
        ["c@x.cn", "queued"],
      ]);
      expect(await ledger.totals(s)).toEqual(await recount(ledger, s));
    });

    it("of concurrent claims of the same addresses, each address goes to exactly one", async () => {
      const ledger = make();
      const s = newSend();
      const emails = Array.from({ length: 30 }, (_, i) => `c${i}@x.cn`);
      await ledger.add(emails.map((e) => delivery(s, e)));
      const held = await Promise.all([0, 1, 2, 3].map(() => ledger.claim(s, "report", emails, T1)));
      expect(held.flat().sort()).toEqual([...emails].sort());
      expect((await ledger.totals(s)).totals).toMatchObject({ queued: 0, sending: 30 });
    });

    it("settles only sending deliveries, with their fields; the others are returned, unchanged", async () => {
      const ledger = make();
      const s = newSend();
      await ledger.add([delivery(s, "a@x.cn"), delivery(s, "b@x.cn"), delivery(s, "q@x.cn")]);
      await ledger.claim(s, "report", ["a@x.cn", "b@x.cn"], T0);
      await ledger.settle(
        s,
        [{ email: "a@x.cn", tier: "report", to: "queued", fields: { lastError: "throttled" } }],
        T1,
      );
      await ledger.claim(s, "report", ["a@x.cn"], T1);
      const refused = await ledger.settle(
        s,
        [
          { email: "a@x.cn", tier: "report", to: "sent", fields: { sesMessageId: "m-1" } },
          { email: "b@x.cn", tier: "report", to: "unknown", fields: { reason: "timeout", lastError: "timeout" } },
          { email: "q@x.cn", tier: "report", to: "sent", fields: { sesMessageId: "m-q" } },
        ],
        T2,
      );
      expect(refused).toEqual(["q@x.cn"]);
      expect(await one(ledger, s, "a@x.cn")).toMatchObject({
        status: "sent",
        attempts: 2,
        sesMessageId: "m-1",
        lastError: "throttled",
        updatedAt: T2,
      });
      expect(await one(ledger, s, "b@x.cn")).toMatchObject({ status: "unknown", reason: "timeout" });
      expect(await one(ledger, s, "q@x.cn")).toMatchObject({ status: "queued" });
      expect(await ledger.settle(s, [{ email: "a@x.cn", tier: "report", to: "failed", fields: {} }], T2)).toEqual([
        "a@x.cn",
      ]);
      await expect(
        ledger.settle(s, [{ email: "a@x.cn", tier: "report", to: "delivered" as "sent", fields: {} }], T2),
      ).rejects.toBeInstanceOf(InvalidInputError);
      expect(await ledger.totals(s)).toEqual(await recount(ledger, s));
    });

    it("re-queues failed deliveries only, and turns stale claims unknown with a reason", async () => {
      const ledger = make();
      const s = newSend();
      await ledger.add(["a", "b", "c", "d"].map((l) => delivery(s, `${l}@x.cn`)));
      await ledger.claim(s, "report", ["a@x.cn", "b@x.cn", "c@x.cn"], T0);
      await ledger.settle(
        s,
        [
          { email: "a@x.cn", tier: "report", to: "failed", fields: { reason: "MessageRejected" } },
          { email: "b@x.cn", tier: "report", to: "sent", fields: { sesMessageId: "m" } },
        ],
        T0,
      );
      // The failed index may lag its table by a moment (DynamoDB's GSI).
      let requeued: string[] = [];
      for (let i = 0; i < 20 && requeued.length === 0; i++) requeued = await ledger.requeueFailed(s, T1);
      expect(requeued).toEqual(["a@x.cn"]);
      expect(await one(ledger, s, "a@x.cn")).toMatchObject({ status: "queued" });
      expect((await one(ledger, s, "a@x.cn"))?.reason).toBeUndefined();
      expect(await ledger.markStale(s, T0, T1)).toBe(0); // claimed at T0: not older than T0
      expect(await ledger.markStale(s, T1, T1)).toBe(1);
      expect((await one(ledger, s, "c@x.cn"))?.status).toBe("unknown");
      expect((await one(ledger, s, "c@x.cn"))?.reason).toMatch(/\S/);
      expect(await ledger.totals(s)).toEqual(await recount(ledger, s));
    });

    it("lists by status and tier, a page at a time, and refuses a cursor it did not make", async () => {
      const ledger = make();
      const s = newSend();
      await ledger.add(
        Array.from({ length: 7 }, (_, i) => delivery(s, `p${i}@x.cn`, { tier: i % 2 ? "copy" : "report" })),
      );
      const first = await ledger.list(s, { tier: "report", limit: 3 });
      expect(first.items.map((x) => x.email)).toEqual(["p0@x.cn", "p2@x.cn", "p4@x.cn"]);
      const second = await ledger.list(s, {
        tier: "report",
        limit: 3,
        ...(first.cursor ? { cursor: first.cursor } : {}),
      });
      expect(second.items.map((x) => x.email)).toEqual(["p6@x.cn"]);
      expect((await listAll(ledger, s, { status: "queued", tier: "copy" })).map((x) => x.email)).toEqual([
        "p1@x.cn",
        "p3@x.cn",
        "p5@x.cn",
      ]);
      expect((await ledger.list(s, { status: "sent" })).items).toEqual([]);
      await expect(ledger.list(s, { cursor: "nonsense!" })).rejects.toBeInstanceOf(InvalidInputError);
    });

    it("SES events move a delivery forward once, from the statuses given; duplicates and strangers change nothing", async () => {
      const ledger = make();
      const s = newSend();
      await ledger.add([delivery(s, "a@x.cn"), delivery(s, "q@x.cn"), delivery(s, "u@x.cn")]);
      await ledger.claim(s, "report", ["a@x.cn", "u@x.cn"], T0);
      await expect(ledger.apply(s, "a@x.cn", "delivered", { from: ["sent"], at: T1 })).rejects.toThrow(/being sent/);
      await ledger.settle(
        s,
        [
          { email: "a@x.cn", tier: "report", to: "sent", fields: { sesMessageId: "m-a" } },
          { email: "u@x.cn", tier: "report", to: "unknown", fields: { reason: "timeout" } },
        ],
        T0,
      );
      const ten = await Promise.all(
        Array.from({ length: 10 }, () =>
          ledger.apply(s, "a@x.cn", "delivered", { from: ["sent", "unknown"], messageId: "m-a", at: T1 }),
        ),
      );
      expect(ten.filter((o) => o === "applied")).toHaveLength(1);
      expect(await ledger.apply(s, "a@x.cn", "delivered", { from: ["sent"], messageId: "other", at: T1 })).toBe(
        "unmatched",
      );
      expect(await ledger.apply(s, "q@x.cn", "delivered", { from: ["sent"], at: T1 })).toBe("unmatched");
      expect(await ledger.apply(s, "nobody@x.cn", "delivered", { from: ["sent"], at: T1 })).toBe("unmatched");
      expect(await ledger.apply(s, "u@x.cn", "sent", { from: ["unknown"], messageId: "m-u", at: T1 })).toBe("applied");
      expect(await one(ledger, s, "u@x.cn")).toMatchObject({ status: "sent", sesMessageId: "m-u" });
      expect((await one(ledger, s, "u@x.cn"))?.reason).toBeUndefined();
      expect(await ledger.engage(s, "a@x.cn", { id: "e1", kind: "open", at: T1 })).toBe("counted");
      expect(await ledger.engage(s, "a@x.cn", { id: "e2", kind: "open", at: T2 })).toBe("counted");
      expect(await ledger.engage(s, "a@x.cn", { id: "e1", kind: "open", at: T1 })).toBe("duplicate");
      expect((await ledger.engagement(s)).report).toMatchObject({ opened: 2, openedFirst: 1 });
      // Found by the message id settle recorded (events without tags), and only by it.
      expect(await ledger.findByMessageId("m-a")).toEqual({ sendId: s, email: "a@x.cn" });
      expect(await ledger.findByMessageId("m-u")).toEqual({ sendId: s, email: "u@x.cn" });
      expect(await ledger.findByMessageId("m-nobody")).toBeNull();
      expect(await ledger.totals(s)).toEqual(await recount(ledger, s));
    });

    it("property: the counters equal the records, whatever is attempted in whatever order", async () => {
      const ledger = make();
      const step = fc.record({
        kind: fc.constantFrom("claim", "sent", "failed", "unknown", "queued", "requeue", "stale"),
        who: fc.integer({ min: 0, max: 4 }),
      });
      await fc.assert(
        fc.asyncProperty(fc.array(step, { maxLength: 25 }), async (steps) => {
          const s = newSend();
          const tierOf = (i: number) => TIERS[i % 3]!;
          await ledger.add(Array.from({ length: 5 }, (_, i) => delivery(s, `p${i}@x.cn`, { tier: tierOf(i) })));
          for (const { kind, who } of steps) {
            const email = `p${who}@x.cn`;
            if (kind === "claim") await ledger.claim(s, tierOf(who), [email], T0);
            else if (kind === "requeue") await ledger.requeueFailed(s, T1);
            else if (kind === "stale") await ledger.markStale(s, T1, T1);
            else await ledger.settle(s, [{ email, tier: tierOf(who), to: kind, fields: {} }], T1);
          }
          expect(await ledger.totals(s)).toEqual(await recount(ledger, s));
        }),
        { numRuns: 15 },
      );
    });
  });
}
