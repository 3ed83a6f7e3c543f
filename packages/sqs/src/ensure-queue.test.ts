import { GetQueueAttributesCommand } from "@aws-sdk/client-sqs";
import { NotFoundError } from "@bulletin/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureQueue } from "./ensure-queue.ts";
import { startSqsHarness, type SqsHarness } from "./sqs-harness.test-support.ts";
import { SqsSendQueue } from "./sqs-send-queue.ts";

describe("ensureQueue on fauxqs", () => {
  let h: SqsHarness;
  beforeAll(async () => {
    h = await startSqsHarness();
  });
  afterAll(() => h.close());

  it("creates the queue with its visibility timeout and a RedrivePolicy to the DLQ", async () => {
    const client = h.client();
    const q = await ensureQueue(client, "sends", { dlqName: "sends-dlq", visibilityTimeoutSeconds: 2 });
    expect(q).toMatchObject({
      redrive: true,
      queueArn: expect.stringMatching(/:sends$/),
      dlqArn: expect.stringMatching(/:sends-dlq$/),
    });
    const { Attributes } = await client.send(
      new GetQueueAttributesCommand({ QueueUrl: q.queueUrl, AttributeNames: ["All"] }),
    );
    expect(Attributes?.VisibilityTimeout).toBe("2");
    expect(JSON.parse(Attributes!.RedrivePolicy!)).toEqual({ deadLetterTargetArn: q.dlqArn, maxReceiveCount: 5 });
    const dlq = await client.send(
      new GetQueueAttributesCommand({ QueueUrl: q.dlqUrl, AttributeNames: ["MessageRetentionPeriod"] }),
    );
    expect(dlq.Attributes?.MessageRetentionPeriod).toBe("1209600");
  });

  it("is idempotent, and updates an existing queue whose attributes differ", async () => {
    const client = h.client();
    const first = await ensureQueue(client, "resends", { dlqName: "resends-dlq", visibilityTimeoutSeconds: 5 });
    expect(await ensureQueue(client, "resends", { dlqName: "resends-dlq", visibilityTimeoutSeconds: 5 })).toEqual(
      first,
    );
    const changed = await ensureQueue(client, "resends", {
      dlqName: "resends-dlq",
      visibilityTimeoutSeconds: 9,
      maxReceiveCount: 3,
    });
    expect(changed.queueUrl).toBe(first.queueUrl);
    const { Attributes } = await client.send(
      new GetQueueAttributesCommand({
        QueueUrl: first.queueUrl,
        AttributeNames: ["VisibilityTimeout", "RedrivePolicy"],
      }),
    );
    expect(Attributes?.VisibilityTimeout).toBe("9");
    expect(JSON.parse(Attributes!.RedrivePolicy!).maxReceiveCount).toBe(3);
  });

  it("translates a missing queue into NotFoundError", async () => {
    const client = h.client();
    const queueUrl = `${h.stack.endpoints.sqs}/000000000000/never-created`;
    await expect(new SqsSendQueue({ client, queueUrl }).enqueue([{ sendId: "s", emails: [] }])).rejects.toBeInstanceOf(
      NotFoundError,
    );
  });
});
