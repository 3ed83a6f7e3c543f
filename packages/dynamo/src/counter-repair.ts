import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { TIERS, type Tier } from "@bulletin/core";
import { journalKey, repairJournal } from "./add-journal.ts";
import { CounterBook, type CounterMarker, type OwnedMarker } from "./counter-book.ts";
import { mapLimit } from "./concurrency.ts";
import type { TransitionContext } from "./delivery-transition.ts";
import { callDynamo } from "./errors.ts";
import { counterKeys, deliveryKeys } from "./keys.ts";
import { queryAll } from "./query-all.ts";

/** What repairCounters did. */
export interface CounterRepairReport {
  /** Markers and add journals whose owner had died (lease run out), now counted and cleared. */
  finished: number;
  /** Markers still within their owner's lease: presumably being finished right now, left alone. */
  inFlight: number;
  /** Tids forgotten from `applied` (left there by a crash between steps 3 and 4). */
  forgotten: number;
}

export type CounterRepairContext = TransitionContext;

/**
 * Finishes what crashed processes left of the counter protocol for one send: takes over every
 * delivery marker and add journal older than the lease (found through the sparse gsi2
 * `PENDING#<sendId>`, never a scan of the deliveries) and runs steps 2–4 for it; then forgets tids
 * in `applied` that nothing owes any more. Safe to run at any time and concurrently: a takeover is
 * a conditional write, so only one runner gets each marker or journal.
 *
 * @example
 * const report = await repairSendCounters(ctx, sendId); // { finished: 1, inFlight: 0, forgotten: 0 }
 */
export async function repairSendCounters(ctx: CounterRepairContext, sendId: string): Promise<CounterRepairReport> {
  const partition = deliveryKeys.pendingPartition(sendId);
  const pending = await queryAll(ctx.client, ctx.tableName, {
    IndexName: "gsi2",
    KeyConditionExpression: "gsi2pk = :p",
    ExpressionAttributeValues: { ":p": partition },
  });
  const staleBefore = ctx.clock() - ctx.leaseMs;
  let inFlight = 0;
  const journals: string[] = [];
  const markers: { email: string; tid: string }[] = [];
  for (const item of pending) {
    // Add journals carry `at` themselves; deliveries in their marker. The index lags a little, so
    // a delivery may show here with its marker already gone.
    const at = item.type === "add-journal" ? (item.at as number) : (item.counterPending as CounterMarker | undefined)?.at;
    if (at === undefined) continue;
    if (at > staleBefore) inFlight++;
    else if (item.type === "add-journal") journals.push(String(item.tid));
    else markers.push({ email: String(item.email), tid: (item.counterPending as CounterMarker).tid });
  }
  const repaired = await mapLimit(journals, 4, (tid) => repairJournal(ctx, sendId, tid));
  const taken = await mapLimit(markers, 16, (m) => ctx.book.takeOver(sendId, m.email, m.tid));
  const owned = taken.filter((o): o is OwnedMarker => o !== null);
  await ctx.book.finish(sendId, owned);
  const forgotten = await forgetLeftovers(ctx, sendId);
  return { finished: owned.length + repaired.filter(Boolean).length, inFlight, forgotten };
}

/**
 * A tid may be forgotten once its delivery no longer carries it as marker (or its add journal is
 * gone): nobody will present it again, because a marker or journal is only finished by its lease
 * holder, and new ones get new tids. The counter is read before the deliveries, so a tid seen in
 * `applied` had passed step 1 already.
 */
async function forgetLeftovers(ctx: CounterRepairContext, sendId: string): Promise<number> {
  const counters = await queryAll(ctx.client, ctx.tableName, {
    KeyConditionExpression: "pk = :pk AND begins_with(sk, :prefix)",
    ExpressionAttributeValues: { ":pk": counterKeys.item(sendId, "").pk, ":prefix": counterKeys.prefix },
    ConsistentRead: true,
  });
  let forgotten = 0;
  for (const counter of counters) {
    const tier = counter.tier as Tier;
    if (!TIERS.includes(tier)) continue;
    const applied = [...((counter.applied as Set<string> | undefined) ?? [])];
    const owed = await mapLimit(applied, 16, async (tid) => {
      const origin = CounterBook.originOf(tid);
      const res = await callDynamo({ tableName: ctx.tableName }, () =>
        ctx.client.send(
          new GetCommand({
            TableName: ctx.tableName,
            Key: "journal" in origin ? journalKey(sendId, origin.journal) : deliveryKeys.item(sendId, origin.email),
            ConsistentRead: true,
          }),
        ),
      );
      // Still owed while the journal exists, or while the delivery carries this very marker.
      return "journal" in origin ? res.Item !== undefined : (res.Item?.counterPending as CounterMarker | undefined)?.tid === tid;
    });
    const done = applied.filter((_, i) => !owed[i]);
    await ctx.book.forget(sendId, tier, done);
    forgotten += done.length;
  }
  return forgotten;
}
