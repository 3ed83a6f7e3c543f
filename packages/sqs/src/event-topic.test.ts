import { SNSClient } from "@aws-sdk/client-sns";
import { awsClientConfig } from "@bulletin/emulators";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureEventTopic, publishToTopic } from "./event-topic.ts";
import { startMessagePoller } from "./queue-poller.ts";
import { startSqsHarness, waitFor, type SqsHarness } from "./sqs-harness.test-support.ts";

describe("the SES event topic on fauxqs (SNS → SQS)", () => {
  let h: SqsHarness;
  let sns: SNSClient;
  beforeAll(async () => {
    h = await startSqsHarness();
    sns = new SNSClient(awsClientConfig(h.stack, "sns"));
  });
  afterAll(async () => {
    sns.destroy();
    await h.close();
  });

  it("delivers each published message once, as an SNS envelope, to a poller; set-up is idempotent", async () => {
    const sqs = h.client();
    const first = await ensureEventTopic(sns, sqs, "ses-events");
    const again = await ensureEventTopic(sns, sqs, "ses-events");
    expect(again).toEqual(first);
    const got: unknown[] = [];
    const poller = startMessagePoller({
      client: sqs,
      queueUrl: first.queueUrl,
      decode: (body) => JSON.parse(body ?? "") as unknown,
      handler: async (messages) => {
        got.push(...messages.map((m) => m.body));
        return { failedMessageIds: [] };
      },
    });
    await publishToTopic(sns, first.topicArn, JSON.stringify({ eventType: "Delivery", n: 1 }));
    await publishToTopic(sns, first.topicArn, JSON.stringify({ eventType: "Bounce", n: 2 }));
    await waitFor(() => got.length >= 2, 5_000);
    await poller.stop();
    expect(got).toHaveLength(2);
    for (const envelope of got)
      expect(envelope).toMatchObject({
        Type: "Notification",
        TopicArn: first.topicArn,
        Message: expect.stringMatching(/eventType/),
      });
    expect(await h.depth(first.queueUrl)).toBe(0);
  });

  it("a message the decoder refuses never reaches the handler and is not deleted", async () => {
    const sqs = h.client();
    const topic = await ensureEventTopic(sns, sqs, "ses-events-bad");
    const handled: unknown[] = [];
    const errors: unknown[] = [];
    const poller = startMessagePoller({
      client: sqs,
      queueUrl: topic.queueUrl,
      onError: (e) => errors.push(e),
      decode: () => {
        throw new Error("undecodable");
      },
      handler: async (messages) => {
        handled.push(...messages);
        return { failedMessageIds: [] };
      },
    });
    await publishToTopic(sns, topic.topicArn, "x");
    await waitFor(() => errors.length >= 1, 5_000);
    await poller.stop();
    expect(handled).toEqual([]);
    expect(await h.depth(topic.queueUrl)).toBe(1);
  });
});
