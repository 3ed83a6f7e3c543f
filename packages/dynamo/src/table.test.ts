import {
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
} from "@aws-sdk/client-dynamodb";
import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { BulletinError } from "@bulletin/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestTable, type TestTable } from "./test-table.test-support.ts";
import { DynamoRecipientRepo } from "./recipient-repo.ts";
import { ensureTable, tableDefinition } from "./table.ts";

let t: TestTable;
beforeAll(async () => {
  t = await startTestTable();
});
afterAll(() => t?.close());

describe("tableDefinition", () => {
  it("is on-demand with pk/sk and two GSIs projecting ALL", () => {
    const def = tableDefinition("bulletin");
    expect(def.BillingMode).toBe("PAY_PER_REQUEST");
    expect(def.KeySchema).toEqual([
      { AttributeName: "pk", KeyType: "HASH" },
      { AttributeName: "sk", KeyType: "RANGE" },
    ]);
    expect(def.GlobalSecondaryIndexes?.map((i) => [i.IndexName, i.Projection?.ProjectionType])).toEqual([
      ["gsi1", "ALL"],
      ["gsi2", "ALL"],
    ]);
  });
});

describe("ensureTable", () => {
  it("created an ACTIVE table, and is idempotent (also when raced)", async () => {
    const ddb = t.client as unknown as DynamoDBClient;
    await Promise.all([
      ensureTable(t.client, t.tableName),
      ensureTable(t.client, "raced"),
      ensureTable(t.client, "raced"),
    ]);
    for (const name of [t.tableName, "raced"]) {
      const { Table } = await ddb.send(new DescribeTableCommand({ TableName: name }));
      expect(Table?.TableStatus).toBe("ACTIVE");
      expect(Table?.GlobalSecondaryIndexes?.map((i) => i.IndexStatus)).toEqual(["ACTIVE", "ACTIVE"]);
    }
  });

  it("refuses a same-named table without the indexes", async () => {
    const ddb = t.client as unknown as DynamoDBClient;
    const def = tableDefinition("foreign");
    await ddb.send(
      new CreateTableCommand({
        TableName: "foreign",
        BillingMode: "PAY_PER_REQUEST",
        KeySchema: def.KeySchema,
        AttributeDefinitions: def.AttributeDefinitions?.filter(
          (a) => a.AttributeName === "pk" || a.AttributeName === "sk",
        ),
      }),
    );
    await expect(ensureTable(t.client, "foreign", { pollMs: 10 })).rejects.toMatchObject({
      code: "storage.table-mismatch",
    });
  });

  it("makes a repository on a missing table fail with a clear BulletinError", async () => {
    const ddb = t.client as unknown as DynamoDBClient;
    await ensureTable(t.client, "doomed", { pollMs: 10 });
    await ddb.send(new DeleteTableCommand({ TableName: "doomed" }));
    const repo = new DynamoRecipientRepo({ client: t.client, tableName: "doomed" });
    const err = await repo.get("a@b.cn").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BulletinError);
    expect((err as BulletinError).message).toContain("table doomed does not exist");
    // The document client itself still works: only the table is gone.
    await expect(
      t.client.send(new GetCommand({ TableName: t.tableName, Key: { pk: "x", sk: "y" } })),
    ).resolves.toBeDefined();
  });
});
