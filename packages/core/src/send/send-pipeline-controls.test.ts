import { describe, expect, it } from "vitest";
import { makeRecipients, SendWorld } from "../testing/send-world.ts";
import { ACCOUNT_PAUSE_PREFIX, QUOTA_PAUSE_REASON } from "./process-batch.ts";
import { cancelSend, pauseSend, resumeSend, retryFailed } from "./send-controls.ts";
import { EVERYONE, expectConsistent } from "./send-pipeline.test-support.ts";

// Pauses (by SES's account state, the daily quota or a person), resume, retry of the failed, cancel.

describe("dispatch + process", () => {
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
});
