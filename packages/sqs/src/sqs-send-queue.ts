import { setTimeout as delay } from "node:timers/promises";
import { SendMessageBatchCommand, type SendMessageBatchRequestEntry, type SQSClient } from "@aws-sdk/client-sqs";
import { InvalidInputError, RetryableError, type SendBatch, type SendQueue } from "@bulletin/core";
import { encodeSendBatch } from "./batch-codec.ts";
import { callSqs } from "./sqs-errors.ts";

export interface SqsSendQueueOptions {
  client: SQSClient;
  queueUrl: string;
  /** Attempts per SendMessageBatch group for entries SQS reports as failed (its fault); default 3. */
  maxAttempts?: number;
  /** First pause before retrying failed entries, doubled each time; default 100 ms. */
  retryDelayMs?: number;
}

/** SQS limits: 10 entries per SendMessageBatch, 256 KiB for one message and for a whole batch. */
const MAX_ENTRIES = 10;
const MAX_BATCH_BYTES = 256 * 1024;

/**
 * The SendQueue port on SQS: one message per SendBatch, JSON `{sendId, emails}`, sent with
 * SendMessageBatch in groups of up to 10 (and 256 KiB). Entries SQS fails on its side are retried
 * with backoff; a message SQS refuses as malformed is an InvalidInputError, and entries still failing
 * after maxAttempts a RetryableError. Groups before a failure stay enqueued, so a retried enqueue
 * can duplicate batches: consumers claim each delivery once, which makes that harmless.
 *
 * @example
 * const queue = new SqsSendQueue({ client: new SQSClient({}), queueUrl });
 * await queue.enqueue([{ sendId: "s-1", emails: ["ann@example.org", "bob@example.org"] }]);
 */
export class SqsSendQueue implements SendQueue {
  private readonly client: SQSClient;
  private readonly queueUrl: string;
  private readonly maxAttempts: number;
  private readonly retryDelayMs: number;

  constructor(opts: SqsSendQueueOptions) {
    this.client = opts.client;
    this.queueUrl = opts.queueUrl;
    this.maxAttempts = opts.maxAttempts ?? 3;
    this.retryDelayMs = opts.retryDelayMs ?? 100;
  }

  async enqueue(batches: readonly SendBatch[], options: { delaySeconds?: number } = {}): Promise<void> {
    const delay = options.delaySeconds;
    if (delay !== undefined && !(Number.isInteger(delay) && delay >= 0 && delay <= 900))
      throw new InvalidInputError("sqs.delay", `a message delay is 0 to 900 whole seconds, not ${delay}`);
    for (const group of groupBodies(batches.map(encodeSendBatch))) await this.sendGroup(group, delay);
  }

  private async sendGroup(bodies: string[], delaySeconds: number | undefined): Promise<void> {
    let pending: SendMessageBatchRequestEntry[] = bodies.map((body, i) => ({
      Id: `m${i}`,
      MessageBody: body,
      ...(delaySeconds ? { DelaySeconds: delaySeconds } : {}),
    }));
    for (let attempt = 1; ; attempt += 1) {
      const out = await callSqs(this.queueUrl, () =>
        this.client.send(new SendMessageBatchCommand({ QueueUrl: this.queueUrl, Entries: pending })),
      );
      const failed = out.Failed ?? [];
      if (failed.length === 0) return;
      const refused = failed.find((f) => f.SenderFault);
      if (refused) {
        throw new InvalidInputError(
          "sqs.message-refused",
          `SQS refused a send batch: ${refused.Code}: ${refused.Message}`,
        );
      }
      if (attempt >= this.maxAttempts) {
        const first = failed[0]!;
        throw new RetryableError(
          "sqs.enqueue-incomplete",
          `${failed.length} send batches not enqueued after ${attempt} attempts (${first.Code}: ${first.Message})`,
        );
      }
      const ids = new Set(failed.map((f) => f.Id));
      pending = pending.filter((entry) => ids.has(entry.Id));
      await delay(this.retryDelayMs * 2 ** (attempt - 1));
    }
  }
}

/** Splits message bodies into SendMessageBatch groups: at most 10 entries and 256 KiB each. */
function groupBodies(bodies: string[]): string[][] {
  const groups: string[][] = [];
  let current: string[] = [];
  let bytes = 0;
  for (const body of bodies) {
    const size = Buffer.byteLength(body, "utf8");
    if (size > MAX_BATCH_BYTES) {
      throw new InvalidInputError(
        "sqs.message-too-large",
        `a send batch is ${size} bytes as JSON; SQS takes at most ${MAX_BATCH_BYTES}: make batches smaller`,
      );
    }
    if (current.length === MAX_ENTRIES || bytes + size > MAX_BATCH_BYTES) {
      groups.push(current);
      current = [];
      bytes = 0;
    }
    current.push(body);
    bytes += size;
  }
  if (current.length > 0) groups.push(current);
  return groups;
}
