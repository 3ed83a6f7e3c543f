import { describe, expect, it } from "vitest";
import { STALE_REASON } from "../testing/in-memory-delivery-ledger.ts";
import { seededRandom } from "../testing/manual-clock.ts";
import { makeRecipients, SendWorld, WORLD_ISSUE_ID } from "../testing/send-world.ts";
import { SKIP_REASONS } from "./resolve-audience.ts";
import { recoverStale } from "./send-controls.ts";
import { CrashingLedger, EVERYONE, expectConsistent } from "./send-pipeline.test-support.ts";
import type { Mailer, MailerSendOptions } from "./send-ports.ts";

// A sender or dispatcher that dies, and a mailer or renderer that fails: what is left in doubt,
// and what a re-run or redelivery does with it.

describe("dispatch + process", () => {
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
});
