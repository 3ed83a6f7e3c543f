import { DynamoDBClient, type DynamoDBClientConfig } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";

/**
 * The document client every repository of this package expects. `removeUndefinedValues`, because
 * optional fields of domain objects arrive as `undefined` and must simply be absent from the item
 * (without it the SDK throws); `convertClassInstanceToMap` stays off so that a stray class instance
 * fails loudly instead of being stored field by field.
 *
 * `config` is the ordinary DynamoDBClient config: `{ region }` on AWS, plus `endpoint` and
 * `credentials` for a local dynalite (local-stack's awsClientConfig(stack, "dynamodb") fits as is).
 *
 * @example
 * const client = createDocumentClient({ region: "us-east-1", endpoint: "http://127.0.0.1:8000",
 *   credentials: { accessKeyId: "local", secretAccessKey: "local" } });
 * const recipients = new DynamoRecipientRepo({ client, tableName: "bulletin" });
 */
export function createDocumentClient(config: DynamoDBClientConfig = {}): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(new DynamoDBClient(config), {
    marshallOptions: { removeUndefinedValues: true },
  });
}
