// Public surface of @bulletin/emulators: start the offline AWS emulators and point SDK clients at them.
export {
  connectLocalStack,
  localCredentials,
  startLocalStack,
  type LocalStack,
  type LocalStackOptions,
} from "./local-stack.ts";
export { awsClientConfig, type AwsClientConfig, type LocalService, type StackConnection } from "./sdk-config.ts";
export { clearSentEmails, readSentEmails, type SentEmail } from "./ses-inbox.ts";
export { localSesAccount, type SesQuota } from "./ses-account.ts";
export { javaProblem, MIN_JAVA, startDynamoDbLocal, type DynamoDbLocalOptions } from "./dynamodb-local.ts";
