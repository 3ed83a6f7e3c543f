// Public surface of @bulletin/sqs: the SendQueue port on SQS, queue setup, and a Lambda-like poller.
export { SqsSendQueue, type SqsSendQueueOptions } from "./sqs-send-queue.ts";
export { ensureQueue, type EnsureQueueOptions, type EnsuredQueue } from "./ensure-queue.ts";
export { startQueuePoller, type QueuePoller, type QueuePollerOptions, type ReceivedBatch } from "./queue-poller.ts";
export { decodeSendBatch, encodeSendBatch } from "./batch-codec.ts";
export { callSqs, translateSqsError } from "./sqs-errors.ts";
export { startMessagePoller, type MessagePollerOptions, type ReceivedMessage } from "./queue-poller.ts";
export { ensureEventTopic, publishToTopic, type EventTopic } from "./event-topic.ts";
export { createSqsClient, SQS_REQUEST_HANDLER } from "./sqs-client.ts";
