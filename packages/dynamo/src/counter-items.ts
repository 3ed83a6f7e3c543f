import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { TIERS } from "@bulletin/core";
import { batchGetAll } from "./batch-get.ts";
import { counterKeys } from "./keys.ts";

/**
 * The three counter items of a send (one per tier), read by key — a BatchGetItem of known keys, not
 * a Query of the partition, which also holds every delivery of the send: a key read stays as quick
 * after 100,000 deliveries as at the first. Strongly consistent.
 *
 * @example
 * const items = await readCounterItems(client, "bulletin", sendId); // up to 3 items
 */
export async function readCounterItems(
  client: DynamoDBDocumentClient,
  tableName: string,
  sendId: string,
): Promise<Record<string, unknown>[]> {
  return batchGetAll({ client, tableName, keys: TIERS.map((t) => counterKeys.item(sendId, t)), consistentRead: true });
}
