import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { TIERS } from "../issue/issue-schema.ts";
import { REJECTED_MESSAGE } from "../testing/fake-mailer.ts";
import { InMemoryDeliveryLedger, STALE_REASON } from "../testing/in-memory-delivery-ledger.ts";
import { seededRandom } from "../testing/manual-clock.ts";
import { makeRecipients, SendWorld, WORLD_ISSUE_ID } from "../testing/send-world.ts";
import type { DeliveryStatus, SendRequest } from "./send-model.ts";
import { ACCOUNT_PAUSE_PREFIX, QUOTA_PAUSE_REASON } from "./process-batch.ts";
import { cancelSend, pauseSend, recoverStale, resumeSend, retryFailed } from "./send-controls.ts";
import type { DeliveryLedger, Mailer, MailerSendOptions, OutgoingEmail } from "./send-ports.ts";
import { SKIP_REASONS } from "./resolve-audience.ts";
import { FakeMailer } from "../testing/fake-mailer.ts";

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

const EVERYONE: SendRequest = { tiers: [...TIERS], test: false, resend: false };
const SETTLED: readonly DeliveryStatus[] = ["sent", "failed", "unknown", "skipped"];

/** The invariants of any run: counters agree with the records, and nobody got two copies. */
async function expectConsistent(world: SendWorld, sendId: string) {
  expect(await world.deliveries.totals(sendId)).toEqual(world.deliveries.recount(sendId));
  const mailed = world.mailer.sent.map((s) => s.email.to);
  expect(new Set(mailed).size).toBe(mailed.length);
  for (const d of world.deliveries.all(sendId)) {
    // Whoever was mailed is recorded as sent, or as unknown when the sender died before saying so.
    if (mailed.includes(d.email)) expect(["sent", "unknown"]).toContain(d.status);
    if (d.status === "sent") expect(world.mailer.sentTo(d.email)).toBe(1);
  }
}

/** A ledger that "crashes" the sender (throws, and nothing after it runs) at chosen calls. */
class CrashingLedger extends InMemoryDeliveryLedger {
  /** Crash right after the n-th successful claim (1-based): claimed, never sent. */
  crashAfterClaim = new Set<number>();
  /** Crash instead of the n-th settle to "sent": SES accepted it, the ledger never heard. */
  crashBeforeSentSettle = new Set<number>();
  private claims = 0;
  private sentSettles = 0;

  override async claim(...args: Parameters<DeliveryLedger["claim"]>) {
    const held = await super.claim(...args);
    if (held.length > 0 && this.crashAfterClaim.has(++this.claims))
      throw new Error(`crash after claiming ${held.length}`);
    return held;
  }

  override async settle(...args: Parameters<DeliveryLedger["settle"]>) {
    if (args[1].some((s) => s.to === "sent") && this.crashBeforeSentSettle.has(++this.sentSettles))
      throw new Error(`crash before settling ${args[1].length}`);
    return super.settle(...args);
  }
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

  it("a second real send of the same issue mails nobody", async () => {
    const world = new SendWorld({ recipients: makeRecipients(30) });
    const first = await world.createSend(EVERYONE);
    await world.dispatch(first.id);
    await world.runQueue();
    expect(world.mailer.sent.length).toBe(30);

    const second = await world.createSend(EVERYONE);
    expect(await world.dispatch(second.id)).toEqual({ status: "finished", total: 30, enqueued: 0 });
    await world.runQueue();
    expect(world.mailer.sent.length).toBe(30);
    expect(
      world.deliveries
        .all(second.id)
        .every((d) => d.status === "skipped" && d.reason === "already received this issue"),
    ).toBe(true);
  });

