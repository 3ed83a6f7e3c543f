import { describe, expect, it } from "vitest";
import { TIERS } from "../issue/issue-schema.ts";
import { makeRecipients, SendWorld } from "../testing/send-world.ts";
import type { SendRequest } from "./send-model.ts";
import { pauseSend } from "./send-controls.ts";
import { listActiveSends, sweepSends, type SweepDeps } from "./sweep-sends.ts";

const EVERYONE: SendRequest = { tiers: [...TIERS], test: false, resend: false };
const MINUTE = 60_000;

function sweepDeps(world: SendWorld, over: Partial<SweepDeps> = {}) {
  const dispatched: string[] = [];
  const deps: SweepDeps = {
    ...world.dispatchDeps,
    dispatch: async (id) => {
      dispatched.push(id);
      await world.dispatch(id);
    },
    queueIsEmpty: async () => world.queue.drain().length === 0,
    ...over,
  };
  return { deps, dispatched };
}

describe("sweepSends", () => {
  it("puts queued deliveries whose messages were lost back on an empty queue, and only then", async () => {
    const world = new SendWorld({ recipients: makeRecipients(120) });
    const send = await world.createSend(EVERYONE);
    await world.dispatch(send.id);
    world.queue.drain(); // the messages are lost (a DLQ while paused, a crash)

    const busy = sweepDeps(world, { queueIsEmpty: async () => false });
    expect(await sweepSends(busy.deps)).toEqual({ redispatched: [], unknown: 0, requeued: {} });

    const { deps } = sweepDeps(world, { queueIsEmpty: async () => true });
    expect((await sweepSends(deps)).requeued).toEqual({ [send.id]: 120 });
    await world.runQueue();
    expect((await world.deliveries.totals(send.id)).totals).toMatchObject({ sent: 120, queued: 0 });
    expect(world.mailer.sent).toHaveLength(120);
    expect((await world.sends.get(send.id))!.status).toBe("finished");
    expect(await listActiveSends(world)).toEqual([]);
  });

  it("turns a dead sender's old claims into unknown and finishes the send; a paused send is never re-queued", async () => {
    const world = new SendWorld({ recipients: makeRecipients(3) });
    const send = await world.createSend(EVERYONE);
    await world.dispatch(send.id);
    const [batch] = world.queue.drain();
    for (const d of await world.deliveries.getMany(send.id, batch!.emails))
      await world.deliveries.claim(send.id, d.tier, [d.email], world.clock.iso()); // then the sender died
    world.clock.advance(16 * MINUTE);
    const { deps } = sweepDeps(world, { queueIsEmpty: async () => true });
    expect(await sweepSends(deps)).toMatchObject({ unknown: 3, requeued: {} });
    expect((await world.sends.get(send.id))!.status).toBe("finished");
    expect(world.mailer.sent).toHaveLength(0);

    const paused = await world.createSend({ ...EVERYONE, resend: true, only: ["r000@example.cn"] });
    await world.dispatch(paused.id);
    world.queue.drain();
    await pauseSend(paused.id, "秘书处", world);
    expect((await sweepSends(sweepDeps(world, { queueIsEmpty: async () => true }).deps)).requeued).toEqual({});
  });

  it("re-dispatches a send its dispatcher left half-way, after the timeout only", async () => {
    const world = new SendWorld({ recipients: makeRecipients(5) });
    const send = await world.createSend(EVERYONE);
    await world.sends.transition(send.id, ["scheduled"], "dispatching", { startedAt: world.clock.iso() });
    const early = sweepDeps(world);
    await sweepSends(early.deps);
    expect(early.dispatched).toEqual([]);
    world.clock.advance(11 * MINUTE);
    const late = sweepDeps(world);
    expect((await sweepSends(late.deps)).redispatched).toEqual([send.id]);
    expect((await world.sends.get(send.id))!.status).toBe("sending");
  });
});
