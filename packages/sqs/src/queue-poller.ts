import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  ReceiveMessageCommand,
  type Message,
  type SQSClient,
} from "@aws-sdk/client-sqs";
import type { SendBatch } from "@bulletin/core";
import { decodeSendBatch } from "./batch-codec.ts";
import { translateSqsError } from "./sqs-errors.ts";

/** One received message: its SQS MessageId, the decoded batch, and how often SQS has delivered it. */
export interface ReceivedBatch {
  messageId: string;
  batch: SendBatch;
  receiveCount: number;
}

/** One received message of any queue: its SQS MessageId, the decoded body, how often SQS has delivered it. */
export interface ReceivedMessage<T> {
  messageId: string;
  body: T;
  receiveCount: number;
}

export interface QueuePollerOptions {
  client: SQSClient;
  queueUrl: string;
  /** Like a Lambda SQS handler with ReportBatchItemFailures: the ids returned are retried, the rest deleted. */
  handler: (batches: ReceivedBatch[]) => Promise<{ failedMessageIds: string[] }>;
  /** ReceiveMessage long-poll wait; default 1 s. stop() ends a wait in progress at once. */
  waitSeconds?: number;
  /** 1-10; default 10. */
  maxMessages?: number;
  /** If set, failed messages become visible again after this many seconds instead of the queue's visibility timeout. */
  retryDelaySeconds?: number;
  /** Receives every error the poller survives (handler throws, SQS errors, malformed bodies); default console.error. */
  onError?: (err: unknown) => void;
}

export interface QueuePoller {
  /**
   * Stops polling: a long poll in progress is aborted, a handler call in progress finishes; then no
   * timer or request of the poller is left.
   */
  stop(): Promise<void>;
}

/**
 * Long-polls an SQS queue and hands its messages to `handler` with the semantics of a Lambda SQS event
 * source with partial batch responses: messages whose ids are not in `failedMessageIds` are deleted;
 * failed ones stay and are delivered again after the visibility timeout (or `retryDelaySeconds`), and
 * after maxReceiveCount receives the RedrivePolicy moves them to the dead-letter queue. A handler that
 * throws, or returns an id that was not in the batch, fails every message of that poll.
 *
 * @example
 * const poller = startQueuePoller({ client: sqs, queueUrl, handler: async (batches) => {
 *   const failed = await sendAll(batches);
 *   return { failedMessageIds: failed.map((b) => b.messageId) };
 * } });
 * await poller.stop();
 */
export function startQueuePoller(opts: QueuePollerOptions): QueuePoller {
  const { handler, ...rest } = opts;
  return startMessagePoller<SendBatch>({
    ...rest,
    decode: decodeSendBatch,
    handler: (messages) =>
      handler(messages.map((m) => ({ messageId: m.messageId, batch: m.body, receiveCount: m.receiveCount }))),
  });
}

export interface MessagePollerOptions<T> extends Omit<QueuePollerOptions, "handler"> {
  /** Turns a message body into T; a throw sends the message towards the dead-letter queue. */
  decode: (body: string | undefined) => T;
  handler: (messages: ReceivedMessage<T>[]) => Promise<{ failedMessageIds: string[] }>;
}

/**
 * startQueuePoller for any queue: the same partial-batch semantics, with the body decoded by `decode`.
 *
 * @example
 * startMessagePoller({ client: sqs, queueUrl, decode: (b) => b ?? "", handler: async (ms) => ({ failedMessageIds: [] }) });
 */
