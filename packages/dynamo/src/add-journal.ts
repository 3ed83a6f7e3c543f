import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { ConflictError, type Delivery, type DeliveryStatus, type Tier } from "@bulletin/core";
import { batchGetAll } from "./batch-get.ts";
import { mapLimit } from "./concurrency.ts";
import { CounterBook } from "./counter-book.ts";
import type { TransitionContext } from "./delivery-transition.ts";
import { callDynamo } from "./errors.ts";
import { deliveryKeys } from "./keys.ts";

/** One delivery a chunk means to create, as its journal records it. */
export interface JournalEntry {
  email: string;
  tier: Tier;
  status: DeliveryStatus;
}

/**
 * Creates one chunk of deliveries (at most 100, one send, no repeated address) and counts exactly
 * the ones it created. A per-delivery marker would cost a second write per delivery (to clear it);
 * a journal costs two writes per chunk:
 *
 * 1. Put the journal `ADD#<uuid>` (the entries, and `at` for its lease), then Put each delivery with
 *    `attribute_not_exists` and `addTid` = the journal's tid. Existing deliveries are left alone.
 * 2. Per tier: ADD the created ones' statuses, under the journal's tid (`NOT contains(applied, tid)`).
 * 3. Delete the journal, on condition that it is still ours (`at` unchanged).
 * 4. Forget the tid.
 *
 * After a crash, repairJournal reads the entries back and counts those whose `addTid` is this
 * journal's: exactly the ones this chunk created, whatever happened to them since.
 *
 * @example
 * await addChunk(ctx, "s1", deliveries.slice(0, 100));
 */
export async function addChunk(ctx: TransitionContext, sendId: string, deliveries: readonly Delivery[]): Promise<void> {
  const tid = CounterBook.journalTid();
  const at = ctx.clock();
  const entries: JournalEntry[] = deliveries.map((d) => ({ email: d.email, tier: d.tier, status: d.status }));
  await callDynamo({ tableName: ctx.tableName }, () =>
    ctx.client.send(
      new PutCommand({
        TableName: ctx.tableName,
        Item: { ...deliveryKeys.addJournal(sendId, tid), type: "add-journal", sendId, tid, at, entries },
      }),
    ),
  );
  const created = await mapLimit(deliveries, 25, (d) => putDelivery(ctx, d, tid));
  ctx.book.step(1);
  await finishJournal(ctx, sendId, tid, at, entries.filter((_, i) => created[i]));
}

/**
 * Takes over a journal whose writer's lease ran out, and finishes it. False when it is not stale
 * (or no longer there): then it is somebody else's to finish.
 *
 * @example
 * const finished = await repairJournal(ctx, "s1", String(pendingItem.tid));
 */
export async function repairJournal(ctx: TransitionContext, sendId: string, tid: string): Promise<boolean> {
  const now = ctx.clock();
  let item: Record<string, unknown>;
  try {
    const res = await callDynamo({ tableName: ctx.tableName }, () =>
      ctx.client.send(
        new UpdateCommand({
          TableName: ctx.tableName,
          Key: journalKey(sendId, tid),
          UpdateExpression: "SET #at = :now",
          ConditionExpression: "attribute_exists(pk) AND #at <= :staleBefore",
          ExpressionAttributeNames: { "#at": "at" },
          ExpressionAttributeValues: { ":now": now, ":staleBefore": now - ctx.leaseMs },
          ReturnValues: "ALL_NEW",
        }),
      ),
    );
    item = res.Attributes ?? {};
  } catch (err) {
    if (err instanceof ConflictError) return false;
    throw err;
  }
  const entries = (item.entries ?? []) as JournalEntry[];
  const stored = await batchGetAll({
    client: ctx.client,
    tableName: ctx.tableName,
    keys: entries.map((e) => deliveryKeys.item(sendId, e.email)),
    consistentRead: true,
  });
  const ours = new Set(stored.filter((d) => d.addTid === tid).map((d) => String(d.email)));
  const created = entries.filter((e) => ours.delete(e.email)); // once per address
  await finishJournal(ctx, sendId, tid, now, created);
  return true;
}

/** The table key of a journal (without its index keys). */
export function journalKey(sendId: string, tid: string) {
  const { pk, sk } = deliveryKeys.addJournal(sendId, tid);
  return { pk, sk };
}

/** Steps 2–4 for the deliveries the chunk created. */
async function finishJournal(ctx: TransitionContext, sendId: string, tid: string, at: number, created: JournalEntry[]) {
  if (!ctx.book.stillOwned(at)) return; // too late to be sure it is still ours: the sweeper's now
  const byTier = new Map<Tier, Map<DeliveryStatus, number>>();
  for (const e of created) {
    const delta = byTier.get(e.tier) ?? new Map<DeliveryStatus, number>();
    delta.set(e.status, (delta.get(e.status) ?? 0) + 1);
    byTier.set(e.tier, delta);
  }
  // false = already counted before a crash; either way the tier now holds this chunk's counts.
  await Promise.all([...byTier].map(([tier, delta]) => ctx.book.addCounts(sendId, tier, [tid], delta)));
  ctx.book.step(2);
  let deleted = true;
  try {
    await callDynamo({ tableName: ctx.tableName }, () =>
      ctx.client.send(
        new DeleteCommand({
          TableName: ctx.tableName,
          Key: journalKey(sendId, tid),
          ConditionExpression: "#at = :at",
          ExpressionAttributeNames: { "#at": "at" },
          ExpressionAttributeValues: { ":at": at },
        }),
      ),
    );
  } catch (err) {
    if (!(err instanceof ConflictError)) throw err;
    deleted = false; // taken over: the new holder forgets the tid once it has counted
  }
  ctx.book.step(3);
  if (deleted) await Promise.all([...byTier.keys()].map((tier) => ctx.book.forget(sendId, tier, [tid])));
}

/** Step 1 for one delivery; false when it existed already. */
async function putDelivery(ctx: TransitionContext, d: Delivery, tid: string): Promise<boolean> {
  const item = {
    ...deliveryKeys.item(d.sendId, d.email),
    ...deliveryKeys.byStatus(d.sendId, d.status, d.tier, d.email),
    type: "delivery",
    sendId: d.sendId,
    email: d.email,
    tier: d.tier,
    status: d.status,
    reason: d.reason,
    sesMessageId: d.sesMessageId,
    attempts: d.attempts,
    lastError: d.lastError,
    createdAt: d.createdAt,
    updatedAt: d.updatedAt,
    // Which journal created it: how a repair tells "created by this chunk" from "was already there".
    addTid: tid,
  };
  try {
    await callDynamo({ tableName: ctx.tableName }, () =>
      ctx.client.send(
        new PutCommand({ TableName: ctx.tableName, Item: item, ConditionExpression: "attribute_not_exists(pk)" }),
      ),
    );
    return true;
  } catch (err) {
    if (!(err instanceof ConflictError)) throw err;
  }
  // The condition failed: the delivery existed, or this very Put created it, its answer was lost
  // and the SDK's retry found it there. Only the second is this chunk's to count. (Found by the
  // fault tests: before, such a delivery was never counted.)
  const res = await callDynamo({ tableName: ctx.tableName }, () =>
    ctx.client.send(new GetCommand({ TableName: ctx.tableName, Key: deliveryKeys.item(d.sendId, d.email), ConsistentRead: true })),
  );
  return res.Item?.addTid === tid;
}
