import { messageSettings } from "@bulletin/api";
import { processBatch, sendRate, TokenBucket } from "@bulletin/core";
import { SesMailer } from "@bulletin/ses";
import { decodeSendBatch } from "@bulletin/sqs";
import type { SQSBatchResponse, SQSEvent } from "aws-lambda";
import { container } from "../container.ts";

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
let bucket: TokenBucket | undefined;

// The send queue's consumer (partial batch responses). SEND_CONCURRENCY senders run at most, and
// each takes that share of the account's SES rate, so together they never exceed it.
export const handler = async (event: SQSEvent): Promise<SQSBatchResponse> => {
  const rt = container();
  const { config } = rt;
  const mailer = new SesMailer({ client: rt.ses(), clock: rt.clock });
  bucket ??= new TokenBucket({ ratePerSecond: sendRate(await mailer.quota(), undefined, config.sendConcurrency), clock: { nowMs: () => Date.now() }, sleep });
  const deps = {
    ...rt.stores,
    renderer: rt.renderer,
    clock: rt.clock,
    // The issues' pictures, read only when the settings embed photos in the email.
    files: { get: (key: string) => rt.files.get(key) },
    mailer,
    bucket,
    sleep,
    ...messageSettings(config),
  };
  const failures: { itemIdentifier: string }[] = [];
  for (const record of event.Records) {
    let handBack = false;
    try {
      // The whole message comes back; addresses already settled are skipped by their claim.
      handBack = (await processBatch(decodeSendBatch(record.body), deps)).failedEmails.length > 0;
    } catch (e) {
      console.error(JSON.stringify({ msg: "batch failed", messageId: record.messageId, error: (e as Error).message }));
      handBack = true;
    }
    if (!handBack) continue;
    failures.push({ itemIdentifier: record.messageId });
    // Soon, as the local poller does, not after the queue's 30-minute visibility timeout.
    await rt.retryLater(record.eventSourceARN, record.receiptHandle, config.senderRetrySeconds);
  }
  return { batchItemFailures: failures };
};
