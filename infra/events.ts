// SES publishes its events (configuration set → this topic, see email.ts); one handler applies them
// to delivery status, counters and the suppression list. SNS invokes it asynchronously: Lambda
// retries a failed event twice (applying one again changes nothing, docs/sending.md), then puts it
// on SesEventsDlq rather than dropping it, because a lost bounce or complaint means mailing that
// address again. Events there can be replayed with `npx bulletin events ingest` (SNS envelopes).
import { architecture, eventSettingsEnv, runtime } from "./config";
import { table } from "./storage";

export const sesEvents = new sst.aws.SnsTopic("SesEvents");

export const sesEventsDlq = new sst.aws.Queue("SesEventsDlq", {
  transform: { queue: { messageRetentionSeconds: 14 * 24 * 3600 } },
});

sesEvents.subscribe("Tracker", {
  handler: "packages/functions/src/handlers/ses-events.handler",
  runtime,
  architecture,
  link: [table],
  environment: eventSettingsEnv,
  // Lambda itself writes to the dead-letter queue, with the function's role.
  permissions: [{ actions: ["sqs:SendMessage"], resources: [sesEventsDlq.arn] }],
  transform: { function: { deadLetterConfig: { targetArn: sesEventsDlq.arn } } },
  // One SNS message is one SES event: a few conditional writes.
  timeout: "30 seconds",
  memory: "512 MB",
});
