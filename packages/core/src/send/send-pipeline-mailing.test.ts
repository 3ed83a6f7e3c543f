import { describe, expect, it } from "vitest";
import { FakeMailer, REJECTED_MESSAGE } from "../testing/fake-mailer.ts";
import { seededRandom } from "../testing/manual-clock.ts";
import { makeRecipients, SendWorld, WORLD_ISSUE_ID } from "../testing/send-world.ts";
import { EVERYONE, expectConsistent } from "./send-pipeline.test-support.ts";
import type { OutgoingEmail } from "./send-ports.ts";

// What a send mails and how: every recipient once despite throttling, each message's headers and
// tags, the pace of the calls.

/** Consecutive messages of the same call: the fake records a bulk call's entries one after another. */
function chunked(messages: OutgoingEmail[]): OutgoingEmail[][] {
  const out: OutgoingEmail[][] = [];
  for (const m of messages) {
    const last = out.at(-1);
    if (last && last[0]!.tags.tier === m.tags.tier && last[0]!.tags.send === m.tags.send && last.length < 50)
      last.push(m);
    else out.push([m]);
  }
  return out;
}

describe("dispatch + process", () => {
  it("300 recipients, 30 % of SES calls throttled: each sent exactly once or failed with a reason", async () => {
    const rejected = ["r005@example.cn", "r100@example.cn", "r299@example.cn"];
    const world = new SendWorld({
      recipients: makeRecipients(300),
      mailer: { throttleFraction: 0.3, random: seededRandom(7), reject: rejected },
    });
    const send = await world.createSend(EVERYONE);

    expect(await world.dispatch(send.id)).toEqual({ status: "sending", total: 300, enqueued: 300 });
    expect(world.queue.enqueued.map((b) => b.emails.length)).toEqual([50, 50, 50, 50, 50, 50]);
    const { errors } = await world.runQueue();
    expect(errors).toEqual([]);

    const all = world.deliveries.all(send.id);
    expect(all.filter((d) => d.status === "sent").length).toBe(297);
    for (const d of all.filter((x) => x.status === "failed")) {
      expect(rejected).toContain(d.email);
      expect(d.reason).toBe(REJECTED_MESSAGE);
    }
    expect(all.every((d) => (d.status === "sent" ? d.sesMessageId?.startsWith("fake-") : d.status === "failed"))).toBe(
      true,
    );
    expect(world.mailer.sent.length).toBe(297);
    // One call per chunk of one tier (six batches of three tiers), the throttled ones again.
    expect(world.mailer.callSizes.every((n) => n >= 1 && n <= 50)).toBe(true);
    expect(world.mailer.calls).toBeGreaterThan(18);
    for (const call of chunked(world.mailer.sent.map((x) => x.email)))
      expect(new Set(call.map((e) => e.tags.tier)).size).toBe(1);
    await expectConsistent(world, send.id);

    const { totals, byTier } = await world.deliveries.totals(send.id);
    expect(totals).toMatchObject({ queued: 0, sending: 0, sent: 297, failed: 3 });
    expect(byTier.report.sent + byTier.distribute.sent + byTier.copy.sent).toBe(297);
    const done = await world.sends.get(send.id);
    expect(done).toMatchObject({ status: "finished", total: 300, finishedAt: world.clock.iso() });
    expect(
      (
        await world.copies.received(
          WORLD_ISSUE_ID,
          all.map((d) => d.email),
        )
      ).size,
    ).toBe(297);
  });

  it("puts the unsubscribe headers, SES-safe tags and configuration set on every message", async () => {
    const world = new SendWorld({ recipients: makeRecipients(6) });
    const send = await world.createSend(EVERYONE);
    await world.dispatch(send.id);
    await world.runQueue();
    expect(world.mailer.sent.length).toBe(6);
    for (const { email } of world.mailer.sent) {
      expect(email.headers).toEqual([
        {
          name: "List-Unsubscribe",
          value: `<https://bulletin.example.org/u/${send.id}.${email.tags.tier}.${encodeURIComponent(email.to)}>, <mailto:unsubscribe@example.org?subject=unsubscribe>`,
        },
        { name: "List-Unsubscribe-Post", value: "List-Unsubscribe=One-Click" },
      ]);
      expect(Object.keys(email.tags).sort()).toEqual(["issue", "recipient", "send", "tier"]);
      for (const value of Object.values(email.tags)) expect(value).toMatch(/^[A-Za-z0-9_-]{1,256}$/);
      expect(email.tags).toMatchObject({ issue: WORLD_ISSUE_ID, send: send.id });
      expect(email.configurationSet).toBe("bulletin");
      expect(email.subject).not.toContain("【测试】");
      expect(email.text).toMatch(/^收件人\d/); // personalised with the recipient's name
    }
    // Six recipients in one batch, two per tier: one prepare per tier, not per recipient.
    expect(world.renderer.prepared).toEqual({ report: 1, distribute: 1, copy: 1 });
  });

  it("paces calls of up to 50 recipients of one tier, never more than the rate in any second", async () => {
    const world = new SendWorld({ recipients: makeRecipients(400), ratePerSecond: 30 });
    const times: number[] = [];
    const send = await world.createSend({ ...EVERYONE, tiers: ["report"] });
    await world.dispatch(send.id);
    await world.runQueue({
      deps: {
        mailer: new FakeMailer({
          onAnswer: (accepted) => {
            for (const _ of accepted) times.push(world.clock.nowMs());
          },
        }),
      },
    });
    expect(times).toHaveLength(134);
    for (const t of times) expect(times.filter((u) => u >= t && u < t + 1000).length).toBeLessThanOrEqual(30);
  });
});
