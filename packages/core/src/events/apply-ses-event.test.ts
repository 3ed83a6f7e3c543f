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
  email: EMAIL,
  name: "张三",
  organization: "",
  tier: "report",
  role: "",
  status,
  createdAt: T,
  updatedAt: T,
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
  deps = {
    deliveries: ledger,
    suppressions,
    recipients,
    clock: new ManualClock("2025-09-01T12:00:00.000Z"),
    settings: { trackEngagement: true },
  };
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
    expect(await ledger.get("send-1", EMAIL)).toMatchObject({
      status: "bounced",
      reason: "smtp; 550 5.1.1 user unknown",
    });
    expect(await suppressions.get(EMAIL)).toMatchObject({
      reason: "bounce",
      detail: "General",
      source: expect.stringContaining("send-1"),
    });
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
    expect(await suppressions.get(EMAIL)).toMatchObject({
      reason: "bounce",
      detail: expect.stringContaining("3 soft bounces"),
    });
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
    await ledger.add([
      { sendId: "s1", email: EMAIL, tier: "report", status: "queued", attempts: 0, createdAt: T, updatedAt: T },
    ]);
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
    await ledger.add([
      { sendId: "s1", email: EMAIL, tier: "report", status: "queued", attempts: 0, createdAt: T, updatedAt: T },
    ]);
    await ledger.claim("s1", "report", [EMAIL], T);
    await expect(applySesEvent(event("delivery", "s1"), deps)).rejects.toBeInstanceOf(RetryableError);
  });

  it("unmatched: no such delivery, or no send tag", async () => {
    expect((await applySesEvent(event("delivery", "nope"), deps)).outcome).toBe("unmatched");
    const e = { ...event("delivery") };
    delete e.sendId;
    expect((await applySesEvent(e, deps)).outcome).toBe("unmatched");
  });

  /** An open or click of the fixture's message at `at` (a click on `link`, if given). */
  function engagementAt(name: "open" | "click", at: string, link?: string): SesEvent {
    const raw = withMail(fixture(name), { tags: { send: ["send-1"], tier: ["report"] } });
    const detail = { ...(raw[name] as Record<string, unknown>), timestamp: at, ...(link ? { link } : {}) };
    return parseSesEvents({ ...raw, [name]: detail }).events[0]!;
  }

  it("engagement: counted once per SES event (a replay changes nothing), only when tracking is on", async () => {
    await sent();
    expect((await applySesEvent(engagementAt("open", "2025-09-01T10:00:00.000Z"), deps)).outcome).toBe("applied");
    await applySesEvent(engagementAt("open", "2025-09-01T11:00:00.000Z"), deps);
    await applySesEvent(event("click"), deps);
    const once = (await ledger.engagement("send-1")).report;
    expect(once).toMatchObject({ opened: 2, openedFirst: 1, clicked: 1, clickedFirst: 1 });
    // The same file replayed: every event is a duplicate, and no count moves.
    for (const e of [
      engagementAt("open", "2025-09-01T10:00:00.000Z"),
      engagementAt("open", "2025-09-01T11:00:00.000Z"),
      event("click"),
    ]) {
      expect((await applySesEvent(e, deps)).outcome).toBe("duplicate");
    }
    expect((await ledger.engagement("send-1")).report).toEqual(once);
    const off = { ...deps, settings: { trackEngagement: false } };
    expect((await applySesEvent(engagementAt("open", "2025-09-01T12:00:00.000Z"), off)).outcome).toBe("ignored");
    expect((await ledger.engagement("send-1")).report.opened).toBe(2);
  });

  it("a click on the canary link makes the message's opens and clicks within minutes automated, counted apart; later ones by people stay", async () => {
    await sent();
    const canary = "https://bulletin.example.org/archive/i1?bulletin-canary=1";
    // A scanner at 10:00 opens and follows every link; the canary click arrives last.
    await applySesEvent(engagementAt("open", "2025-09-01T10:00:01.000Z"), deps);
    await applySesEvent(
      engagementAt("click", "2025-09-01T10:00:02.000Z", "https://bulletin.example.org/archive/i1"),
      deps,
    );
    await applySesEvent(engagementAt("click", "2025-09-01T10:00:03.000Z", canary), deps);
    // A person reads it in the afternoon, and a scanner's open right after the canary is automated too.
    await applySesEvent(engagementAt("open", "2025-09-01T10:00:04.000Z"), deps);
    await applySesEvent(engagementAt("open", "2025-09-01T15:00:00.000Z"), deps);
    expect((await ledger.engagement("send-1")).report).toEqual({
      opened: 1,
      openedFirst: 1,
      clicked: 0,
      clickedFirst: 0,
      automatedOpened: 2,
      automatedClicked: 1,
      canaryClicks: 1,
    });
    // Replaying the canary changes nothing.
    expect((await applySesEvent(engagementAt("click", "2025-09-01T10:00:03.000Z", canary), deps)).outcome).toBe(
      "duplicate",
    );
  });

  it("an SES identity notification (notificationType, no tags) finds its delivery by message id, with the same rules", async () => {
    await sent();
    const raw = fixture("bounce-permanent");
    const { eventType: _drop, ...rest } = raw;
    const mail = { ...(raw.mail as Record<string, unknown>) };
    delete mail.tags;
    const [notification] = parseSesEvents({ ...rest, notificationType: "Bounce", mail }).events;
    expect(notification?.sendId).toBeUndefined();
    const r = await applySesEvent(notification!, deps);
    expect(r.outcome).toBe("applied");
    expect((await ledger.get("send-1", EMAIL))?.status).toBe("bounced");
    expect((await applySesEvent(notification!, deps)).outcome).toBe("duplicate");
    expect(await ledger.totals("send-1")).toEqual(ledger.recount("send-1"));
    // Another message id: unmatched, and the reason says so.
    const other = { ...notification!, messageId: "not-ours" };
    expect((await applySesEvent(other, deps)).recipients[0]?.reason).toMatch(/no delivery has SES message id not-ours/);
  });

  it("receiver pushback (frequency limited, too many, 421): failed as throttled by receiver, never a soft bounce or suppression; the group is halved", async () => {
    const noted: [string, string][] = [];
    const withGroups: ApplyEventDeps = {
      ...deps,
      settings: {
        trackEngagement: true,
        transientBouncesToSuppress: 1,
        domainGroups: [{ name: "example.cn", domains: ["example.cn"], limit: 100, windowMs: 3_600_000, rate: "100/h" }],
      },
      sends: { noteReceiverPushback: async (id, g) => void noted.push([id, g]) },
    };
    await sent();
    const raw = fixture("bounce-transient");
    const bounce = raw.bounce as { bouncedRecipients: Record<string, unknown>[] };
    const pushed = {
      ...raw,
      bounce: {
        ...bounce,
        bouncedRecipients: bounce.bouncedRecipients.map((r) => ({
          ...r,
          diagnosticCode: "smtp; 421 4.7.0 Too many connections from your IP",
        })),
      },
    };
    const r = await applySesEvent(
      parseSesEvents(withMail(pushed, { tags: { send: ["send-1"] } })).events[0]!,
      withGroups,
    );
    expect(r.recipients[0]).toMatchObject({ outcome: "applied", pushback: true });
    expect(await ledger.get("send-1", EMAIL)).toMatchObject({
      status: "failed",
      reason: expect.stringMatching(/^throttled by receiver: .*Too many/),
    });
    expect(await suppressions.get(EMAIL)).toBeNull();
    expect((await recipients.get(EMAIL))?.status).toBe("active");
    expect(noted).toEqual([["send-1", "example.cn"]]);
    // QQ's permanent-looking 550 "frequency limited" is pushback too: nobody is suppressed.
    await sent("send-2");
    const permanent = fixture("bounce-permanent");
    const pb = permanent.bounce as { bouncedRecipients: Record<string, unknown>[] };
    const qq = {
      ...permanent,
      bounce: {
        ...pb,
        bouncedRecipients: pb.bouncedRecipients.map((x) => ({
          ...x,
          diagnosticCode: "550 Mail content denied. Ip frequency limited",
        })),
      },
    };
    await applySesEvent(parseSesEvents(withMail(qq, { tags: { send: ["send-2"] } })).events[0]!, withGroups);
    expect((await ledger.get("send-2", EMAIL))?.status).toBe("failed");
    expect(await suppressions.get(EMAIL)).toBeNull();
    expect(await ledger.totals("send-2")).toEqual(ledger.recount("send-2"));
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
    expect(await suppressions.lifts("a@x.cn")).toEqual([
      { email: "a@x.cn", reason: "manual", createdAt: T, liftedBy: "admin:li", liftedAt: "2025-09-02T00:00:00.000Z" },
    ]);
    await expect(suppressions.lift("a@x.cn", "x", T)).rejects.toThrow(/not suppressed/);
  });
});
