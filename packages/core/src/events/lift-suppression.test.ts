import { describe, expect, it } from "vitest";
import type { Recipient } from "../audience/recipient.ts";
import { NotFoundError } from "../errors/errors.ts";
import { InMemoryRecipientRepo } from "../testing/in-memory-recipient-repo.ts";
import { InMemorySuppressionRepo } from "../testing/in-memory-suppression-repo.ts";
import { ManualClock } from "../testing/manual-clock.ts";
import { liftSuppression } from "./lift-suppression.ts";

const T = "2026-11-01T00:00:00.000Z";
const person = (email: string, status: Recipient["status"]): Recipient => ({
  email,
  name: "张三",
  organization: "",
  tier: "copy",
  role: "",
  status,
  createdAt: T,
  updatedAt: T,
});

async function world() {
  const suppressions = new InMemorySuppressionRepo();
  const recipients = new InMemoryRecipientRepo();
  const clock = new ManualClock("2026-11-22T08:00:00Z");
  return { suppressions, recipients, clock };
}

describe("liftSuppression", () => {
  it("removes the entry, logs who lifted it, and re-activates a recipient the bounce had marked", async () => {
    const deps = await world();
    await deps.recipients.create(person("a@example.cn", "bounced"));
    await deps.suppressions.suppress({ email: "a@example.cn", reason: "bounce", detail: "General", at: T });
    await deps.suppressions.noteSoftBounce("a@example.cn", T);
    const lift = await liftSuppression("a@example.cn", "秘书处 admin", deps);
    expect(lift).toMatchObject({
      email: "a@example.cn",
      reason: "bounce",
      liftedBy: "秘书处 admin",
      liftedAt: "2026-11-22T08:00:00.000Z",
      recipientReactivated: true,
    });
    expect(await deps.suppressions.suppressed(["a@example.cn"])).toEqual(new Set());
    expect(await deps.suppressions.lifts("a@example.cn")).toEqual([
      expect.objectContaining({ liftedBy: "秘书处 admin", detail: "General" }),
    ]);
    expect((await deps.recipients.get("a@example.cn"))!.status).toBe("active");
    // The run of soft bounces starts again from one.
    expect(await deps.suppressions.noteSoftBounce("a@example.cn", T)).toBe(1);
  });

  it("leaves a complainer's or an unsubscriber's own choice alone", async () => {
    const deps = await world();
    await deps.recipients.create(person("c@example.cn", "complained"));
    await deps.suppressions.suppress({ email: "c@example.cn", reason: "complaint", at: T });
    expect((await liftSuppression("c@example.cn", "admin", deps)).recipientReactivated).toBe(false);
    expect((await deps.recipients.get("c@example.cn"))!.status).toBe("complained");
  });

  it("refuses an address that is not suppressed, logging nothing", async () => {
    const deps = await world();
    await expect(liftSuppression("x@example.cn", "admin", deps)).rejects.toBeInstanceOf(NotFoundError);
    expect(await deps.suppressions.lifts("x@example.cn")).toEqual([]);
  });
});
