// Public surface of @bulletin/wiring: the one wiring of the local stack and the Lambda handlers.
export {
  documentClient,
  dynamoClient,
  queueIsEmpty,
  readiness,
  sesClient,
  sqsClient,
  type ClientSettings,
} from "./aws-clients.ts";
export { dryRunSend, type DryRunResult } from "./dry-run.ts";
export { checkIssue, prepareTier, type PreSendDeps } from "./pre-send.ts";
export { eventWiring } from "./event-wiring.ts";
export { senderBucket, senderDeps, sesMailer } from "./sender.ts";
export {
  messageSettings,
  recipientLinks,
  signUnsubscribe,
  verifyUnsubscribe,
  type MessageConfig,
} from "./unsubscribe-links.ts";
export { MAX_INBOUND_BYTES, parseInboundMail, processUnsubscribeMail } from "./unsubscribe-mail.ts";
