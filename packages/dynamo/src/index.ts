export { createDocumentClient } from "./document-client.ts";
export { ensureTable, tableDefinition, type EnsureTableOptions } from "./table.ts";
export { callDynamo, translateDynamoError, type DynamoCallContext } from "./errors.ts";
export type { DynamoRepoOptions } from "./repo-options.ts";
export { DynamoIssueRepo, MAX_ISSUE_JSON_BYTES } from "./issue-repo.ts";
export { DynamoRecipientRepo } from "./recipient-repo.ts";
export { DynamoTokenRepo } from "./token-repo.ts";
export { DynamoSettingsRepo } from "./settings-repo.ts";
export { DEFAULT_PAGE_LIMIT, MAX_PAGE_LIMIT } from "./pagination.ts";
export { DynamoSendRepo } from "./send-repo.ts";
export {
  DynamoDeliveryLedger,
  DEFAULT_COUNTER_LEASE_MS,
  STALE_REASON,
  type DeliveryLedgerOptions,
} from "./delivery-ledger.ts";
export type { CounterRepairReport } from "./counter-repair.ts";
export type { CounterStepHook } from "./counter-book.ts";
export { DynamoCopyLedger } from "./copy-ledger.ts";
export { DynamoSuppressionRepo } from "./suppression-repo.ts";
export { applyDeliveryEvent, engageDelivery, readEngagement } from "./delivery-events.ts";
export { reconcileSend } from "./reconcile-send.ts";
export { dynamoStores, type DynamoStores } from "./dynamo-stores.ts";
