import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createDocumentClient, DynamoDeliveryLedger, ensureTable, reconcileSend } from "../../packages/dynamo/src/index.ts";
import { awsClientConfig, startLocalStack, type LocalStack } from "../../packages/local-stack/src/index.ts";
import { readEvidence, TABLE } from "./harness.ts";

// dynalite writes an item's index entries and then the item, separately: `npm start` killed in
// between (kill-sender.slow.test.ts found it) leaves a delivery missing from its status partition
// of gsi1, where the local recovery (markStale, enqueueQueued) looks for it. Here the same
// consequence is made by hand, by removing the index key of a delivery; reconcileSend, which the
// local recovery runs first, must put such deliveries back into their partitions.
let stack: LocalStack;
beforeAll(async () => {
  stack = await startLocalStack({ dataDir: mkdtempSync(join(tmpdir(), "torn-index-")), dynamoUrl: process.env.LOCAL_DYNAMODB_URL });
});
afterAll(async () => {
  await stack?.stop();
});

it("reconcileSend puts deliveries missing from their status index back, so recovery finds the queued and the cut-off ones", async () => {
  const client = createDocumentClient(awsClientConfig(stack, "dynamodb"));
  await ensureTable(client, TABLE, { pollMs: 20 });
  const ledger = new DynamoDeliveryLedger({ client, tableName: TABLE });
  const sendId = "torn";
  const at = "2026-01-01T00:00:00.000Z";
  const emails = ["a@example.org", "b@example.org", "c@example.org", "d@example.org"];
  await ledger.add(emails.map((email) => ({ sendId, email, tier: "copy" as const, status: "queued" as const, attempts: 0, createdAt: at, updatedAt: at })));
  await ledger.claimMany(sendId, ["a@example.org", "b@example.org"], at);
  await ledger.settle(sendId, "a@example.org", "sent", { sesMessageId: "m-a" }, at);
  // b is cut off in "sending", c still queued: both drop out of gsi1. And d is queued in the table
  // but listed under "sending" in gsi1 (its index was written, the item not).
  for (const email of ["b@example.org", "c@example.org"]) {
    await client.send(new UpdateCommand({ TableName: TABLE, Key: { pk: `SEND#${sendId}`, sk: `DLV#${email}` }, UpdateExpression: "REMOVE gsi1pk" }));
  }
  await client.send(new UpdateCommand({ TableName: TABLE, Key: { pk: `SEND#${sendId}`, sk: "DLV#d@example.org" }, UpdateExpression: "SET gsi1pk = :p", ExpressionAttributeValues: { ":p": `DELIVERIES#sending#${sendId}` } }));
  expect((await ledger.list(sendId, { status: "queued" })).items).toEqual([]);

  await reconcileSend({ client, tableName: TABLE }, sendId);
  expect((await ledger.list(sendId, { status: "queued" })).items.map((d) => d.email).sort()).toEqual(["c@example.org", "d@example.org"]);
  expect(await ledger.markStale(sendId, "2026-01-02T00:00:00.000Z", at)).toBe(1);
  const evidence = await readEvidence(client, sendId, []);
  expect(Object.fromEntries(evidence.deliveries.map((d) => [d.email, d.status]))).toEqual({ "a@example.org": "sent", "b@example.org": "unknown", "c@example.org": "queued", "d@example.org": "queued" });
  expect(evidence.counters).toEqual(evidence.recount);
  client.destroy();
});
