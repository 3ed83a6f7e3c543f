import { deliveryCopyLedger } from "../send/copy-ledger.ts";
import {
  copyLedgerContract,
  deliveryLedgerContract,
  issueRepoContract,
  recipientRepoContract,
  sendRepoContract,
  suppressionRepoContract,
  tokenRepoContract,
} from "./contracts/index.test-support.ts";
import { InMemoryDeliveryLedger } from "./in-memory-delivery-ledger.ts";
import { InMemoryIssueRepo } from "./in-memory-issue-repo.ts";
import { InMemoryRecipientRepo } from "./in-memory-recipient-repo.ts";
import { InMemorySendRepo } from "./in-memory-send-repo.ts";
import { InMemorySuppressionRepo } from "./in-memory-suppression-repo.ts";
import { InMemoryTokenRepo } from "./in-memory-token-repo.ts";

// The in-memory fakes keep the ports' contracts, as the DynamoDB adapters do (packages/dynamo/src/contracts.test.ts).
deliveryLedgerContract("in memory", () => new InMemoryDeliveryLedger());
copyLedgerContract("in memory", () => {
  const sends = new InMemorySendRepo();
  const deliveries = new InMemoryDeliveryLedger();
  return { sends, deliveries, copies: deliveryCopyLedger({ sends, deliveries }) };
});
issueRepoContract("in memory", async () => new InMemoryIssueRepo());
recipientRepoContract("in memory", async () => new InMemoryRecipientRepo());
sendRepoContract("in memory", async () => new InMemorySendRepo());
suppressionRepoContract("in memory", async () => new InMemorySuppressionRepo());
tokenRepoContract("in memory", async () => new InMemoryTokenRepo());
