import { ConflictError, InvalidInputError, NotFoundError, TIERS } from "@bulletin/core";
import { beforeAll, describe, expect, it } from "vitest";
import { STALE_REASON } from "./delivery-ledger.ts";
import { AT, delivery, listAll, recount, useTestLedger } from "./delivery-fixtures.test-support.ts";

const t = useTestLedger();

const LATER = "2025-09-01T08:05:00.000Z";

describe("DynamoDeliveryLedger: add, get, totals", () => {
  it("adds queued and skipped deliveries and counts them per tier", async () => {
    await t.ledger.add([
      delivery("s-add", "a@example.cn", "report"),
      delivery("s-add", "b@example.cn", "report"),
      delivery("s-add", "c@example.cn", "copy", { status: "skipped", reason: "unsubscribed" }),
    ]);
    expect(await t.ledger.get("s-add", "c@example.cn")).toEqual(
      delivery("s-add", "c@example.cn", "copy", { status: "skipped", reason: "unsubscribed" }),
    );
    expect(await t.ledger.get("s-add", "zzz@example.cn")).toBeNull();
    const { totals, byTier } = await t.ledger.totals("s-add");
    expect(totals).toMatchObject({ queued: 2, skipped: 1, sending: 0 });
    expect(byTier.report).toMatchObject({ queued: 2, skipped: 0 });
    expect(byTier.copy).toMatchObject({ queued: 0, skipped: 1 });
    expect(byTier.distribute.queued).toBe(0);
  });

  it("is idempotent: adding the same deliveries again changes neither records nor counters", async () => {
    const batch = Array.from({ length: 60 }, (_, i) => delivery("s-idem", `p${i}@example.cn`, i % 2 ? "report" : "distribute"));
    await t.ledger.add(batch);
    await t.ledger.claim("s-idem", "p0@example.cn", LATER);
    const before = await t.ledger.totals("s-idem");
    await t.ledger.add([...batch, ...batch.slice(0, 5)]);
    expect(await t.ledger.totals("s-idem")).toEqual(before);
    expect(before.totals).toMatchObject({ queued: 59, sending: 1 });
    expect((await t.ledger.get("s-idem", "p0@example.cn"))?.status).toBe("sending");
    expect(await t.ledger.totals("s-idem")).toEqual(await recount(t.ledger, "s-idem"));
  });

  it("refuses a delivery with an unknown tier or status", async () => {
    const bad = { ...delivery("s-bad", "x@example.cn", "report"), tier: "vip" } as never;
    await expect(t.ledger.add([bad])).rejects.toBeInstanceOf(InvalidInputError);
    expect(await t.ledger.get("s-bad", "x@example.cn")).toBeNull();
  });

  it("reports zeros for a send without deliveries", async () => {
    const { totals, byTier } = await t.ledger.totals("s-none");
    expect(Object.values(totals).every((n) => n === 0)).toBe(true);
    expect(Object.keys(byTier).sort()).toEqual(["copy", "distribute", "report"]);
  });
});

describe("DynamoDeliveryLedger: claim and settle", () => {
  it("claims exactly once under 20 concurrent claims", async () => {
    await t.ledger.add([delivery("s-claim", "one@example.cn", "report")]);
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, () => t.ledger.claim("s-claim", "one@example.cn", LATER)),
    );
    const won = results.filter((r) => r.status === "fulfilled");
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(19);
    for (const r of lost) expect(r.reason).toBeInstanceOf(ConflictError);
    const d = await t.ledger.get("s-claim", "one@example.cn");
    expect(d).toMatchObject({ status: "sending", attempts: 1, updatedAt: LATER });
    expect((won[0] as PromiseFulfilledResult<unknown>).value).toEqual(d);
    expect((await t.ledger.totals("s-claim")).totals).toMatchObject({ queued: 0, sending: 1 });
  });

  it("settles only a delivery in 'sending', recording the SES message id or the error", async () => {
    await t.ledger.add([delivery("s-settle", "ok@example.cn", "copy"), delivery("s-settle", "bad@example.cn", "copy")]);
    await expect(t.ledger.settle("s-settle", "ok@example.cn", "sent", { sesMessageId: "m-1" }, LATER)).rejects.toBeInstanceOf(
      ConflictError,
    );
    await t.ledger.claim("s-settle", "ok@example.cn", LATER);
    await t.ledger.claim("s-settle", "bad@example.cn", LATER);
    await t.ledger.settle("s-settle", "ok@example.cn", "sent", { sesMessageId: "m-1" }, LATER);
    await t.ledger.settle("s-settle", "bad@example.cn", "failed", { reason: "MessageRejected", lastError: "bad address" }, LATER);
    expect(await t.ledger.get("s-settle", "ok@example.cn")).toMatchObject({ status: "sent", sesMessageId: "m-1", attempts: 1 });
    expect(await t.ledger.get("s-settle", "bad@example.cn")).toMatchObject({ status: "failed", reason: "MessageRejected" });
    // A duplicate settle (a redelivered event) is a ConflictError and changes nothing.
    await expect(t.ledger.settle("s-settle", "ok@example.cn", "failed", {}, LATER)).rejects.toBeInstanceOf(ConflictError);
    await expect(t.ledger.claim("s-settle", "ghost@example.cn", LATER)).rejects.toBeInstanceOf(NotFoundError);
    expect((await t.ledger.totals("s-settle")).byTier.copy).toMatchObject({ sent: 1, failed: 1, sending: 0, queued: 0 });
  });

  it("releases a claimed delivery back to 'queued' and lets it be claimed again", async () => {
    await t.ledger.add([delivery("s-rel", "r@example.cn", "distribute")]);
    await t.ledger.claim("s-rel", "r@example.cn", LATER);
    await t.ledger.settle("s-rel", "r@example.cn", "queued", { lastError: "throttled" }, LATER);
    const again = await t.ledger.claim("s-rel", "r@example.cn", LATER);
    expect(again).toMatchObject({ status: "sending", attempts: 2, lastError: "throttled" });
    expect(await t.ledger.totals("s-rel")).toEqual(await recount(t.ledger, "s-rel"));
  });
});

