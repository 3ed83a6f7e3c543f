import { SQSClient, type SQSClientConfig } from "@aws-sdk/client-sqs";

/**
 * Without a request timeout the SDK waits forever for an answer that never comes, and a poller
 * or a dispatch would hang. 10 s is well beyond the long polls here (at most 1 s locally) and any
 * SendMessageBatch; the SDK's own retry then tries again (at-least-once, as SQS always is).
 */
export const SQS_REQUEST_HANDLER = {
  requestTimeout: 10_000,
  connectionTimeout: 3_000,
  throwOnRequestTimeout: true,
} as const;

/**
 * An SQS (or, with the same options, SNS-compatible) client with SQS_REQUEST_HANDLER's timeouts
 * unless `config` brings its own requestHandler.
 *
 * @example
 * const sqs = createSqsClient({ ...awsClientConfig(stack, "sqs") });
 */
export function createSqsClient(config: SQSClientConfig = {}): SQSClient {
  return new SQSClient({ requestHandler: SQS_REQUEST_HANDLER, ...config });
}
