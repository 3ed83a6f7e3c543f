import { beforeEach, describe, expect, it } from "vitest";
import { RetryableError } from "../errors/errors.ts";
import type { Recipient } from "../audience/recipient.ts";
import type { Delivery } from "../send/send-model.ts";
import { InMemoryDeliveryLedger } from "../testing/in-memory-delivery-ledger.ts";
import { InMemoryRecipientRepo } from "../testing/in-memory-recipient-repo.ts";
import { InMemorySuppressionRepo } from "../testing/in-memory-suppression-repo.ts";
import { ManualClock } from "../testing/manual-clock.ts";
import { applySesEvent, type ApplyEventDeps } from "./apply-ses-event.ts";
import { fixture, withMail } from "./fixtures.test-support.ts";
import { parseSesEvents, type SesEvent } from "./ses-event.ts";

const EMAIL = "recipient@example.cn";
const T = "2025-09-01T07:00:00.000Z";
// The SES message id in every fixture: the one the sender recorded for the delivery.
const MESSAGE_ID = "EXAMPLE7c191be45-e9aedb9a-02f9-4d12-a87d-dd0099a07f8a-000000";

function event(name: string, send = "send-1"): SesEvent {
  const raw = fixture(name);
  const e = parseSesEvents(withMail(raw, { tags: { send: [send], tier: ["report"] } })).events[0];
  if (!e) throw new Error(`fixture ${name} did not parse`);
  return e;
}

const recipient = (status: Recipient["status"] = "active"): Recipient => ({
  email: EMAIL, name: "张三", organization: "", tier: "report", role: "", status, createdAt: T, updatedAt: T,
});

let ledger: InMemoryDeliveryLedger;
let suppressions: InMemorySuppressionRepo;
let recipients: InMemoryRecipientRepo;
let deps: ApplyEventDeps;

/** A delivery of `sendId` that the sender has settled as "sent". */
async function sent(sendId = "send-1", email = EMAIL): Promise<void> {
  const d: Delivery = { sendId, email, tier: "report", status: "queued", attempts: 0, createdAt: T, updatedAt: T };
  await ledger.add([d]);
  await ledger.claim(sendId, "report", [email], T);
  await ledger.settle(sendId, [{ email: email, tier: "report", to: "sent", fields: { sesMessageId: MESSAGE_ID } }], T);
}

beforeEach(() => {
  ledger = new InMemoryDeliveryLedger();
  suppressions = new InMemorySuppressionRepo();
  recipients = new InMemoryRecipientRepo([recipient()]);
  deps = { deliveries: ledger, suppressions, recipients, clock: new ManualClock("2025-09-01T12:00:00.000Z"), settings: { trackEngagement: true } };
});