  it("a test send is marked 【测试】, shows everyone the chosen tier's email, reaches non-recipients, and does not count as receiving the issue", async () => {
    const world = new SendWorld({ recipients: makeRecipients(9) });
    const test = await world.createSend({
      tiers: ["report"],
      only: ["r001@example.cn", "editor@example.org"],
      test: true,
      resend: false,
    });
    await world.dispatch(test.id);
    await world.runQueue();
    expect(world.mailer.sent.map((s) => [s.email.to, s.email.tags.tier])).toEqual([
      ["editor@example.org", "report"],
      ["r001@example.cn", "report"],
    ]);
    expect(world.mailer.sent.every((s) => s.email.subject.startsWith("【测试】"))).toBe(true);
    expect((await world.copies.received(WORLD_ISSUE_ID, ["r001@example.cn", "editor@example.org"])).size).toBe(0);

    const real = await world.createSend(EVERYONE);
    await world.dispatch(real.id);
    await world.runQueue();
    expect(world.mailer.sentTo("r001@example.cn")).toBe(2); // the test copy did not count
    expect(world.mailer.sent.slice(2).every((s) => !s.email.subject.startsWith("【测试】"))).toBe(true);
  });

  it("a sender crash mid-batch and a redelivery mail nobody twice; only the calls in flight end 'unknown'", async () => {
    const deliveries = new CrashingLedger();
    deliveries.crashAfterClaim.add(2); // a chunk claimed, its call never made
    deliveries.crashBeforeSentSettle.add(5); // a call SES accepted, never settled
    const world = new SendWorld({
      recipients: makeRecipients(300),
      deliveries,
      mailer: { throttleFraction: 0.3, random: seededRandom(11) },
    });
    const send = await world.createSend(EVERYONE);
    await world.dispatch(send.id);

    const { errors } = await world.runQueue();
    expect(errors.map((e) => (e as Error).message)).toEqual([
      expect.stringMatching(/^crash after claiming/),
      expect.stringMatching(/^crash before settling/),
    ]);
    // Claims are made right before the call, so a crash leaves only the calls on the wire in the
    // unknown window: the chunk claimed just before the crash (never mailed) and the call whose
    // answer was not recorded (mailed). Nothing that waited for its turn was claimed.
    const stuck = deliveries.all(send.id).filter((d) => d.status === "sending");
    const neverMailed = stuck.filter((d) => world.mailer.sentTo(d.email) === 0);
    const mailedOnce = stuck.filter((d) => world.mailer.sentTo(d.email) === 1);
    expect(neverMailed.length).toBeGreaterThanOrEqual(1);
    expect(mailedOnce.length).toBeGreaterThanOrEqual(1);
    expect(neverMailed.length + mailedOnce.length).toBe(stuck.length);
    expect(stuck.length).toBeLessThanOrEqual(100); // two calls of at most 50
    expect((await world.sends.get(send.id))?.status).toBe("sending"); // not finished while some are in doubt

    // Too early: a sender could still be working on them.
    expect(await recoverStale(send.id, world)).toBe(0);
    world.clock.advance(16 * 60 * 1000);
    expect(await recoverStale(send.id, world)).toBe(stuck.length);
    for (const d of stuck)
      expect(await deliveries.get(send.id, d.email)).toMatchObject({ status: "unknown", reason: STALE_REASON });
    expect((await world.sends.get(send.id))?.status).toBe("finished");

    // Redelivering everything once more changes nothing: unknown is never resent.
    const mailedBefore = world.mailer.sent.length;
    await world.queue.enqueue(world.queue.enqueued.slice());
    await world.runQueue();
    expect(world.mailer.sent.length).toBe(mailedBefore);
    expect(mailedBefore).toBe(300 - neverMailed.length);
    await expectConsistent(world, send.id);
    expect(await deliveries.totals(send.id)).toMatchObject({
      totals: { sent: 300 - stuck.length, unknown: stuck.length, queued: 0, sending: 0 },
    });

    // A later send of the issue skips the maybe-received, unless it includes them.
    const emails = deliveries.all(send.id).map((d) => d.email);
    expect(
      [...(await world.copies.received(WORLD_ISSUE_ID, emails)).values()].filter((v) => v === "maybe"),
    ).toHaveLength(stuck.length);
    const plain = await world.createSend(EVERYONE);
    await world.dispatch(plain.id);
    expect(world.deliveries.all(plain.id).filter((d) => d.reason === SKIP_REASONS.maybeReceived)).toHaveLength(
      stuck.length,
    );
    const including = await world.createSend({ ...EVERYONE, includeMaybeReceived: true });
    await world.dispatch(including.id);
    await world.runQueue();
    expect(world.mailer.sent.length).toBe(mailedBefore + stuck.length);
  });

