import {
  ReceiveMessageCommand,
  type SendMessageBatchCommandInput,
  type SendMessageBatchCommandOutput,
  type SQSClient,
} from "@aws-sdk/client-sqs";
import { InvalidInputError, RetryableError, type SendBatch } from "@bulletin/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeSendBatch, encodeSendBatch } from "./batch-codec.ts";
import { ensureQueue } from "./ensure-queue.ts";
import { startSqsHarness, type SqsHarness } from "./sqs-harness.test-support.ts";
import { SqsSendQueue } from "./sqs-send-queue.ts";

const batches = (n: number, prefix = "s"): SendBatch[] =>
  Array.from({ length: n }, (_, i) => ({
    sendId: `${prefix}-${i}`,
    emails: [`m${i}a@example.org`, `m${i}b@example.org`],
  }));

/** Records SendMessageBatch calls; `fail(entries)` may claim some entries failed instead of sending them. */
function spyBatches(
  client: SQSClient,
  fail: (call: number, ids: string[]) => { ids: string[]; senderFault: boolean } | undefined = () => undefined,
) {
  const calls: string[][] = [];
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName !== "SendMessageBatchCommand") return next(args);
      const input = args.input as SendMessageBatchCommandInput;
      const entries = input.Entries ?? [];
      calls.push(entries.map((e) => e.Id!));
      const failing = fail(
        calls.length,
        entries.map((e) => e.Id!),
      );
      if (!failing) return next(args);
      const kept = entries.filter((e) => !failing.ids.includes(e.Id!));
      const Failed = failing.ids.map((Id) => ({
        Id,
        Code: "InternalError",
        Message: "injected",
        SenderFault: failing.senderFault,
      }));
      // SQS refuses an empty batch, so when every entry "fails" answer without calling it.
      if (kept.length === 0) return { output: { Successful: [], Failed, $metadata: {} }, response: {} };
      const result = await next({ ...args, input: { ...input, Entries: kept } });
      (result.output as SendMessageBatchCommandOutput).Failed = Failed;
      return result;
    },
    { step: "initialize", name: "spyBatches" },
  );
  return calls;
}

async function drain(client: SQSClient, queueUrl: string): Promise<SendBatch[]> {
  const got: SendBatch[] = [];
  for (;;) {
    const out = await client.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }),
    );
    if (!out.Messages?.length) return got;
    got.push(...out.Messages.map((m) => decodeSendBatch(m.Body)));
  }
}

describe("SqsSendQueue on fauxqs", () => {
  let h: SqsHarness;
  beforeAll(async () => {
    h = await startSqsHarness();
  });
  afterAll(() => h.close());

  it("enqueues JSON bodies in SendMessageBatch groups of 10", async () => {
    const client = h.client();
    const calls = spyBatches(client);
    const { queueUrl } = await ensureQueue(client, "enqueue-groups", { dlqName: "enqueue-groups-dlq" });
    await new SqsSendQueue({ client, queueUrl }).enqueue(batches(23));
    expect(calls.map((c) => c.length)).toEqual([10, 10, 3]);
    const got = await drain(client, queueUrl);
    expect(got.map((b) => b.sendId).sort()).toEqual(
      batches(23)
        .map((b) => b.sendId)
        .sort(),
    );
    expect(got.find((b) => b.sendId === "s-7")).toEqual({
      sendId: "s-7",
      emails: ["m7a@example.org", "m7b@example.org"],
    });
  });

  it("retries only the entries SQS failed, and each batch arrives once", async () => {
    const client = h.client();
    const calls = spyBatches(client, (call, ids) =>
      call === 1 ? { ids: [ids[2]!, ids[5]!], senderFault: false } : undefined,
    );
    const { queueUrl } = await ensureQueue(client, "enqueue-retry", { dlqName: "enqueue-retry-dlq" });
    await new SqsSendQueue({ client, queueUrl, retryDelayMs: 1 }).enqueue(batches(8));
    expect(calls).toEqual([
      ["m0", "m1", "m2", "m3", "m4", "m5", "m6", "m7"],
      ["m2", "m5"],
    ]);
    const got = await drain(client, queueUrl);
    expect(got.map((b) => b.sendId).sort()).toEqual(
      batches(8)
        .map((b) => b.sendId)
        .sort(),
    );
  });

  it("gives up with RetryableError, or InvalidInputError when SQS blames the message", async () => {
    const client = h.client();
    let senderFault = false;
    spyBatches(client, (_call, ids) => ({ ids: [ids[0]!], senderFault }));
    const { queueUrl } = await ensureQueue(client, "enqueue-fail", { dlqName: "enqueue-fail-dlq" });
    const queue = new SqsSendQueue({ client, queueUrl, retryDelayMs: 1, maxAttempts: 2 });
    await expect(queue.enqueue(batches(2))).rejects.toBeInstanceOf(RetryableError);
    senderFault = true;
    await expect(queue.enqueue(batches(2))).rejects.toBeInstanceOf(InvalidInputError);
  });

  it("refuses a batch too large for one SQS message before sending anything", async () => {
    const client = h.client();
    const calls = spyBatches(client);
    const huge = { sendId: "big", emails: Array.from({ length: 12_000 }, (_, i) => `member-${i}@example.org`) };
    expect(Buffer.byteLength(encodeSendBatch(huge))).toBeGreaterThan(256 * 1024);
    await expect(new SqsSendQueue({ client, queueUrl: "unused" }).enqueue([huge])).rejects.toThrow(/at most 262144/);
    expect(calls).toEqual([]);
  });
});
