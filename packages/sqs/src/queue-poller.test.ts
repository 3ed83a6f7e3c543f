import { ReceiveMessageCommand, SendMessageCommand } from "@aws-sdk/client-sqs";
import type { SendBatch } from "@bulletin/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureQueue } from "./ensure-queue.ts";
import { startQueuePoller, type QueuePoller, type ReceivedBatch } from "./queue-poller.ts";
import { startSqsHarness, waitFor, type SqsHarness } from "./sqs-harness.test-support.ts";
import { SqsSendQueue } from "./sqs-send-queue.ts";

const batches = (n: number): SendBatch[] =>
  Array.from({ length: n }, (_, i) => ({ sendId: `s-${i}`, emails: [`m${i}@example.org`] }));

describe("startQueuePoller on fauxqs", () => {
  let h: SqsHarness;
  const pollers: QueuePoller[] = [];
  const errors: unknown[] = [];
  beforeAll(async () => {
    h = await startSqsHarness();
  });
  afterAll(async () => {
    // Pollers stop together here (each waits out its current long poll, up to 1 s).
    await Promise.all(pollers.map((p) => p.stop()));
    await h.close();
  });

  /** A queue (visibility 1 s), its batches enqueued, and a poller whose calls are recorded. */
  async function setup(
    name: string,
    n: number,
    handler: (call: ReceivedBatch[], callNo: number) => string[] | Promise<string[]>,
    extra: { maxReceiveCount?: number; retryDelaySeconds?: number } = {},
  ) {
    const client = h.client();
    const q = await ensureQueue(client, name, {
      dlqName: `${name}-dlq`,
      visibilityTimeoutSeconds: 1,
      maxReceiveCount: extra.maxReceiveCount ?? 5,
    });
    await new SqsSendQueue({ client, queueUrl: q.queueUrl }).enqueue(batches(n));
    const calls: { at: number; got: ReceivedBatch[] }[] = [];
    const poller = startQueuePoller({
      client,
      queueUrl: q.queueUrl,
      onError: (e) => errors.push(e),
      ...(extra.retryDelaySeconds !== undefined ? { retryDelaySeconds: extra.retryDelaySeconds } : {}),
      handler: async (got) => {
        calls.push({ at: Date.now(), got });
        return { failedMessageIds: await handler(got, calls.length) };
      },
    });
    pollers.push(poller);
    const deliveries = () => calls.flatMap((c) => c.got);
    return { client, q, calls, poller, deliveries };
  }

  it("receives all 23 enqueued batches and deletes them", async () => {
    const { q, deliveries } = await setup("all-23", 23, () => []);
    await waitFor(() => deliveries().length >= 23, 5_000);
    await waitFor(async () => (await h.depth(q.queueUrl)) === 0, 5_000);
    expect(
      deliveries()
        .map((d) => d.batch.sendId)
        .sort(),
    ).toEqual(
      batches(23)
        .map((b) => b.sendId)
        .sort(),
    );
    expect(deliveries().every((d) => d.receiveCount === 1)).toBe(true);
  });

  it("redelivers only the failed message id, after the visibility timeout", async () => {
    let failedOnce: string | undefined;
    const { q, deliveries } = await setup("partial", 3, (got) => {
      const target = got.find((d) => d.batch.sendId === "s-1");
      if (target && failedOnce === undefined) return [(failedOnce = target.messageId)];
      return [];
    });
    await waitFor(() => deliveries().length >= 4, 5_000);
    const ofFailed = deliveries().filter((d) => d.messageId === failedOnce);
    expect(ofFailed.map((d) => d.receiveCount)).toEqual([1, 2]);
    expect(deliveries().filter((d) => d.messageId !== failedOnce)).toHaveLength(2);
    await waitFor(async () => (await h.depth(q.queueUrl)) === 0, 5_000);
  });

  it("redelivers every message of a poll whose handler throws", async () => {
    const { q, calls, deliveries } = await setup("throws", 4, (_got, callNo) => {
      if (callNo === 1) throw new Error("handler crashed");
      return [];
    });
    await waitFor(
      () =>
        calls.length > 0 &&
        new Set(
          deliveries()
            .filter((d) => d.receiveCount === 2)
            .map((d) => d.messageId),
        ).size === calls[0]!.got.length,
      5_000,
    );
    await waitFor(async () => (await h.depth(q.queueUrl)) === 0, 5_000);
    expect(errors).toContainEqual(expect.objectContaining({ message: "handler crashed" }));
  });

  it("with retryDelaySeconds: 0 retries at once, then moves the message to the DLQ after maxReceiveCount", async () => {
    const { client, q, deliveries } = await setup("to-dlq", 1, (got) => got.map((d) => d.messageId), {
      maxReceiveCount: 2,
      retryDelaySeconds: 0,
    });
    await waitFor(async () => (await h.depth(q.dlqUrl)) === 1, 3_000);
    expect(deliveries().map((d) => d.receiveCount)).toEqual([1, 2]);
    const dead = await client.send(new ReceiveMessageCommand({ QueueUrl: q.dlqUrl }));
    expect(JSON.parse(dead.Messages![0]!.Body!)).toEqual({ sendId: "s-0", emails: ["m0@example.org"] });
  });

  it("leaves a malformed body to the DLQ and treats an unknown failed id as a failed poll", async () => {
    const { client, q, deliveries } = await setup("malformed", 0, (got) => (got.length ? ["not-in-batch"] : []), {
      maxReceiveCount: 1,
      retryDelaySeconds: 0,
    });
    await client.send(new SendMessageCommand({ QueueUrl: q.queueUrl, MessageBody: "not json" }));
    await client.send(
      new SendMessageCommand({ QueueUrl: q.queueUrl, MessageBody: JSON.stringify({ sendId: "s-x", emails: [] }) }),
    );
    await waitFor(async () => (await h.depth(q.dlqUrl)) === 2, 3_000);
    expect(deliveries().map((d) => d.batch.sendId)).toEqual(["s-x"]);
    expect(errors).toContainEqual(expect.objectContaining({ code: "sqs.bad-message" }));
    expect(errors).toContainEqual(expect.objectContaining({ message: expect.stringContaining("not-in-batch") }));
  });

  it("stop() ends within the long-poll wait and leaves no timer or request behind", async () => {
    await Promise.all(pollers.map((p) => p.stop())); // the other tests' pollers, so only this one runs
    const timers = () => process.getActiveResourcesInfo().filter((r) => r === "Timeout").length;
    const before = timers();
    const { poller } = await setup("stop", 0, () => []);
    await new Promise((r) => setTimeout(r, 150)); // mid long-poll
    const started = Date.now();
    await poller.stop();
    expect(Date.now() - started).toBeLessThan(500); // the 1 s long poll in progress is not waited out
    await poller.stop(); // idempotent
    // The emulator runs in this process, and its side of the aborted long poll keeps a timer until the
    // wait would have ended: after that, nothing of the poller's is left.
    await new Promise((r) => setTimeout(r, 1_100));
    expect(timers()).toBeLessThanOrEqual(before);
  });
});