  it("a crashed dispatcher re-run enqueues only what is still queued, and nobody is mailed twice", async () => {
    const world = new SendWorld({ recipients: makeRecipients(120), batchSize: 20 });
    const send = await world.createSend(EVERYONE);
    const realTransition = world.sends.transition.bind(world.sends);
    let crashed = false;
    world.sends.transition = async (id, from, to, patch) => {
      if (to === "sending" && !crashed) {
        crashed = true;
        throw new Error("dispatcher died before its last step");
      }
      return realTransition(id, from, to, patch);
    };
    await expect(world.dispatch(send.id)).rejects.toThrow("dispatcher died");
    expect((await world.sends.get(send.id))?.status).toBe("dispatching");

    // The batches already in the queue are sent while the send is still "dispatching".
    await world.runQueue({ maxMessages: 3 });
    expect(world.mailer.sent.length).toBe(60);
    const before = world.queue.enqueued.length;

    const rerun = await world.dispatch(send.id);
    expect(rerun).toEqual({ status: "sending", total: 120, enqueued: 60 });
    const reEnqueued = world.queue.enqueued.slice(before).flatMap((b) => b.emails);
    for (const email of reEnqueued) expect(world.mailer.sentTo(email)).toBe(0);

    await world.runQueue();
    expect(world.mailer.sent.length).toBe(120);
    expect((await world.sends.get(send.id))?.status).toBe("finished");
    await expectConsistent(world, send.id);
  });

  it("an account pause pauses the send with a reason; resume finishes it", async () => {
    const world = new SendWorld({ recipients: makeRecipients(150), mailer: { pauseAfter: 70 } });
    const send = await world.createSend(EVERYONE);
    await world.dispatch(send.id);
    await world.runQueue({ maxMessages: 10 });

    const paused = await world.sends.get(send.id);
    expect(paused?.status).toBe("paused");
    expect(paused?.pauseReason).toMatch(new RegExp(`^${ACCOUNT_PAUSE_PREFIX}`));
    const sent = world.mailer.sent.length;
    expect(sent).toBeGreaterThanOrEqual(70); // the call that met the pause, and what was sent before it
    expect(await world.deliveries.totals(send.id)).toMatchObject({
      totals: { sent, queued: 150 - sent, sending: 0, failed: 0 },
    });

    world.mailer.resumeAccount();
    world.queue.drain(); // SQS gave up on them meanwhile (dead-letter queue): resume must not need them
    const { send: resumed, enqueued } = await resumeSend(send.id, world.controlDeps);
    expect(resumed.status).toBe("sending");
    expect(resumed.pauseReason).toBeUndefined();
    expect(enqueued).toBe(150 - sent);
    await world.runQueue();
    expect((await world.sends.get(send.id))?.status).toBe("finished");
    expect(world.mailer.sent.length).toBe(150);
    await expectConsistent(world, send.id);
  });

  it("the daily quota pauses the send instead of failing recipients", async () => {
    const world = new SendWorld({
      recipients: makeRecipients(100),
      mailer: { quota: { maxSendRate: 14, max24HourSend: 260, sentLast24Hours: 200 } },
    });
    const send = await world.createSend(EVERYONE);
    await world.dispatch(send.id);
    await world.runQueue({ maxMessages: 6 });
    expect(await world.sends.get(send.id)).toMatchObject({ status: "paused", pauseReason: QUOTA_PAUSE_REASON });
    expect(world.mailer.sent.length).toBe(60);
    expect(world.deliveries.all(send.id).filter((d) => d.status === "failed")).toEqual([]);

    world.mailer.setQuota({ maxSendRate: 14, max24HourSend: 50_000, sentLast24Hours: 0 });
    await resumeSend(send.id, world.controlDeps);
    await world.runQueue();
    expect(world.mailer.sent.length).toBe(100);
    await expectConsistent(world, send.id);
  });

