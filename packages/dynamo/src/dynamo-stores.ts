import { deliveryCopyLedger } from "@bulletin/core";
import { DynamoDeliveryLedger } from "./delivery-ledger.ts";
import { DynamoIssueRepo } from "./issue-repo.ts";
import { DynamoRecipientRepo } from "./recipient-repo.ts";
import type { DynamoRepoOptions } from "./repo-options.ts";
import { DynamoSendRepo } from "./send-repo.ts";
import { DynamoSettingsRepo } from "./settings-repo.ts";
import { DynamoSuppressionRepo } from "./suppression-repo.ts";
import { DynamoTokenRepo } from "./token-repo.ts";

/**
 * Every repository on one table, built the same way by each deployable (the local service and the
 * Lambda handlers), so the two can never wire the storage differently.
 *
 * @example
 * const stores = dynamoStores({ client: createDocumentClient({ region }), tableName: "bulletin" });
 * await stores.issues.list();
 */
export function dynamoStores(repo: DynamoRepoOptions) {
  const sends = new DynamoSendRepo(repo);
  const deliveries = new DynamoDeliveryLedger(repo);
  return {
    issues: new DynamoIssueRepo(repo),
    recipients: new DynamoRecipientRepo(repo),
    tokens: new DynamoTokenRepo(repo),
    sends,
    deliveries,
    // Who got an issue is read from the deliveries of its sends (core's deliveryCopyLedger).
    copies: deliveryCopyLedger({ sends, deliveries }),
    suppressions: new DynamoSuppressionRepo(repo),
    settings: new DynamoSettingsRepo(repo),
  };
}

export type DynamoStores = ReturnType<typeof dynamoStores>;
