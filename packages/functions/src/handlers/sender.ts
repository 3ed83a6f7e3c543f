import { processBatch, type ProcessBatchDeps, settingsRenderer } from "@bulletin/core";
import { S3Client } from "@aws-sdk/client-s3";
import { MjmlRenderer } from "@bulletin/mjml";
import { S3FileStore } from "@bulletin/s3";
import { decodeSendBatch } from "@bulletin/sqs";
import { senderBucket, senderDeps, sesClient, sesMailer } from "@bulletin/wiring";
import type { SQSBatchResponse, SQSEvent } from "aws-lambda";
import { container } from "../container.ts";

let deps: ProcessBatchDeps | undefined;
/** The issues' photos in the Files bucket: read only when the settings embed them in the email. */
let photos: S3FileStore | undefined;

// The send queue's consumer (partial batch responses). SEND_CONCURRENCY senders run at most, and
// each takes that share of the account's SES rate, so together they never exceed it.
export const handler = async (event: SQSEvent): Promise<SQSBatchResponse> => {
  const rt = container();
  const { config } = rt;
  if (!deps) {
    const mailer = sesMailer(sesClient(), rt.clock);
    deps = senderDeps({
      stores: rt.stores,
      renderer: settingsRenderer(rt.stores.settings, (s) => new MjmlRenderer(s), rt.clock),
      mailer,
      bucket: await senderBucket(mailer, undefined, config.sendConcurrency),
      clock: rt.clock,
      config,
      files: { get: (key) => (photos ??= new S3FileStore(new S3Client({}), config.filesBucket)).get(key) },
      // Held-back recipients of a domain group at its limit go back on the send queue, delayed.
      domains: { groups: config.domainGroups, store: rt.stores.domainPace, queue: rt.queue },
    });
  }
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
