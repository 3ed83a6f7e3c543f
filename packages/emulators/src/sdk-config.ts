/** The AWS services the local stack emulates; each has its own endpoint. */
export type LocalService = "dynamodb" | "ses" | "sqs" | "sns";

/** The part of a running stack a client needs; also constructible from env for `npm start`. */
export interface StackConnection {
  endpoints: Record<LocalService, string>;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
}

/** What every AWS SDK v3 client constructor accepts to talk to one emulator. */
export interface AwsClientConfig {
  endpoint: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
}

/**
 * Config for an AWS SDK v3 client pointed at the local emulator of `service`.
 * The application constructs the very same clients as on AWS; only this object differs,
 * so no code path is local-only.
 *
 * @example
 * import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
 * const stack = await startLocalStack({ dataDir: ".data" });
 * const ddb = new DynamoDBClient(awsClientConfig(stack, "dynamodb"));
 */
export function awsClientConfig(stack: StackConnection, service: LocalService): AwsClientConfig {
  return {
    endpoint: stack.endpoints[service],
    region: stack.region,
    // A copy, so a caller mutating its client config cannot change the stack's.
    credentials: { ...stack.credentials },
  };
}