  it("retry-failed re-queues only the failed ones", async () => {
    const rejected = ["r003@example.cn", "r004@example.cn"];
    const world = new SendWorld({ recipients: makeRecipients(40), mailer: { reject: rejected } });
    const send = await world.createSend(EVERYONE);
    await world.dispatch(send.id);
    await world.runQueue();
    expect((await world.sends.get(send.id))?.status).toBe("finished");
    expect(world.mailer.sent.length).toBe(38);

    for (const a of rejected) world.mailer.accept(a);
    const before = world.queue.enqueued.length;
    const { requeued, send: reopened } = await retryFailed(send.id, world.controlDeps);
    expect(requeued).toBe(2);
    expect(reopened.status).toBe("sending");
    expect(world.queue.enqueued.slice(before)).toEqual([{ sendId: send.id, emails: rejected }]);
    await world.runQueue();
    expect(world.mailer.sent.slice(38).map((s) => s.email.to)).toEqual(rejected);
    expect((await world.sends.get(send.id))?.status).toBe("finished");
    await expectConsistent(world, send.id);

    // Nothing failed any more: a finished send stays finished and nothing is enqueued.
    const again = await retryFailed(send.id, world.controlDeps);
    expect(again).toMatchObject({ requeued: 0, send: { status: "finished" } });
  });

  it("pause by a person hands batches back; cancel drops them and leaves the rest queued", async () => {
    const world = new SendWorld({ recipients: makeRecipients(100), batchSize: 25 });
    const send = await world.createSend(EVERYONE);
    await world.dispatch(send.id);
    await world.runQueue({ maxMessages: 1 });
    expect(await pauseSend(send.id, "王丽", world)).toMatchObject({ status: "paused", pauseReason: "paused by 王丽" });
    const { results } = await world.runQueue({ maxMessages: 3 });
    expect(results.map((r) => r.failedEmails.length)).toEqual([25, 25, 25]);
    expect(world.mailer.sent.length).toBe(25);

    await cancelSend(send.id, world);
    const dropped = await world.runQueue();
    expect(dropped.results.every((r) => r.failedEmails.length === 0)).toBe(true);
    expect(world.queue.size).toBe(0);
    expect(world.mailer.sent.length).toBe(25);
    expect(await world.deliveries.totals(send.id)).toMatchObject({ totals: { sent: 25, queued: 75 } });
    await expect(resumeSend(send.id, world.controlDeps)).rejects.toThrow(/cancelled/);
  });

  it("does not mail a recipient who unsubscribed after dispatch", async () => {
    const world = new SendWorld({ recipients: makeRecipients(5) });
    const send = await world.createSend(EVERYONE);
    await world.dispatch(send.id);
    await world.recipients.update("r002@example.cn", { status: "unsubscribed" }, world.clock.iso());
    await world.runQueue();
    expect(world.mailer.sentTo("r002@example.cn")).toBe(0);
    expect(await world.deliveries.get(send.id, "r002@example.cn")).toMatchObject({
      status: "failed",
      reason: "unsubscribed",
    });
  });

