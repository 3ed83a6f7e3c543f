// The send pipeline's queue (docs/sending.md): the dispatcher writes a delivery per recipient and
// enqueues the queued addresses in batches of 50; the sender (sender.ts) consumes them.
import { architecture, runtime } from "./config";
import { table } from "./storage";

/**
 * The sender's Lambda timeout. One message holds 50 addresses; at the slowest pace a new SES
 * account allows (1/s, split between 2 senders) that is 100 s, so 5 minutes leaves room for the
 * pipeline's backoff without cutting a sender off between its claim and its record (which would
 * leave deliveries "unknown").
 */
export const SENDER_TIMEOUT_MINUTES = 5;

/** Kept 14 days (SQS's maximum), so a batch that failed five times can still be looked at. */
export const sendDlq = new sst.aws.Queue("SendDlq", {
  transform: { queue: { messageRetentionSeconds: 14 * 24 * 3600 } },
});

export const sendQueue = new sst.aws.Queue("SendQueue", {
  // A batch that fails five times goes aside instead of cycling; its deliveries are still queued
  // in the table, and the scheduler's sweeper re-enqueues stalled sends.
  dlq: { queue: sendDlq.arn, retry: 5 },
  // AWS's advice for a Lambda event source: at least six times the function's timeout, so a batch
  // a sender is still working on is not handed to another.
  visibilityTimeout: `${6 * SENDER_TIMEOUT_MINUTES} minutes` as const,
});

/**
 * What a function linked to a queue may do: enqueue (SendMessageBatch is authorised as
 * sqs:SendMessage) and read the queue's depth. Receiving and deleting are the sender's event source
 * mapping's, which SST grants to that function alone; SST's own link grants sqs:*.
 */
export const QUEUE_ACTIONS = ["sqs:SendMessage", "sqs:GetQueueAttributes"];

sst.Linkable.wrap(sst.aws.Queue, (q) => ({
  properties: { url: q.url },
  include: [sst.aws.permission({ actions: QUEUE_ACTIONS, resources: [q.arn] })],
}));

/**
 * Resolves a send's audience, writes its deliveries and enqueues them. Invoked asynchronously by
 * the api and the scheduler with { sendId }; Lambda retries a failed run twice, which is safe
 * because a re-run enqueues only what the table still has queued.
 */
export const dispatcher = new sst.aws.Function("Dispatcher", {
  handler: "packages/functions/src/handlers/dispatcher.handler",
  runtime,
  architecture,
  link: [table, sendQueue],
  // 100,000 recipients are a few hundred thousand writes: minutes, never the whole 15.
  timeout: "15 minutes",
  memory: "1024 MB",
});
