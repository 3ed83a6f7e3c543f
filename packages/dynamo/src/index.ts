export { createDocumentClient } from "./document-client.ts";
export { ensureTable, tableDefinition, type EnsureTableOptions } from "./table.ts";
export { callDynamo, translateDynamoError, type DynamoCallContext } from "./errors.ts";
export type { DynamoRepoOptions } from "./repo-options.ts";
export { DynamoIssueRepo, MAX_ISSUE_JSON_BYTES } from "./issue-repo.ts";
export { DynamoRecipientRepo } from "./recipient-repo.ts";
export { DynamoTokenRepo } from "./token-repo.ts";
export { DEFAULT_PAGE_LIMIT, MAX_PAGE_LIMIT } from "./pagination.ts";
