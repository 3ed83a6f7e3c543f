import {
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  type CreateTableCommandInput,
  type DynamoDBClient,
  type TableDescription,
} from "@aws-sdk/client-dynamodb";
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { BulletinError } from "@bulletin/core";
import { translateDynamoError } from "./errors.ts";

const INDEXES = ["gsi1", "gsi2"] as const;

/**
 * The one table of the service (see docs/data-model.md): string keys `pk`/`sk`, two overloaded
 * GSIs projecting ALL, on-demand billing (a monthly bulletin is idle most of the month and bursts
 * during a send: provisioned capacity would be paid for nothing or throttle the burst).
 *
 * @example
 * await client.send(new CreateTableCommand(tableDefinition("bulletin")));
 */
export function tableDefinition(tableName: string): CreateTableCommandInput {
  return {
    TableName: tableName,
    BillingMode: "PAY_PER_REQUEST",
    AttributeDefinitions: ["pk", "sk", "gsi1pk", "gsi1sk", "gsi2pk", "gsi2sk"].map((name) => ({
      AttributeName: name,
      AttributeType: "S",
    })),
    KeySchema: [
      { AttributeName: "pk", KeyType: "HASH" },
      { AttributeName: "sk", KeyType: "RANGE" },
    ],
    GlobalSecondaryIndexes: INDEXES.map((index) => ({
      IndexName: index,
      KeySchema: [
        { AttributeName: `${index}pk`, KeyType: "HASH" },
        { AttributeName: `${index}sk`, KeyType: "RANGE" },
      ],
      // ALL: every list answers from the index alone, without a GetItem per row.
      Projection: { ProjectionType: "ALL" },
    })),
  };
}

export interface EnsureTableOptions {
  /** How long to wait for ACTIVE; AWS takes seconds to a minute with two GSIs. Default 120 s. */
  timeoutMs?: number;
  /** Pause between DescribeTable polls. Default 500 ms. */
  pollMs?: number;
}

/**
 * Creates the table if it is absent and waits until it and both indexes are ACTIVE. Idempotent and
 * safe to race: a concurrent creator's ResourceInUseException just means "wait for it". Fails with a
 * BulletinError when a table of that name exists without the indexes this service needs.
 *
 * @example
 * await ensureTable(createDocumentClient({ region: "cn-north-1" }), "bulletin");
 */
export async function ensureTable(
  client: DynamoDBClient | DynamoDBDocumentClient,
  tableName: string,
  opts: EnsureTableOptions = {},
): Promise<void> {
  // The document client forwards low-level commands untouched; the cast only unifies the overloads.
  const ddb = client as DynamoDBClient;
  const deadline = Date.now() + (opts.timeoutMs ?? 120_000);
  const pollMs = opts.pollMs ?? 500;
  let table = await describe(ddb, tableName);
  if (!table) {
    try {
      await ddb.send(new CreateTableCommand(tableDefinition(tableName)));
    } catch (err) {
      if ((err as { name?: unknown }).name !== "ResourceInUseException") throw translateDynamoError(err, { tableName });
    }
  }
  for (;;) {
    table = await describe(ddb, tableName);
    if (table) {
      checkIndexes(table, tableName);
      if (isActive(table)) return;
    }
    if (Date.now() > deadline) {
      throw new BulletinError("storage.table-timeout", `DynamoDB table ${tableName} did not become ACTIVE in time`);
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

async function describe(ddb: DynamoDBClient, tableName: string): Promise<TableDescription | undefined> {
  try {
    return (await ddb.send(new DescribeTableCommand({ TableName: tableName }))).Table;
  } catch (err) {
    if ((err as { name?: unknown }).name === "ResourceNotFoundException") return undefined;
    throw translateDynamoError(err, { tableName });
  }
}

function checkIndexes(table: TableDescription, tableName: string): void {
  const present = new Set((table.GlobalSecondaryIndexes ?? []).map((i) => i.IndexName));
  const missing = INDEXES.filter((i) => !present.has(i));
  if (missing.length > 0) {
    throw new BulletinError(
      "storage.table-mismatch",
      `DynamoDB table ${tableName} exists but lacks the index(es) ${missing.join(", ")}; it was not created by this service`,
    );
  }
}

function isActive(table: TableDescription): boolean {
  return (
    table.TableStatus === "ACTIVE" && (table.GlobalSecondaryIndexes ?? []).every((i) => i.IndexStatus === "ACTIVE")
  );
}

/**
 * Deletes the table if it exists (`npm start -- --fresh` on a DynamoDB Local that outlives the
 * data directory); a missing table is no error.
 *
 * @example
 * await dropTable(client, "bulletin");
 */
export async function dropTable(client: DynamoDBClient | DynamoDBDocumentClient, tableName: string): Promise<void> {
  try {
    await (client as DynamoDBClient).send(new DeleteTableCommand({ TableName: tableName }));
  } catch (err) {
    if ((err as { name?: unknown }).name !== "ResourceNotFoundException")
      throw translateDynamoError(err, { tableName });
  }
}
