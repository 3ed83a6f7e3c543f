import { RetryableError, sourceStatuses } from "@bulletin/core";
import { describe, expect, it } from "vitest";
import { AT, delivery, recount, useTestLedger } from "./delivery-fixtures.test-support.ts";

const t = useTestLedger();

const LATER = "2025-09-01T09:00:00.000Z";
const fromFor = (type: "Delivery" | "Complaint" | "Send") => sourceStatuses({ type });
const hardBounce = sourceStatuses({ type: "Bounce", bounce: { type: "Permanent", subType: "General" } });

async function sentDelivery(sendId: string, email: string, settleTo: "sent" | "unknown" = "sent"): Promise<void> {
  await t.ledger.add([delivery(sendId, email, "report")]);
  await t.ledger.claim(sendId, "report", [email], AT);
  await t.ledger.settle(
    sendId,
    [
      {
        email: email,
        tier: "report",
        to: settleTo,
        fields: { sesMessageId: "m-1", reason: settleTo === "unknown" ? "crash" : undefined },
      },
    ],
    AT,
  );
}

describe("DynamoDeliveryLedger as DeliveryEvents", () => {
  it("checks the SES message id: another message's event is unmatched; an unknown delivery learns its id", async () => {
    await sentDelivery("ev-mid", "m@example.cn");
    expect(
      await t.ledger.apply("ev-mid", "m@example.cn", "bounced", { from: hardBounce, messageId: "other", at: LATER }),
    ).toBe("unmatched");
    expect((await t.ledger.getMany("ev-mid", ["m@example.cn"]))[0]).toMatchObject({
      status: "sent",
      sesMessageId: "m-1",
    });
    expect(
      await t.ledger.apply("ev-mid", "m@example.cn", "delivered", {
        from: fromFor("Delivery"),
        messageId: "m-1",
        at: LATER,
      }),
    ).toBe("applied");

    await t.ledger.add([delivery("ev-mid", "u@example.cn", "report")]);
    await t.ledger.claim("ev-mid", "report", ["u@example.cn"], AT);
    await t.ledger.settle(
      "ev-mid",
      [{ email: "u@example.cn", tier: "report", to: "unknown", fields: { reason: "crash" } }],
      AT,
    );
    expect(
      await t.ledger.apply("ev-mid", "u@example.cn", "sent", { from: fromFor("Send"), messageId: "m-u", at: LATER }),
    ).toBe("applied");
    expect((await t.ledger.getMany("ev-mid", ["u@example.cn"]))[0]).toMatchObject({
      status: "sent",
      sesMessageId: "m-u",
    });
    expect(await t.ledger.totals("ev-mid")).toEqual(await recount(t.ledger, "ev-mid"));
  });

  it("the same event applied concurrently 10 times moves the delivery and its counters exactly once", async () => {
    await sentDelivery("ev1", "a@example.cn");
    const outcomes = await Promise.all(
      Array.from({ length: 10 }, () =>
        t.ledger.apply("ev1", "a@example.cn", "delivered", { from: fromFor("Delivery"), at: LATER }),
      ),
    );
    expect(outcomes.filter((o) => o === "applied")).toHaveLength(1);
    expect(outcomes.filter((o) => o === "duplicate")).toHaveLength(9);
    const { totals } = await t.ledger.totals("ev1");
    expect(totals).toMatchObject({ delivered: 1, sent: 0, queued: 0, sending: 0 });
    expect(await t.ledger.totals("ev1")).toEqual(await recount(t.ledger, "ev1"));
  });

  it("a bounce and a complaint racing 10 times each end complained, counted once", async () => {
    await sentDelivery("ev2", "b@example.cn");
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        i % 2 === 0
          ? t.ledger.apply("ev2", "b@example.cn", "bounced", {
              from: hardBounce,
              reason: "550 user unknown",
              at: LATER,
            })
          : t.ledger.apply("ev2", "b@example.cn", "complained", { from: fromFor("Complaint"), at: LATER }),
      ),
    );
    expect((await t.ledger.getMany("ev2", ["b@example.cn"]))[0]?.status).toBe("complained");
    const { totals } = await t.ledger.totals("ev2");
    expect(totals).toMatchObject({ complained: 1, bounced: 0, sent: 0 });
    expect(await t.ledger.totals("ev2")).toEqual(await recount(t.ledger, "ev2"));
  });

  it("out of order: a Delivery after a Bounce is a duplicate and changes nothing", async () => {
    await sentDelivery("ev3", "c@example.cn");
    expect(await t.ledger.apply("ev3", "c@example.cn", "bounced", { from: hardBounce, reason: "550", at: LATER })).toBe(
      "applied",
    );
    expect(await t.ledger.apply("ev3", "c@example.cn", "delivered", { from: fromFor("Delivery"), at: LATER })).toBe(
      "duplicate",
    );
    expect((await t.ledger.getMany("ev3", ["c@example.cn"]))[0]).toMatchObject({ status: "bounced", reason: "550" });
  });

  it("resolves unknown (clearing its reason); unmatched for missing and queued; busy while sending", async () => {
    await sentDelivery("ev4", "d@example.cn", "unknown");
    expect(await t.ledger.apply("ev4", "d@example.cn", "sent", { from: fromFor("Send"), at: LATER })).toBe("applied");
    const d = (await t.ledger.getMany("ev4", ["d@example.cn"]))[0];
    expect(d?.status).toBe("sent");
    expect(d?.reason).toBeUndefined();
    expect(
      await t.ledger.apply("ev4", "nobody@example.cn", "delivered", { from: fromFor("Delivery"), at: LATER }),
    ).toBe("unmatched");
    await t.ledger.add([delivery("ev4", "q@example.cn", "report")]);
    expect(await t.ledger.apply("ev4", "q@example.cn", "delivered", { from: fromFor("Delivery"), at: LATER })).toBe(
      "unmatched",
    );
    await t.ledger.claim("ev4", "report", ["q@example.cn"], AT);
    await expect(
      t.ledger.apply("ev4", "q@example.cn", "delivered", { from: fromFor("Delivery"), at: LATER }),
    ).rejects.toBeInstanceOf(RetryableError);
    expect(await t.ledger.totals("ev4")).toEqual(await recount(t.ledger, "ev4"));
  });

  it("engagement: each event once even when ten copies race, distinct events every time, a canary moves nearby ones apart", async () => {
    await sentDelivery("ev5", "e@example.cn");
    // Ten copies of one open (a replay racing the live stream): counted once.
    const copies = await Promise.all(
      Array.from({ length: 10 }, () => t.ledger.engage("ev5", "e@example.cn", { id: "o-1", kind: "open", at: LATER })),
    );
    expect(copies.filter((x) => x === "counted")).toHaveLength(1);
    expect(copies.filter((x) => x === "duplicate")).toHaveLength(9);
    // Ten different opens at once: every one counted.
    const distinct = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        t.ledger.engage("ev5", "e@example.cn", { id: `o-${i + 2}`, kind: "open", at: "2026-01-02T00:00:00.000Z" }),
      ),
    );
    expect(distinct.every((x) => x === "counted")).toBe(true);
    await t.ledger.engage("ev5", "e@example.cn", { id: "c-1", kind: "click", at: LATER });
    expect(await t.ledger.engage("ev5", "ghost@example.cn", { id: "c-2", kind: "click", at: LATER })).toBe("unmatched");
    const e = await t.ledger.engagement("ev5");
    expect(e.report).toMatchObject({ opened: 11, openedFirst: 1, clicked: 1, clickedFirst: 1, automatedOpened: 0 });
    // A scanner's canary click a minute after LATER: the open and click at LATER become automated.
    const canaryAt = new Date(Date.parse(LATER) + 60_000).toISOString();
    expect(await t.ledger.engage("ev5", "e@example.cn", { id: "k-1", kind: "canary", at: canaryAt })).toBe("automated");
    expect((await t.ledger.engagement("ev5")).report).toEqual({
      opened: 10,
      openedFirst: 1,
      clicked: 0,
      clickedFirst: 0,
      automatedOpened: 1,
      automatedClicked: 1,
      canaryClicks: 1,
    });
    expect((await t.ledger.engagement("ev5")).copy).toMatchObject({
      opened: 0,
      openedFirst: 0,
      clicked: 0,
      clickedFirst: 0,
    });
    // Engagement counters share the item with the status counts and leave them alone.
    expect(await t.ledger.totals("ev5")).toEqual(await recount(t.ledger, "ev5"));
    expect((await t.ledger.getMany("ev5", ["e@example.cn"]))[0]?.status).toBe("sent");
  });
});
