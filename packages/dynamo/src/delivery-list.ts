import type { DynamoDBDocumentClient, QueryCommandInput } from "@aws-sdk/lib-dynamodb";
import {
  DELIVERY_STATUSES,
  InvalidInputError,
  type Delivery,
  type DeliveryStatus,
  type Page,
  type PageQuery,
  type Tier,
} from "@bulletin/core";
import { deliveryKeys } from "./keys.ts";
import { queryPage } from "./pagination.ts";
import { isTier, toDelivery } from "./send-item.ts";

/**
 * One page of a send's deliveries. With a status: a Query on gsi1 `DELIVERIES#<status>#<sendId>`,
 * a tier narrowing the sort key by prefix (order: tier, then address). Without: a Query on the
 * send's partition, `begins_with(sk, "DLV#")` (order: address), a tier then being a filter. Never
 * a Scan.
 *
 * @example
 * const page = await listDeliveries({ client, tableName }, sendId, { status: "failed", tier: "report", limit: 20 });
 */
export async function listDeliveries(
  db: { client: DynamoDBDocumentClient; tableName: string },
  sendId: string,
  query: PageQuery & { status?: DeliveryStatus; tier?: Tier } = {},
): Promise<Page<Delivery>> {
  if (query.status !== undefined && !DELIVERY_STATUSES.includes(query.status)) {
    throw new InvalidInputError("delivery.query", `unknown delivery status ${String(query.status)}`);
  }
  if (query.tier !== undefined && !isTier(query.tier)) {
    throw new InvalidInputError("delivery.query", `unknown tier ${String(query.tier)}`);
  }
  const common = {
    client: db.client,
    tableName: db.tableName,
    limit: query.limit,
    cursor: query.cursor,
    map: toDelivery,
  };
  if (query.status !== undefined) {
    const partition = deliveryKeys.statusPartition(sendId, query.status);
    const values: Record<string, unknown> = { ":p": partition };
    let key = "gsi1pk = :p";
    if (query.tier !== undefined) {
      key += " AND begins_with(gsi1sk, :tier)";
      values[":tier"] = `${query.tier}#`;
    }
    return queryPage({
      ...common,
      target: "gsi1",
      partition: ["gsi1pk", partition],
      input: { KeyConditionExpression: key, ExpressionAttributeValues: values },
    });
  }
  const pk = deliveryKeys.item(sendId, "").pk;
  const input: Omit<QueryCommandInput, "TableName" | "IndexName" | "Limit" | "ExclusiveStartKey"> = {
    KeyConditionExpression: "pk = :pk AND begins_with(sk, :prefix)",
    ExpressionAttributeValues: { ":pk": pk, ":prefix": deliveryKeys.prefix },
  };
  if (query.tier !== undefined) {
    input.FilterExpression = "#tier = :tier";
    input.ExpressionAttributeNames = { "#tier": "tier" };
    input.ExpressionAttributeValues = { ...input.ExpressionAttributeValues, ":tier": query.tier };
  }
  return queryPage({ ...common, target: "table", partition: ["pk", pk], input });
}
