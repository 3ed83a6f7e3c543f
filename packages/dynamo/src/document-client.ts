import { DynamoDBClient, type DynamoDBClientConfig } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";

/**
 * Without a request timeout the SDK waits forever for an answer that never comes (a dropped
 * connection nobody reset): a sender would hang with its claims held. 10 s is far beyond any
 * single-item call, 1 MB page or 100-item transaction; the SDK's own retry then tries again, and a
 * transaction that did land the first time is not applied again (its ClientRequestToken, transact.ts).
 */
export const DYNAMO_REQUEST_HANDLER = {
  requestTimeout: 10_000,
  connectionTimeout: 3_000,
  throwOnRequestTimeout: true,
} as const;

/**
 * The document client every repository of this package expects. `removeUndefinedValues`, because
 * optional fields of domain objects arrive as `undefined` and must simply be absent from the item
 * (without it the SDK throws); `convertClassInstanceToMap` stays off so that a stray class instance
 * fails loudly instead of being stored field by field.
 *
 * `config` is the ordinary DynamoDBClient config: `{ region }` on AWS, plus `endpoint` and
 * `credentials` for a local DynamoDB Local (emulators' awsClientConfig(stack, "dynamodb") fits as is).
 * Its requestHandler defaults to DYNAMO_REQUEST_HANDLER's timeouts.
 *
 * @example
 * const client = createDocumentClient({ region: "us-east-1", endpoint: "http://127.0.0.1:8000",
 *   credentials: { accessKeyId: "local", secretAccessKey: "local" } });
 * const recipients = new DynamoRecipientRepo({ client, tableName: "bulletin" });
 */
export function createDocumentClient(config: DynamoDBClientConfig = {}): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(new DynamoDBClient({ requestHandler: DYNAMO_REQUEST_HANDLER, ...config }), {
    marshallOptions: { removeUndefinedValues: true },
  });
}
