// Public surface of @bulletin/wiring: the one wiring of the local stack and the Lambda handlers.
export { documentClient, dynamoClient, queueIsEmpty, readiness, sesClient, sqsClient, type ClientSettings } from "./aws-clients.ts";
export { dryRunSend, type DryRunResult } from "./dry-run.ts";
export { eventWiring } from "./event-wiring.ts";
export { senderBucket, senderDeps, sesMailer } from "./sender.ts";
export { messageSettings, recipientLinks, signUnsubscribe, verifyUnsubscribe, type MessageConfig } from "./unsubscribe-links.ts";