describe("DynamoDeliveryLedger: requeueFailed and markStale", () => {
  it("re-queues failed deliveries only, never sent ones", async () => {
    const emails = ["f1@example.cn", "f2@example.cn", "s1@example.cn", "q1@example.cn"];
    await t.ledger.add(emails.map((e) => delivery("s-rq", e, "report")));
    for (const e of emails.slice(0, 3)) await t.ledger.claim("s-rq", e, LATER);
    await t.ledger.settle("s-rq", "f1@example.cn", "failed", { reason: "MessageRejected" }, LATER);
    await t.ledger.settle("s-rq", "f2@example.cn", "failed", { reason: "MessageRejected" }, LATER);
    await t.ledger.settle("s-rq", "s1@example.cn", "sent", { sesMessageId: "m" }, LATER);
    const requeued = await t.ledger.requeueFailed("s-rq", "2025-09-02T00:00:00.000Z");
    expect(requeued.sort()).toEqual(["f1@example.cn", "f2@example.cn"]);
    const f1 = await t.ledger.get("s-rq", "f1@example.cn");
    expect(f1).toMatchObject({ status: "queued", updatedAt: "2025-09-02T00:00:00.000Z" });
    expect(f1?.reason).toBeUndefined();
    expect((await t.ledger.get("s-rq", "s1@example.cn"))?.status).toBe("sent");
    expect(await t.ledger.requeueFailed("s-rq", LATER)).toEqual([]);
    expect((await t.ledger.totals("s-rq")).totals).toMatchObject({ queued: 3, sent: 1, failed: 0, sending: 0 });
  });

  it("marks deliveries stuck in 'sending' since before the cut-off as unknown, with the reason", async () => {
    await t.ledger.add(["old@example.cn", "new@example.cn", "idle@example.cn"].map((e) => delivery("s-stale", e, "copy")));
    await t.ledger.claim("s-stale", "old@example.cn", "2025-09-01T08:00:00.000Z");
    await t.ledger.claim("s-stale", "new@example.cn", "2025-09-01T08:20:00.000Z");
    const n = await t.ledger.markStale("s-stale", "2025-09-01T08:15:00.000Z", "2025-09-01T08:30:00.000Z");
    expect(n).toBe(1);
    expect(await t.ledger.get("s-stale", "old@example.cn")).toMatchObject({ status: "unknown", reason: STALE_REASON });
    expect((await t.ledger.get("s-stale", "new@example.cn"))?.status).toBe("sending");
    expect((await t.ledger.get("s-stale", "idle@example.cn"))?.status).toBe("queued");
    expect(await t.ledger.markStale("s-stale", "2025-09-01T08:15:00.000Z", AT)).toBe(0);
    expect((await t.ledger.totals("s-stale")).totals).toMatchObject({ unknown: 1, sending: 1, queued: 1 });
  });
});

