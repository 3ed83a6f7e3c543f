import { describe, expect, it } from "vitest";
import { fixture } from "./fixtures.test-support.ts";
import { parseSesEventText, parseSesEvents } from "./ses-event.ts";

const base = {
  messageId: "EXAMPLE7c191be45-e9aedb9a-02f9-4d12-a87d-dd0099a07f8a-000000",
  sendId: "send-1",
  tier: "report",
  recipients: ["recipient@example.cn"],
};

describe("parseSesEvents: every event type, as AWS documents it", () => {
  const cases: [string, Record<string, unknown>][] = [
    ["send", { type: "Send", at: "2025-09-01T08:00:00.000Z" }],
    ["delivery", { type: "Delivery", at: "2025-09-01T08:00:02.102Z" }],
    [
      "bounce-permanent",
      {
        type: "Bounce",
        at: "2025-09-01T08:00:03.000Z",
        bounce: { type: "Permanent", subType: "General" },
        reason: "smtp; 550 5.1.1 user unknown",
      },
    ],
    [
      "bounce-transient",
      { type: "Bounce", bounce: { type: "Transient", subType: "MailboxFull" }, reason: "smtp; 452 4.2.2 mailbox full" },
    ],
    ["complaint", { type: "Complaint", at: "2025-09-01T09:00:00.000Z", reason: "abuse" }],
    ["reject", { type: "Reject", reason: "Bad content" }],
    [
      "delivery-delay",
      { type: "DeliveryDelay", reason: "TransientCommunicationFailure", at: "2025-09-01T08:10:00.000Z" },
    ],
    [
      "rendering-failure",
      { type: "Rendering Failure", reason: "Attribute 'name' is not present in the rendering data." },
    ],
    ["open", { type: "Open", at: "2025-09-01T10:00:00.000Z" }],
    ["click", { type: "Click", link: "https://example.org/issues/2025-09#a1", at: "2025-09-01T10:01:00.000Z" }],
    ["subscription", { type: "Subscription", at: "2025-09-01T11:00:00.000Z" }],
  ];
  it.each(cases)("%s", (name, expected) => {
    const { events, invalid } = parseSesEvents(fixture(name));
    expect(invalid).toEqual([]);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ ...base, ...expected });
  });

  it("lower-cases the destination and strips a display name", () => {
    const raw = fixture("send");
    (raw.mail as Record<string, unknown>).destination = ["Zhang San <Zhang@Example.CN>"];
    expect(parseSesEvents(raw).events[0]?.recipients).toEqual(["zhang@example.cn"]);
  });

  it("an event without send tag has no sendId", () => {
    const raw = fixture("delivery");
    (raw.mail as Record<string, unknown>).tags = { "ses:configuration-set": ["x"] };
    const e = parseSesEvents(raw).events[0];
    expect(e?.sendId).toBeUndefined();
    expect(e?.tier).toBeUndefined();
  });

  it("accepts notificationType (SES identity notifications) as the event type", () => {
    const { eventType: _drop, ...raw } = fixture("bounce-permanent");
    expect(parseSesEvents({ ...raw, notificationType: "Bounce" }).events[0]?.type).toBe("Bounce");
  });

  it("lists what is not an event, with its index and reason, and keeps going", () => {
    const broken = fixture("bounce-permanent");
    delete (broken.bounce as Record<string, unknown>).bounceType;
    const r = parseSesEvents([fixture("open"), 42, broken, { eventType: "Nope", mail: {} }, fixture("click")]);
    expect(r.events.map((e) => e.type)).toEqual(["Open", "Click"]);
    expect(r.invalid.map((i) => i.index)).toEqual([1, 2, 3]);
    expect(r.invalid[1]?.reason).toContain("bounce.bounceType");
  });
});

describe("SNS envelopes", () => {
  it("unwraps a Notification", () => {
    const r = parseSesEvents(fixture("sns-notification"));
    expect(r.events[0]).toMatchObject({ type: "Bounce", sendId: "send-1" });
  });
  it("reports a SubscriptionConfirmation instead of an event", () => {
    const r = parseSesEvents(fixture("sns-subscription-confirmation"));
    expect(r.events).toEqual([]);
    expect(r.invalid).toEqual([]);
    expect(r.confirmations[0]).toMatchObject({
      index: 0,
      type: "SubscriptionConfirmation",
      subscribeUrl: expect.stringContaining("ConfirmSubscription"),
    });
  });
  it("a Notification whose Message is not JSON is invalid", () => {
    expect(parseSesEvents({ Type: "Notification", Message: "{oops" }).invalid[0]?.reason).toMatch(/not JSON/);
  });
});

describe("parseSesEventText", () => {
  it("reads JSON lines (Firehose) and lists a bad line by its number", () => {
    const text = [
      JSON.stringify(fixture("send")),
      "{not json",
      "",
      JSON.stringify(fixture("delivery")),
      JSON.stringify({ eventType: "Open" }),
    ].join("\n");
    const r = parseSesEventText(text);
    expect(r.events.map((e) => e.type)).toEqual(["Send", "Delivery"]);
    expect(r.invalid.map((i) => i.index)).toEqual([2, 5]);
    expect(r.invalid[0]?.reason).toMatch(/line is not JSON/);
  });
  it("reads a JSON array and a single pretty-printed envelope", () => {
    expect(parseSesEventText(JSON.stringify([fixture("open"), fixture("click")])).events).toHaveLength(2);
    expect(parseSesEventText(JSON.stringify(fixture("sns-notification"), null, 2)).events[0]?.type).toBe("Bounce");
  });
  it("never throws, whatever the text", () => {
    for (const text of ["", "   ", "null", "[1,", "\u0000", "[]", "true\nfalse"])
      expect(() => parseSesEventText(text)).not.toThrow();
  });
});
