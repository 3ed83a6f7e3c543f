import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";

/** What every repository of this package is built from. */
export interface DynamoRepoOptions {
  /** A document client, e.g. from createDocumentClient (removeUndefinedValues must be on). */
  client: DynamoDBDocumentClient;
  /** The single table of docs/data-model.md, created by ensureTable. */
  tableName: string;
}