describe("DynamoDeliveryLedger: list", () => {
  beforeAll(async () => {
    const tiers = ["report", "distribute", "copy"] as const;
    await t.ledger.add(Array.from({ length: 12 }, (_, i) => delivery("s-list", `u${String(i).padStart(2, "0")}@example.cn`, tiers[i % 3]!)));
    for (const i of [0, 1, 2, 3, 4]) await t.ledger.claim("s-list", `u0${i}@example.cn`, LATER);
    await t.ledger.settle("s-list", "u00@example.cn", "sent", { sesMessageId: "m0" }, LATER);
  });

  it("lists by status (a Query on gsi1), ordered by tier then address, in pages", async () => {
    const first = await t.ledger.list("s-list", { status: "sending", limit: 2 });
    expect(first.items.map((d) => d.email)).toEqual(["u02@example.cn", "u01@example.cn"]);
    const second = await t.ledger.list("s-list", { status: "sending", limit: 2, cursor: first.cursor });
    expect(second.items.map((d) => d.email)).toEqual(["u04@example.cn", "u03@example.cn"]);
    expect(second.cursor).toBeUndefined();
    expect((await listAll(t.ledger, "s-list", { status: "queued", limit: 3 })).map((d) => d.email)).toEqual(
      ["u05", "u08", "u11", "u07", "u10", "u06", "u09"].map((u) => `${u}@example.cn`),
    );
    expect((await listAll(t.ledger, "s-list", { status: "sent" }))[0]).toMatchObject({ email: "u00@example.cn", sesMessageId: "m0" });
  });

  it("lists by status and tier, by tier only, and everything", async () => {
    const reportQueued = await listAll(t.ledger, "s-list", { status: "queued", tier: "report", limit: 1 });
    expect(reportQueued.map((d) => d.email)).toEqual(["u06@example.cn", "u09@example.cn"]);
    const page = await t.ledger.list("s-list", { tier: "distribute", limit: 3 });
    expect(page.items.map((d) => d.email)).toEqual(["u01@example.cn", "u04@example.cn", "u07@example.cn"]);
    const last = await t.ledger.list("s-list", { tier: "distribute", limit: 3, cursor: page.cursor });
    expect(last.items.map((d) => d.email)).toEqual(["u10@example.cn"]);
    expect(last.cursor).toBeUndefined();
    const all = await listAll(t.ledger, "s-list", { limit: 5 });
    expect(all.map((d) => d.email)).toEqual(Array.from({ length: 12 }, (_, i) => `u${String(i).padStart(2, "0")}@example.cn`));
    expect(await listAll(t.ledger, "s-list", { status: "bounced" })).toEqual([]);
  });

  it("refuses a cursor from another listing, and unknown filters", async () => {
    const page = await t.ledger.list("s-list", { status: "queued", limit: 1 });
    await expect(t.ledger.list("s-list", { status: "sending", cursor: page.cursor })).rejects.toBeInstanceOf(InvalidInputError);
    await expect(t.ledger.list("s-list", { cursor: page.cursor })).rejects.toBeInstanceOf(InvalidInputError);
    const tablePage = await t.ledger.list("s-list", { limit: 1 });
    await expect(t.ledger.list("s-other", { cursor: tablePage.cursor })).rejects.toBeInstanceOf(InvalidInputError);
    await expect(t.ledger.list("s-list", { status: "lost" as never })).rejects.toBeInstanceOf(InvalidInputError);
  });

  it("keeps counters equal to the records", async () => {
    expect(await t.ledger.totals("s-list")).toEqual(await recount(t.ledger, "s-list"));
  });
});

describe("DynamoDeliveryLedger: claimMany and settleMany", () => {
  it("two senders racing over the same 60 addresses claim each exactly once; counters equal the records", async () => {
    const emails = Array.from({ length: 60 }, (_, i) => `m${i}@example.cn`);
    await t.ledger.add(emails.map((e, i) => delivery("s-many", e, TIERS[i % 3]!)));
    const [a, b] = await Promise.all([t.ledger.claimMany("s-many", emails, LATER), t.ledger.claimMany("s-many", [...emails].reverse(), LATER)]);
    const claimed = [...a, ...b].map((d) => d.email).sort();
    expect(claimed).toEqual([...emails].sort());
    expect(a.every((d) => d.status === "sending" && d.attempts === 1)).toBe(true);
    expect((await t.ledger.totals("s-many")).totals).toMatchObject({ queued: 0, sending: 60 });
    expect(await t.ledger.totals("s-many")).toEqual(await recount(t.ledger, "s-many"));

    const conflicts = await t.ledger.settleMany(
      "s-many",
      [
        ...a.map((d) => ({ email: d.email, to: "sent" as const, fields: { sesMessageId: `id-${d.email}` } })),
        ...b.map((d) => ({ email: d.email, to: "failed" as const, fields: { reason: "MessageRejected: nope" } })),
        { email: a[0]!.email, to: "unknown" as const, fields: {} }, // settled above already: a conflict, not a change
      ],
      LATER,
    );
    expect(conflicts).toEqual([a[0]!.email]);
    expect((await t.ledger.totals("s-many")).totals).toMatchObject({ sending: 0, sent: a.length, failed: b.length, unknown: 0 });
    expect(await t.ledger.get("s-many", a[0]!.email)).toMatchObject({ status: "sent", sesMessageId: `id-${a[0]!.email}` });
    expect(await t.ledger.totals("s-many")).toEqual(await recount(t.ledger, "s-many"));
    // Nothing left to claim, and an unknown address is simply not claimed.
    expect(await t.ledger.claimMany("s-many", [...emails, "nobody@example.cn"], LATER)).toEqual([]);
  });

  it("settleMany of an address that is not in the send is an error, and nothing else is lost", async () => {
    await t.ledger.add([delivery("s-many2", "x@example.cn", "copy")]);
    await t.ledger.claimMany("s-many2", ["x@example.cn"], LATER);
    await expect(t.ledger.settleMany("s-many2", [{ email: "x@example.cn", to: "sent", fields: {} }, { email: "ghost@example.cn", to: "sent", fields: {} }], LATER)).rejects.toBeInstanceOf(NotFoundError);
    expect(await t.ledger.get("s-many2", "x@example.cn")).toMatchObject({ status: "sent" });
    expect(await t.ledger.totals("s-many2")).toEqual(await recount(t.ledger, "s-many2"));
  });
});