describe("applySesEvent", () => {
  it("Delivery → delivered; again → duplicate; counters agree", async () => {
    await sent();
    expect((await applySesEvent(event("delivery"), deps)).outcome).toBe("applied");
    expect((await applySesEvent(event("delivery"), deps)).outcome).toBe("duplicate");
    expect((await ledger.get("send-1", EMAIL))?.status).toBe("delivered");
    expect(await ledger.totals("send-1")).toEqual(ledger.recount("send-1"));
  });

  it("a permanent bounce: bounced, suppressed (subtype as detail), recipient bounced", async () => {
    await sent();
    const r = await applySesEvent(event("bounce-permanent"), deps);
    expect(r).toEqual({ outcome: "applied", recipients: [{ email: EMAIL, outcome: "applied", suppressed: true }] });
    expect(await ledger.get("send-1", EMAIL)).toMatchObject({ status: "bounced", reason: "smtp; 550 5.1.1 user unknown" });
    expect(await suppressions.get(EMAIL)).toMatchObject({ reason: "bounce", detail: "General", source: expect.stringContaining("send-1") });
    expect((await recipients.get(EMAIL))?.status).toBe("bounced");
    // A late Delivery changes nothing.
    expect((await applySesEvent(event("delivery"), deps)).outcome).toBe("duplicate");
    expect((await ledger.get("send-1", EMAIL))?.status).toBe("bounced");
  });

  it("a complaint after a bounce wins: complained, recipient complained, suppression keeps its first reason", async () => {
    await sent();
    await applySesEvent(event("bounce-permanent"), deps);
    const r = await applySesEvent(event("complaint"), deps);
    expect(r.recipients[0]).toEqual({ email: EMAIL, outcome: "applied", suppressed: false });
    expect((await ledger.get("send-1", EMAIL))?.status).toBe("complained");
    expect((await recipients.get(EMAIL))?.status).toBe("complained");
    expect((await suppressions.get(EMAIL))?.reason).toBe("bounce");
  });

  it("suppresses on a hard bounce even without a send tag (outcome unmatched)", async () => {
    const e = { ...event("bounce-permanent") };
    delete e.sendId;
    const r = await applySesEvent(e, deps);
    expect(r.outcome).toBe("unmatched");
    expect(await suppressions.suppressed([EMAIL])).toEqual(new Set([EMAIL]));
  });

  it("an unsubscribed recipient who bounces stays unsubscribed", async () => {
    recipients = new InMemoryRecipientRepo([recipient("unsubscribed")]);
    await applySesEvent(event("bounce-permanent"), { ...deps, recipients });
    expect((await recipients.get(EMAIL))?.status).toBe("unsubscribed");
  });

  it("soft bounces: suppressed after N in a row, a delivery resets the run, a duplicate never counts", async () => {
    deps.settings.transientBouncesToSuppress = 3;
    for (const s of ["s1", "s2"]) {
      await sent(s);
      await applySesEvent(event("bounce-transient", s), deps);
      await applySesEvent(event("bounce-transient", s), deps); // redelivered: not counted again
    }
    await sent("s3");
    await applySesEvent(event("delivery", "s3"), deps); // the run is over
    for (const s of ["s4", "s5"]) {
      await sent(s);
      await applySesEvent(event("bounce-transient", s), deps);
    }
    expect(await suppressions.get(EMAIL)).toBeNull();
    expect((await recipients.get(EMAIL))?.status).toBe("active");
    await sent("s6");
    const r = await applySesEvent(event("bounce-transient", "s6"), deps);
    expect(r.recipients[0]?.suppressed).toBe(true);
    expect(await suppressions.get(EMAIL)).toMatchObject({ reason: "bounce", detail: expect.stringContaining("3 soft bounces") });
    expect((await recipients.get(EMAIL))?.status).toBe("bounced");
  });

  it("a soft bounce after delivery does not undo it", async () => {
    await sent();
    await applySesEvent(event("delivery"), deps);
    expect((await applySesEvent(event("bounce-transient"), deps)).outcome).toBe("duplicate");
  });

  it("Reject and Rendering Failure → failed with the reason", async () => {
    await sent("s1");
    await sent("s2");
    await applySesEvent(event("reject", "s1"), deps);
    await applySesEvent(event("rendering-failure", "s2"), deps);
    expect(await ledger.get("s1", EMAIL)).toMatchObject({ status: "failed", reason: "Bad content" });
    expect((await ledger.get("s2", EMAIL))?.reason).toMatch(/rendering data/);
  });

  it("resolves an unknown delivery", async () => {
    await ledger.add([{ sendId: "s1", email: EMAIL, tier: "report", status: "queued", attempts: 0, createdAt: T, updatedAt: T }]);
    await ledger.claim("s1", "report", [EMAIL], T);
    await ledger.settle("s1", [{ email: EMAIL, tier: "report", to: "unknown", fields: { reason: "crash" } }], T);
    await applySesEvent(event("send", "s1"), deps);
    const d = await ledger.get("s1", EMAIL);
    expect(d?.status).toBe("sent");
    expect(d?.reason).toBeUndefined();
    // It learns the message id SES gave it, so later events are checked against it.
    expect(d?.sesMessageId).toBe(MESSAGE_ID);
  });

  it("an event about another message than the delivery's is unmatched and changes nothing", async () => {
    await sent("s1");
    const other = { ...event("bounce-permanent", "s1"), messageId: "another-message" };
    expect((await applySesEvent(other, deps)).outcome).toBe("unmatched");
    expect((await ledger.get("s1", EMAIL))?.status).toBe("sent");
    expect((await applySesEvent(event("delivery", "s1"), deps)).outcome).toBe("applied");
  });

  it("an event for a delivery still being sent is retried, not dropped", async () => {
    await ledger.add([{ sendId: "s1", email: EMAIL, tier: "report", status: "queued", attempts: 0, createdAt: T, updatedAt: T }]);
    await ledger.claim("s1", "report", [EMAIL], T);
    await expect(applySesEvent(event("delivery", "s1"), deps)).rejects.toBeInstanceOf(RetryableError);
  });

  it("unmatched: no such delivery, or no send tag", async () => {
    expect((await applySesEvent(event("delivery", "nope"), deps)).outcome).toBe("unmatched");
    const e = { ...event("delivery") };
    delete e.sendId;
    expect((await applySesEvent(e, deps)).outcome).toBe("unmatched");
  });

  it("engagement: first and total per delivery, only when tracking is on", async () => {
    await sent();
    await applySesEvent(event("open"), deps);
    await applySesEvent(event("open"), deps);
    await applySesEvent(event("click"), deps);
    expect((await ledger.engagement("send-1")).report).toEqual({ opened: 2, openedFirst: 1, clicked: 1, clickedFirst: 1 });
    const off = { ...deps, settings: { trackEngagement: false } };
    expect((await applySesEvent(event("open"), off)).outcome).toBe("ignored");
    expect((await ledger.engagement("send-1")).report.opened).toBe(2);
  });

  it("DeliveryDelay and Subscription are ignored", async () => {
    await sent();
    expect((await applySesEvent(event("delivery-delay"), deps)).outcome).toBe("ignored");
    expect((await applySesEvent(event("subscription"), deps)).outcome).toBe("ignored");
    expect((await ledger.get("send-1", EMAIL))?.status).toBe("sent");
  });
});

describe("InMemorySuppressionRepo", () => {
  it("lift logs who and when; list pages by address", async () => {
    for (const e of ["c@x.cn", "a@x.cn", "b@x.cn"]) await suppressions.suppress({ email: e, reason: "manual", at: T });
    const first = await suppressions.list({ limit: 2 });
    expect(first.items.map((e) => e.email)).toEqual(["a@x.cn", "b@x.cn"]);
    expect((await suppressions.list({ limit: 2, cursor: first.cursor })).items.map((e) => e.email)).toEqual(["c@x.cn"]);
    await suppressions.lift("a@x.cn", "admin:li", "2025-09-02T00:00:00.000Z");
    expect(await suppressions.lifts("a@x.cn")).toEqual([{ email: "a@x.cn", reason: "manual", createdAt: T, liftedBy: "admin:li", liftedAt: "2025-09-02T00:00:00.000Z" }]);
    await expect(suppressions.lift("a@x.cn", "x", T)).rejects.toThrow(/not suppressed/);
  });
});
