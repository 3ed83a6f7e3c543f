import { deliveryCopyLedger } from "@bulletin/core";
import {
  copyLedgerContract,
  deliveryLedgerContract,
  issueRepoContract,
  recipientRepoContract,
  sendRepoContract,
  suppressionRepoContract,
  tokenRepoContract,
} from "@bulletin/core/testing/contracts";
import { afterAll, beforeAll } from "vitest";
import { DynamoDeliveryLedger } from "./delivery-ledger.ts";
import { DynamoIssueRepo } from "./issue-repo.ts";
import { DynamoRecipientRepo } from "./recipient-repo.ts";
import { DynamoSendRepo } from "./send-repo.ts";
import { DynamoSuppressionRepo } from "./suppression-repo.ts";
import { startTestTable, type TestTable } from "./test-table.test-support.ts";
import { DynamoTokenRepo } from "./token-repo.ts";

// The DynamoDB adapters keep the ports' contracts, as the in-memory fakes do
// (packages/core/src/testing/contracts.test.ts). A fresh table per test where the contract wants
// an empty repository; the ledger's tests use sends of their own on one table.
const tables: TestTable[] = [];
const fresh = async () => {
  const t = await startTestTable();
  tables.push(t);
  return { client: t.client, tableName: t.tableName };
};
let shared: TestTable;
beforeAll(async () => {
  shared = await startTestTable();
});
afterAll(async () => {
  await Promise.all([shared, ...tables].map((t) => t?.close()));
});
const onShared = () => ({ client: shared.client, tableName: shared.tableName });

deliveryLedgerContract("DynamoDB", () => new DynamoDeliveryLedger(onShared()));
copyLedgerContract("DynamoDB", () => {
  const sends = new DynamoSendRepo(onShared());
  const deliveries = new DynamoDeliveryLedger(onShared());
  return { sends, deliveries, copies: deliveryCopyLedger({ sends, deliveries }) };
});
issueRepoContract("DynamoDB", async () => new DynamoIssueRepo(await fresh()));
recipientRepoContract("DynamoDB", async () => new DynamoRecipientRepo(await fresh()));
sendRepoContract("DynamoDB", async () => new DynamoSendRepo(await fresh()));
suppressionRepoContract("DynamoDB", async () => new DynamoSuppressionRepo(await fresh()));
tokenRepoContract("DynamoDB", async () => new DynamoTokenRepo(await fresh()));
