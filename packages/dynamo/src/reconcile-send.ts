import { DeleteCommand, type DynamoDBDocumentClient, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { DELIVERY_STATUSES, type DeliveryStatus, emptyTotals, TIERS, type Tier, type Totals } from "@bulletin/core";
import { mapLimit } from "./concurrency.ts";
import { callDynamo } from "./errors.ts";
import { counterKeys, deliveryKeys } from "./keys.ts";
import { queryAll } from "./query-all.ts";

/**
 * Rebuilds a send's counters from its delivery records and clears every unfinished counter marker
 * and add journal. For recovery when NO other process can be writing to the send — locally, at the
 * start of the only process, after a crash — where waiting out the markers' lease would be pointless.
 * Never call it while senders run: it overwrites the counters.
 *
 * @example
 * await reconcileSend({ client, tableName }, sendId); // counters now equal the records
 */
export async function reconcileSend(opts: { client: DynamoDBDocumentClient; tableName: string }, sendId: string): Promise<Record<Tier, Totals>> {
  const { client, tableName } = opts;
  const pk = counterKeys.item(sendId, "").pk;
  const items = await queryAll(client, tableName, { KeyConditionExpression: "pk = :pk", ExpressionAttributeValues: { ":pk": pk }, ConsistentRead: true });
  const byTier = Object.fromEntries(TIERS.map((t) => [t, emptyTotals()])) as Record<Tier, Totals>;
  const deliveries = items.filter((i) => String(i.sk).startsWith(deliveryKeys.prefix));
  for (const d of deliveries) {
    const tier = d.tier as Tier;
    const status = d.status as DeliveryStatus;
    if (byTier[tier] && (DELIVERY_STATUSES as readonly string[]).includes(status)) byTier[tier][status]++;
  }
  // dynalite (the local DynamoDB) writes an item's index entries and the item itself one after the
  // other: a process killed in between can leave a delivery missing from the gsi1 partition of its
  // status, where recovery (markStale, enqueueQueued) never finds it, and the send never finishes.
  // Those are rewritten as well, which writes their index entries again. (Found by the kill tests.
  // An entry left in another status's partition stays; a transition from there fails its condition.)
  const indexed = new Set<string>();
  for (const status of DELIVERY_STATUSES) {
    const partition = await queryAll(client, tableName, {
      IndexName: "gsi1",
      KeyConditionExpression: "gsi1pk = :p",
      ExpressionAttributeValues: { ":p": deliveryKeys.statusPartition(sendId, status) },
      ProjectionExpression: "sk",
    });
    for (const i of partition) indexed.add(`${status} ${String(i.sk)}`);
  }
  // Markers and journals of the dead writer: the recount above already holds what they were about.
  await mapLimit(
    deliveries.filter((d) => d.counterPending !== undefined || d.gsi2pk !== undefined || !indexed.has(`${String(d.status)} ${String(d.sk)}`)),
    8,
    (d) =>
      callDynamo({ tableName }, () =>
        client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: { pk: d.pk, sk: d.sk },
            UpdateExpression: "SET gsi1pk = :gsi1pk REMOVE counterPending, gsi2pk, gsi2sk, addTid",
            ExpressionAttributeValues: { ":gsi1pk": deliveryKeys.statusPartition(sendId, String(d.status)) },
          }),
        ),
      ),
  );
  await mapLimit(
    items.filter((i) => String(i.sk).startsWith("ADD#")),
    8,
    (j) => callDynamo({ tableName }, () => client.send(new DeleteCommand({ TableName: tableName, Key: { pk: j.pk, sk: j.sk } }))),
  );
  // SET each status count (engagement counts on the same item are left as they are) and forget the
  // applied transition ids: no transition is in flight any more.
  const names = Object.fromEntries(DELIVERY_STATUSES.map((s) => [`#${s}`, s]));
  for (const tier of TIERS) {
    const values = Object.fromEntries(DELIVERY_STATUSES.map((s) => [`:${s}`, byTier[tier][s]]));
    await callDynamo({ tableName }, () =>
      client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: counterKeys.item(sendId, tier),
          UpdateExpression: `SET #type = :type, #tier = :tier, ${DELIVERY_STATUSES.map((s) => `#${s} = :${s}`).join(", ")} REMOVE applied`,
          ExpressionAttributeNames: { ...names, "#type": "type", "#tier": "tier" },
          ExpressionAttributeValues: { ...values, ":type": "counter", ":tier": tier },
        }),
      ),
    );
  }
  return byTier;
}
