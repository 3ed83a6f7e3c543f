import { describe, expect, it } from "vitest";
import { NotFoundError } from "../errors/errors.ts";
import { TIERS } from "../issue/issue-schema.ts";
import { makeRecipients, SendWorld } from "../testing/send-world.ts";
import { dispatchSend } from "./dispatch-send.ts";
import type { SendRequest } from "./send-model.ts";
import { cancelSend, pauseSend, resumeSend } from "./send-controls.ts";

const EVERYONE: SendRequest = { tiers: [...TIERS], test: false, resend: false };

describe("dispatchSend", () => {
  it("writes queued and skipped deliveries, sets the total and start time", async () => {
    const recipients = makeRecipients(10);
    recipients[4]!.status = "unsubscribed";
    const world = new SendWorld({ recipients, batchSize: 4 });
    const send = await world.createSend(EVERYONE);
    expect(await world.dispatch(send.id)).toEqual({ status: "sending", total: 10, enqueued: 9 });
    expect(world.queue.enqueued.map((b) => b.emails.length)).toEqual([4, 4, 1]);
    expect(await world.deliveries.get(send.id, "r004@example.cn")).toMatchObject({
      status: "skipped",
      reason: "unsubscribed",
      tier: "distribute",
    });
    expect(await world.sends.get(send.id)).toMatchObject({
      status: "sending",
      total: 10,
      startedAt: world.clock.iso(),
    });
    expect(world.sends.transitions.map((t) => t.to)).toEqual(["dispatching", "sending"]);
  });

  it("works a page of recipients at a time: a long list is never written or enqueued in one piece", async () => {
    const world = new SendWorld({ recipients: makeRecipients(450) });
    const added: number[] = [];
    const add = world.deliveries.add.bind(world.deliveries);
    world.deliveries.add = async (ds) => {
      added.push(ds.length);
      return add(ds);
    };
    const enqueueCalls: number[] = [];
    const enqueue = world.queue.enqueue.bind(world.queue);
    world.queue.enqueue = async (bs) => {
      enqueueCalls.push(bs.reduce((n, b) => n + b.emails.length, 0));
      return enqueue(bs);
    };
    const send = await world.createSend(EVERYONE);
    expect(await world.dispatch(send.id)).toEqual({ status: "sending", total: 450, enqueued: 450 });
    expect(Math.max(...added)).toBeLessThanOrEqual(100);
    expect(added.reduce((a, b) => a + b, 0)).toBe(450);
    expect(Math.max(...enqueueCalls)).toBeLessThanOrEqual(100);
    expect(new Set(world.queue.enqueued.flatMap((b) => b.emails)).size).toBe(450);
  });

  it("leaves a send that is past dispatch alone", async () => {
    const world = new SendWorld();
    const send = await world.createSend(EVERYONE);
    await world.dispatch(send.id);
    const enqueued = world.queue.enqueued.length;
    expect(await world.dispatch(send.id)).toEqual({ status: "sending", total: 30, enqueued: 0 });
    expect(world.queue.enqueued.length).toBe(enqueued);
    await cancelSend(send.id, world);
    expect((await world.dispatch(send.id)).status).toBe("cancelled");
  });

  it("refuses a missing send or issue without touching the send", async () => {
    const world = new SendWorld();
    await expect(world.dispatch("nope")).rejects.toBeInstanceOf(NotFoundError);
    const orphan = await world.createSend(EVERYONE, "no-such-issue");
    await expect(world.dispatch(orphan.id)).rejects.toBeInstanceOf(NotFoundError);
    expect((await world.sends.get(orphan.id))?.status).toBe("scheduled");
  });

  it("finishes at once when nobody is to be mailed", async () => {
    const world = new SendWorld();
    const send = await world.createSend({ ...EVERYONE, tiers: [] });
    expect(await world.dispatch(send.id)).toEqual({ status: "finished", total: 0, enqueued: 0 });
    expect((await world.sends.get(send.id))?.finishedAt).toBe(world.clock.iso());
  });

  it("finishes the send when senders drained the queue before its last step", async () => {
    const world = new SendWorld({ recipients: makeRecipients(12) });
    const send = await world.createSend(EVERYONE);
    const real = world.sends.transition.bind(world.sends);
    world.sends.transition = async (id, from, to, patch) => {
      if (to === "sending") await world.runQueue(); // every batch handled while still "dispatching"
      return real(id, from, to, patch);
    };
    expect(await world.dispatch(send.id)).toMatchObject({ status: "finished", total: 12 });
    expect(world.mailer.sent.length).toBe(12);
    expect((await world.sends.get(send.id))?.status).toBe("finished");
  });

  it("keeps a pause made during dispatch, with the total recorded; resume sends", async () => {
    const world = new SendWorld({ recipients: makeRecipients(12) });
    const send = await world.createSend(EVERYONE);
    const real = world.sends.transition.bind(world.sends);
    world.sends.transition = async (id, from, to, patch) => {
      if (to === "sending") {
        world.sends.transition = real; // pause once, just before the dispatcher's last step
        await pauseSend(id, "王丽", world);
      }
      return real(id, from, to, patch);
    };
    expect(await world.dispatch(send.id)).toEqual({ status: "paused", total: 12, enqueued: 12 });
    expect(await world.sends.get(send.id)).toMatchObject({
      status: "paused",
      pauseReason: "paused by 王丽",
      total: 12,
    });
    await world.runQueue({ maxMessages: 2 });
    expect(world.mailer.sent.length).toBe(0);
    await resumeSend(send.id, world.controlDeps);
    await world.runQueue();
    expect(world.mailer.sent.length).toBe(12);
  });

  it("two dispatchers at once enqueue twice at worst, and mail each address once", async () => {
    const world = new SendWorld({ recipients: makeRecipients(40) });
    const send = await world.createSend(EVERYONE);
    const results = await Promise.all([
      dispatchSend(send.id, world.dispatchDeps),
      dispatchSend(send.id, world.dispatchDeps),
    ]);
    expect(results.map((r) => r.status)).toEqual(["sending", "sending"]);
    await world.runQueue();
    expect(world.mailer.sent.length).toBe(40);
    expect(new Set(world.mailer.sent.map((s) => s.email.to)).size).toBe(40);
  });
});
