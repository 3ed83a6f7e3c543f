import { describe, expect, it } from "vitest";
import { TIERS } from "../issue/issue-schema.ts";
import { makeRecipients, SendWorld } from "../testing/send-world.ts";
import { sendProgress } from "./send-progress.ts";

describe("sendProgress", () => {
  it("reports counters by tier and the average rate since the start, and a finished send's average from start to end", async () => {
    const world = new SendWorld({ recipients: makeRecipients(60), ratePerSecond: 10 });
    const send = await world.createSend({ tiers: [...TIERS], test: false, resend: false });
    await world.dispatch(send.id);
    await world.runQueue({ maxMessages: 1 }); // 50 messages at 10/s
    const running = (await world.sends.get(send.id))!;
    const progress = await sendProgress(running, world.deliveries, world.clock);
    expect(progress.totals).toMatchObject({ sent: 50, queued: 10 });
    expect(progress.byTier.report.sent + progress.byTier.distribute.sent + progress.byTier.copy.sent).toBe(50);
    expect(progress.rate).toBeGreaterThan(9.5);
    expect(progress.rate).toBeLessThanOrEqual(10.5);
    expect((await sendProgress(running, world.deliveries)).rate).toBe(0); // no clock, no rate

    await world.runQueue();
    const finished = await sendProgress((await world.sends.get(send.id))!, world.deliveries, world.clock);
    expect(finished).toMatchObject({ send: { status: "finished" }, totals: { sent: 60 } });
    // 60 messages at 10/s: about 6 s from start to end, whenever it is asked.
    expect(finished.rate).toBeGreaterThan(9);
    expect(finished.rate).toBeLessThanOrEqual(10.5);
    world.clock.advance(3_600_000);
    expect((await sendProgress((await world.sends.get(send.id))!, world.deliveries, world.clock)).rate).toBe(
      finished.rate,
    );
  });
});
