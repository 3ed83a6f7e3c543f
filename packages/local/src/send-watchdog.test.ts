import { type SendRequest, TIERS } from "@bulletin/core";
import { makeRecipients, SendWorld } from "@bulletin/core/testing/send-world";
import { describe, expect, it } from "vitest";
import { sendWatchdog } from "./send-watchdog.ts";

const EVERYONE: SendRequest = { tiers: [...TIERS], test: false, resend: false };

function watched(world: SendWorld, dispatching: Set<string> = new Set()) {
  const dispatched: string[] = [];
  const lines: string[] = [];
  const watchdog = sendWatchdog({
    sends: world.sends,
    deliveries: world.deliveries,
    queue: world.queue,
    clock: world.clock,
    dispatch: (id) => dispatched.push(id),
    isDispatching: (id) => dispatching.has(id),
    log: (line) => lines.push(line),
  });
  return { watchdog, dispatched, lines };
}

describe("the local send watchdog", () => {
  it("finishes a send whose deliveries are all settled but that is still 'sending' (its finish was lost)", async () => {
    const world = new SendWorld({ recipients: makeRecipients(12) });
    const send = await world.createSend(EVERYONE);
    await world.dispatch(send.id);
    await world.runQueue();
    expect((await world.sends.get(send.id))?.status).toBe("finished");
    // As after a last batch whose finishIfDone failed: settled, yet still sending.
    await world.sends.transition(send.id, ["finished"], "sending");
    const { watchdog, lines } = watched(world);
    watchdog.watch(send.id);
    await watchdog.tick();
    expect((await world.sends.get(send.id))?.status).toBe("finished");
    expect(lines).toEqual([`send ${send.id}: every delivery is settled; finished`]);
    await watchdog.tick();
    expect(watchdog.watched()).toEqual([]);
  });

  it("leaves a send with deliveries still queued running, and re-enqueues them once it makes no progress", async () => {
    const world = new SendWorld({ recipients: makeRecipients(12) });
    const send = await world.createSend(EVERYONE);
    await world.dispatch(send.id);
    world.queue.drain(); // the messages are lost
    const { watchdog, lines } = watched(world);
    watchdog.watch(send.id);
    await watchdog.tick();
    expect((await world.sends.get(send.id))?.status).toBe("sending");
    expect(world.queue.size).toBe(0);
    await watchdog.tick();
    expect(lines).toEqual([`send ${send.id}: no progress; 12 queued re-enqueued`]);
    await world.runQueue();
    expect((await world.sends.get(send.id))?.status).toBe("finished");
    expect(world.mailer.sent).toHaveLength(12);
  });

  it("runs a dispatch again that did not finish, but not one that is still running", async () => {
    const world = new SendWorld({ recipients: makeRecipients(3) });
    const send = await world.createSend(EVERYONE);
    await world.sends.transition(send.id, ["scheduled"], "dispatching");
    const running = new Set([send.id]);
    const { watchdog, dispatched } = watched(world, running);
    watchdog.watch(send.id);
    await watchdog.tick();
    expect(dispatched).toEqual([]);
    running.clear();
    await watchdog.tick();
    expect(dispatched).toEqual([send.id]);
  });
});
