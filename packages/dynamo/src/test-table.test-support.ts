import { randomUUID } from "node:crypto";
import { DeleteTableCommand } from "@aws-sdk/client-dynamodb";
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { createDocumentClient } from "./document-client.ts";
import { ensureTable } from "./table.ts";

export interface TestTable {
  client: DynamoDBDocumentClient;
  tableName: string;
  endpoint: string;
  close(): Promise<void>;
}

/**
 * The service's table (ensureTable) on the test run's DynamoDB Local (LOCAL_DYNAMODB_URL, started
 * once by tests/support/dynamodb-global-setup.ts), under an access key of its own: DynamoDB Local
 * keeps a database per access key, so every test table starts empty and none sees another's.
 *
 * @example
 * let t: TestTable;
 * beforeAll(async () => { t = await startTestTable(); });
 * afterAll(() => t.close());
 */
export async function startTestTable(tableName = "bulletin-test"): Promise<TestTable> {
  const endpoint = process.env.LOCAL_DYNAMODB_URL;
  if (!endpoint)
    throw new Error(
      "LOCAL_DYNAMODB_URL is not set: run the tests through vitest (its globalSetup starts DynamoDB Local)",
    );
  const client = createDocumentClient({
    endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: `test${randomUUID().replace(/-/g, "")}`, secretAccessKey: "test" },
  });
  await ensureTable(client, tableName, { pollMs: 10 });
  return {
    client,
    tableName,
    endpoint,
    close: async () => {
      // The database is the run's; dropping the table gives its memory back.
      await client.send(new DeleteTableCommand({ TableName: tableName })).catch(() => {});
      client.destroy();
    },
  };
}
