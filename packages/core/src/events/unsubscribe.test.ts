import { describe, expect, it } from "vitest";
import type { Recipient } from "../audience/recipient.ts";
import { InMemoryRecipientRepo } from "../testing/in-memory-recipient-repo.ts";
import { InMemorySuppressionRepo } from "../testing/in-memory-suppression-repo.ts";
import { ManualClock } from "../testing/manual-clock.ts";
import { handleUnsubscribeMail, unsubscribeAddress, type InboundMail } from "./unsubscribe.ts";

const T = "2025-09-01T00:00:00.000Z";
const person = (email: string, status: Recipient["status"]): Recipient => ({
  email,
  name: "",
  organization: "",
  tier: "copy",
  role: "",
  status,
  createdAt: T,
  updatedAt: T,
});
const TOKEN = `${"a".repeat(20)}.${"b".repeat(43)}`;

function world() {
  const recipients = new InMemoryRecipientRepo([person("ok@qq.com", "active"), person("angry@qq.com", "complained")]);
  const suppressions = new InMemorySuppressionRepo();
  const forwarded: { mail: InboundMail; reason: string }[] = [];
  const deps = {
    recipients,
    suppressions,
    clock: new ManualClock(T),
    verify: (token: string) => (token === TOKEN ? { sendId: "s1", email: "ok@qq.com" } : null),
    forward: async (mail: InboundMail, reason: string) => void forwarded.push({ mail, reason }),
  };
  return { recipients, suppressions, forwarded, deps };
}

describe("unsubscribing", () => {
  it("complained always wins: a complainer who then unsubscribes stays complained (and suppressed)", async () => {
    const w = world();
    await unsubscribeAddress({ email: "angry@qq.com", sendId: "s1" }, "one-click", w.deps);
    expect((await w.recipients.get("angry@qq.com"))?.status).toBe("complained");
    expect(await w.suppressions.get("angry@qq.com")).toMatchObject({
      reason: "unsubscribe",
      source: "one-click unsubscribe",
    });
  });

  it("a mail with a valid token (subject or text) unsubscribes with source mailto; without one, or forged, nothing changes and it is forwarded", async () => {
    const w = world();
    expect(
      await handleUnsubscribeMail({ from: "x@qq.com", subject: "回复：hello", text: `退订 ${TOKEN}` }, w.deps),
    ).toEqual({ outcome: "unsubscribed", sendId: "s1", email: "ok@qq.com" });
    expect((await w.recipients.get("ok@qq.com"))?.status).toBe("unsubscribed");
    expect(await w.suppressions.get("ok@qq.com")).toMatchObject({ source: "mailto unsubscribe", detail: "send s1" });
    const forged = await handleUnsubscribeMail(
      { from: "x@qq.com", subject: `unsubscribe ${"c".repeat(20)}.${"b".repeat(43)}`, text: "" },
      w.deps,
    );
    expect(forged).toEqual({ outcome: "forwarded", reason: expect.stringMatching(/not valid/) });
    expect(
      (await handleUnsubscribeMail({ from: "x@qq.com", subject: "请问如何退订", text: "谢谢" }, w.deps)).outcome,
    ).toBe("forwarded");
    expect(w.forwarded.map((f) => f.reason)).toEqual([
      expect.stringMatching(/not valid/),
      expect.stringMatching(/no unsubscribe token/),
    ]);
  });
});