  it("an unclassified mailer error leaves the call's recipients 'unknown'; a render error releases them", async () => {
    const world = new SendWorld({ recipients: makeRecipients(3) });
    const send = await world.createSend(EVERYONE);
    await world.dispatch(send.id);
    const [batch] = world.queue.drain();
    // A conforming mailer: the request was ready (its tokens taken), then the connection broke.
    const broken = async (_email: unknown, options?: MailerSendOptions) => {
      await options?.ready?.();
      throw new Error("socket hang up");
    };
    const mailer: Mailer = { quota: async () => null, send: broken, sendBulk: broken };
    await expect(world.deliver(batch!, { mailer })).rejects.toThrow("socket hang up");
    expect(await world.deliveries.get(send.id, "r000@example.cn")).toMatchObject({ status: "unknown", attempts: 1 });
    // The other tiers' calls were never made, nor their recipients claimed.
    expect(await world.deliveries.get(send.id, "r001@example.cn")).toMatchObject({ status: "queued", attempts: 0 });

    const renderer = { prepare: async () => Promise.reject(new Error("template broke")) };
    await expect(world.deliver(batch!, { renderer })).rejects.toThrow("template broke");
    expect(await world.deliveries.get(send.id, "r001@example.cn")).toMatchObject({
      status: "queued",
      attempts: 1,
      lastError: "Error: template broke",
    });

    await world.deliver(batch!);
    expect(world.mailer.sent.map((s) => s.email.to)).toEqual(["r001@example.cn", "r002@example.cn"]);
    await expectConsistent(world, send.id);
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

describe("exactly once, under any interleaving", () => {
  type Step =
    | { kind: "next" }
    | { kind: "dup"; pick: number }
    | { kind: "pair"; pick: number }
    | { kind: "crash"; at: number; sent: boolean }
    | { kind: "stale" };
  const step: fc.Arbitrary<Step> = fc.oneof(
    fc.constant({ kind: "next" as const }),
    fc.record({ kind: fc.constant("dup" as const), pick: fc.nat() }),
    fc.record({ kind: fc.constant("pair" as const), pick: fc.nat() }),
    fc.record({ kind: fc.constant("crash" as const), at: fc.integer({ min: 1, max: 40 }), sent: fc.boolean() }),
    fc.constant({ kind: "stale" as const }),
  );

  it("property: redeliveries, duplicates, concurrent senders and crashes never mail anyone twice", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(step, { maxLength: 25 }),
        fc.integer(),
        fc.double({ min: 0, max: 0.5, noNaN: true }),
        async (steps, seed, throttle) => {
          const deliveries = new CrashingLedger();
          const world = new SendWorld({
            recipients: makeRecipients(40),
            batchSize: 7,
            deliveries,
            mailer: { throttleFraction: throttle, random: seededRandom(seed), reject: ["r013@example.cn"] },
          });
          const send = await world.createSend(EVERYONE);
          await world.dispatch(send.id);
          const seen = [...world.queue.enqueued];
          const deliver = async (batch: (typeof seen)[number]) => {
            try {
              const { failedEmails } = await world.deliver(batch);
              if (failedEmails.length > 0) world.queue.redeliver({ sendId: batch.sendId, emails: failedEmails });
            } catch {
              world.queue.redeliver(batch); // the whole message comes back after a crash
            }
          };
          for (const s of steps) {
            if (s.kind === "next") {
              const b = world.queue.take();
              if (b) await deliver(b);
            } else if (s.kind === "dup") {
              await deliver(seen[s.pick % seen.length]!);
            } else if (s.kind === "pair") {
              const b = seen[s.pick % seen.length]!;
              await Promise.all([deliver(b), deliver(b)]);
            } else if (s.kind === "crash") {
              (s.sent ? deliveries.crashBeforeSentSettle : deliveries.crashAfterClaim).add(s.at);
            } else {
              world.clock.advance(20 * 60 * 1000);
              await recoverStale(send.id, world);
            }
          }
          // Then let the queue run dry, and close the unknown window.
          await world.runQueue();
          world.clock.advance(20 * 60 * 1000);
          await recoverStale(send.id, world);

          await expectConsistent(world, send.id);
          const all = deliveries.all(send.id);
          expect(all.length).toBe(40);
          expect(all.every((d) => SETTLED.includes(d.status))).toBe(true);
          // Only the rejected address fails (unless a crash left it in doubt first).
          for (const d of all.filter((x) => x.status === "failed")) expect(d.email).toBe("r013@example.cn");
          expect(["failed", "unknown"]).toContain(all.find((d) => d.email === "r013@example.cn")?.status);
          expect((await world.sends.get(send.id))?.status).toBe("finished");
        },
      ),
      { numRuns: 150 },
    );
  });
});
