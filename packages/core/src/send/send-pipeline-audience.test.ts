import { describe, expect, it } from "vitest";
import { makeRecipients, SendWorld, WORLD_ISSUE_ID } from "../testing/send-world.ts";
import { EVERYONE } from "./send-pipeline.test-support.ts";

// Who a send mails: not those who already received the issue, nor who unsubscribed meanwhile; a
// test send reaches whom it names without counting as the issue received.

describe("dispatch + process", () => {
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
});
