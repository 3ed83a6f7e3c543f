import { describe, expect, it } from "vitest";
import { RetryableError } from "../errors/errors.ts";
import type { ApplyEventResult } from "./apply-ses-event.ts";
import { fixture } from "./fixtures.test-support.ts";
import { handleEventMessages } from "./handle-event-messages.ts";
import type { SesEvent } from "./ses-event.ts";

const envelope = (message: unknown) =>
  JSON.stringify({
    Type: "Notification",
    MessageId: "n1",
    TopicArn: "arn:aws:sns:ap-east-1:1:t",
    Message: JSON.stringify(message),
  });

describe("handleEventMessages", () => {
  it("applies SNS envelopes and raw events, drops what can never apply, hands back what is not settled yet", async () => {
    const seen: string[] = [];
    const apply = async (e: SesEvent): Promise<ApplyEventResult> => {
      seen.push(e.type);
      if (e.type === "Complaint") throw new RetryableError("delivery.busy", "still sending");
      return { outcome: e.type === "Open" ? "ignored" : "applied", recipients: [] };
    };
    const report = await handleEventMessages(
      [
        { id: "a", body: envelope(fixture("delivery")) },
        { id: "b", body: JSON.stringify(fixture("bounce-permanent")) },
        { id: "c", body: envelope(fixture("complaint")) },
        { id: "d", body: "not json at all" },
        { id: "e", body: envelope(fixture("open")) },
        { id: "f", body: JSON.stringify(fixture("sns-subscription-confirmation")) },
      ],
      apply,
    );
    expect(seen).toEqual(["Delivery", "Bounce", "Complaint", "Open"]);
    expect(report).toMatchObject({ applied: 2, ignored: 1, duplicate: 0, unmatched: 0, retry: ["c"] });
    expect(report.invalid).toEqual([{ id: "d", reason: expect.stringMatching(/not JSON/) }]);
    expect(report.confirmations).toEqual([
      expect.objectContaining({ id: "f", subscribeUrl: expect.stringMatching(/^https:/) }),
    ]);
  });

  it("lets any other failure through, so the whole batch is retried rather than lost", async () => {
    const boom = async (): Promise<ApplyEventResult> => Promise.reject(new Error("DynamoDB unreachable"));
    await expect(handleEventMessages([{ id: "a", body: envelope(fixture("delivery")) }], boom)).rejects.toThrow(
      /unreachable/,
    );
  });
});
