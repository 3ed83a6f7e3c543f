// The port contracts (one suite per port), run against the in-memory fakes here and against the
// DynamoDB adapters in packages/dynamo/src/contracts.test.ts.
export { deliveryLedgerContract, delivery, listAll, recount } from "./delivery-ledger.contract.ts";
export { copyLedgerContract } from "./copy-ledger.contract.ts";
export { issueRepoContract } from "./issue-repo.contract.ts";
export { recipientRepoContract } from "./recipient-repo.contract.ts";
export { sendRepoContract } from "./send-repo.contract.ts";
export { suppressionRepoContract } from "./suppression-repo.contract.ts";
export { tokenRepoContract } from "./token-repo.contract.ts";