export function startMessagePoller<T>(opts: MessagePollerOptions<T>): QueuePoller {
  const { client, queueUrl, handler } = opts;
  const waitSeconds = opts.waitSeconds ?? 1;
  const maxMessages = opts.maxMessages ?? 10;
  const report = (err: unknown): void => {
    try {
      (opts.onError ?? console.error)(err);
    } catch {
      // A failing error reporter must not stop the poller.
    }
  };
  let stopped = false;
  const pause = cancellableSleep();
  // stop() aborts a long poll in progress instead of waiting it out (a second per poller, at every
  // stop). A message SQS hands to a poll that was aborted stays invisible for its visibility
  // timeout and then comes again: at-least-once, as after any lost answer.
  const polling = new AbortController();

  const processMessages = async (messages: Message[]): Promise<void> => {
    const received: ReceivedMessage<T>[] = [];
    const failed = new Set<string>();
    for (const m of messages) {
      try {
        received.push({
          messageId: m.MessageId!,
          body: opts.decode(m.Body),
          receiveCount: Number(m.Attributes?.ApproximateReceiveCount ?? 1),
        });
      } catch (err) {
        // It can never succeed: leave it to the RedrivePolicy (dead-letter queue).
        failed.add(m.MessageId!);
        report(err);
      }
    }
    if (received.length > 0) {
      for (const id of await callHandler(handler, received, report)) failed.add(id);
    }
    const entries = (list: Message[]) => list.map((m, i) => ({ Id: `m${i}`, ReceiptHandle: m.ReceiptHandle! }));
    const done = messages.filter((m) => !failed.has(m.MessageId!));
    if (done.length > 0) {
      // A delete that fails means a redelivery: at-least-once, as with Lambda.
      const out = await sqsCall(queueUrl, report, () =>
        client.send(new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries(done) })),
      );
      if (out?.Failed?.length)
        report(
          new Error(
            `queue poller: ${out.Failed.length} handled messages not deleted (${out.Failed[0]!.Code}); they will be delivered again`,
          ),
        );
    }
    const retry = messages.filter((m) => failed.has(m.MessageId!));
    if (retry.length > 0 && opts.retryDelaySeconds !== undefined) {
      const VisibilityTimeout = opts.retryDelaySeconds;
      await sqsCall(queueUrl, report, () =>
        client.send(
          new ChangeMessageVisibilityBatchCommand({
            QueueUrl: queueUrl,
            Entries: entries(retry).map((e) => ({ ...e, VisibilityTimeout })),
          }),
        ),
      );
    }
  };

  const loop = async (): Promise<void> => {
    let errors = 0;
    while (!stopped) {
      const out = await sqsCall(
        queueUrl,
        (err) => (stopped ? undefined : report(err)),
        () =>
          client.send(
            new ReceiveMessageCommand({
              QueueUrl: queueUrl,
              MaxNumberOfMessages: maxMessages,
              WaitTimeSeconds: waitSeconds,
              MessageSystemAttributeNames: ["ApproximateReceiveCount"],
            }),
            { abortSignal: polling.signal },
          ),
      );
      if (out === undefined) {
        errors += 1;
        await pause.sleep(Math.min(5_000, 100 * 2 ** errors));
        continue;
      }
      errors = 0;
      const messages = out.Messages ?? [];
      if (messages.length > 0) await processMessages(messages);
      else if (waitSeconds === 0) await pause.sleep(100); // no long poll: do not spin
    }
  };

  const running = loop();
  return {
    async stop() {
      stopped = true;
      polling.abort();
      pause.cancel();
      await running;
    },
  };
}

/** Runs the handler; its failed ids, or every id when it throws or names a message it was not given. */
async function callHandler<T>(
  handler: MessagePollerOptions<T>["handler"],
  received: ReceivedMessage<T>[],
  report: (err: unknown) => void,
): Promise<string[]> {
  const all = received.map((r) => r.messageId);
  try {
    const result = await handler(received);
    const ids = result?.failedMessageIds;
    if (!Array.isArray(ids)) throw new Error("queue poller: the handler must return { failedMessageIds: string[] }");
    const unknown = ids.filter((id) => !all.includes(id));
    if (unknown.length > 0)
      throw new Error(`queue poller: the handler failed ids that were not in the batch: ${unknown.join(", ")}`);
    return ids;
  } catch (err) {
    report(err);
    return all;
  }
}

/** One SQS call; a failure is translated and reported, and yields undefined. */
async function sqsCall<T>(
  queueUrl: string,
  report: (err: unknown) => void,
  call: () => Promise<T>,
): Promise<T | undefined> {
  try {
    return await call();
  } catch (err) {
    report(translateSqsError(err, queueUrl));
    return undefined;
  }
}

/** A sleep that cancel() ends at once, so stop() never waits for a backoff timer. */
function cancellableSleep(): { sleep(ms: number): Promise<void>; cancel(): void } {
  let wake: (() => void) | undefined;
  let cancelled = false;
  return {
    sleep: (ms) =>
      new Promise<void>((resolve) => {
        if (cancelled) return resolve();
        const timer = setTimeout(done, ms);
        function done(): void {
          clearTimeout(timer);
          wake = undefined;
          resolve();
        }
        wake = done;
      }),
    cancel() {
      cancelled = true;
      wake?.();
    },
  };
}
