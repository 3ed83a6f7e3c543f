import { GetObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { processUnsubscribeMail, sesClient, sesMailer, MAX_INBOUND_BYTES } from "@bulletin/wiring";
import type { SESEvent } from "aws-lambda";
import { container } from "../container.ts";

let s3: S3Client | undefined;

// SES receiving: a receipt rule for the List-Unsubscribe address stores each mail in the Inbound
// bucket (under inbound/<SES message id>) and then invokes this function with the receipt (infra/
// inbound.ts). The mail is read from S3 and handed to the same processing as the local SMTP server:
// a verified token unsubscribes (source mailto), anything else is forwarded to a person.
export const handler = async (event: SESEvent) => {
  const rt = container();
  const { config } = rt;
  s3 ??= new S3Client({});
  const mailer = sesMailer(sesClient(), rt.clock);
  const results: string[] = [];
  for (const record of event.Records) {
    const key = `inbound/${record.ses.mail.messageId}`;
    const object = await s3.send(
      new GetObjectCommand({ Bucket: config.inboundBucket, Key: key, Range: `bytes=0-${MAX_INBOUND_BYTES - 1}` }),
    );
    const raw = Buffer.from(await object.Body!.transformToByteArray());
    const r = await processUnsubscribeMail(raw, {
      stores: rt.stores,
      clock: rt.clock,
      unsubscribeKey: config.unsubscribeKey,
      mailer,
      fromEmail: config.fromEmail,
      forwardTo: config.unsubscribeForwardTo,
      storedAt: `s3://${config.inboundBucket}/${key}`,
    });
    // Logged without the address of whoever wrote: the outcome and the message id are enough to find it.
    console.log(
      JSON.stringify({
        msg: "unsubscribe mail",
        messageId: record.ses.mail.messageId,
        outcome: r.outcome,
        ...(r.outcome === "forwarded" ? { reason: r.reason } : {}),
      }),
    );
    results.push(r.outcome);
  }
  return { results };
};
