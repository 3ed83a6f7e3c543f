import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import {
  ConflictError,
  NotFoundError,
  RetryableError,
  type Delivery,
  type DeliveryStatus,
  type Tier,
} from "@bulletin/core";
import type { CounterBook, CounterMarker, OwnedMarker } from "./counter-book.ts";
import { mapLimit } from "./concurrency.ts";
import { callDynamo } from "./errors.ts";
import { deliveryKeys } from "./keys.ts";
import { toDelivery } from "./send-item.ts";

export interface TransitionContext {
  client: DynamoDBDocumentClient;
  tableName: string;
  book: CounterBook;
  leaseMs: number;
  clock: () => number;
}

export interface TransitionSpec {
  sendId: string;
  email: string;
  from: DeliveryStatus;
  to: DeliveryStatus;
  /** Attributes to SET along with the status (undefined values are skipped). */
  set?: Record<string, unknown>;
  /** Attributes to REMOVE. */
  remove?: string[];
  /** Attributes to increment by one (attempts on claim). */
  increment?: string[];
  /** An extra condition, and the same test on a read item, to tell a failed guard from a race. */
  guard?: { expression: string; values: Record<string, unknown>; holds: (item: Record<string, unknown>) => boolean };
}

// Waits while an earlier transition of the same delivery is still being counted by a live process:
// that takes a few milliseconds, so about a third of a second is plenty before giving up.
const BLOCKED_WAITS_MS = [5, 10, 20, 40, 80, 160];

/**
 * Moves one delivery `from → to` and its tier's counter exactly once (docs/data-model.md, "counters").
 * Step 1 is the conditional UpdateItem below: the status, the gsi1 status key and the counter marker
 * change together. Steps 2–4 follow at once. A transient failure after step 1 does not fail the
 * call: the transition happened, and repairCounters settles what the counter is still owed.
 *
 * @example
 * const d = await transitionDelivery(ctx, { sendId, email, from: "queued", to: "sending", increment: ["attempts"] });
 */
export async function transitionDelivery(ctx: TransitionContext, spec: TransitionSpec): Promise<Delivery> {
  const { item, marker } = await markedTransition(ctx, spec);
  await finishCounting(ctx, spec.sendId, [{ email: spec.email, tier: item.tier as Tier, marker }]);
  return toDelivery(item);
}

/** Step 1, retried past a previous transition's marker: the delivery moved, its counter still owed. */
async function markedTransition(ctx: TransitionContext, spec: TransitionSpec): Promise<{ item: Record<string, unknown>; marker: CounterMarker }> {
  for (let attempt = 0; ; attempt++) {
    const marker = ctx.book.newMarker(spec.email, spec.from, spec.to);
    try {
      const item = await stepOne(ctx, spec, marker);
      ctx.book.step(1);
      return { item, marker };
    } catch (err) {
      if (!(err instanceof ConflictError)) throw err;
      const landed = await unblock(ctx, spec, attempt, err, marker);
      if (landed) {
        ctx.book.step(1);
        return { item: landed, marker };
      }
    }
  }
}

/** Steps 2–4; a transient failure there does not fail the caller (repairCounters settles the rest). */
async function finishCounting(ctx: TransitionContext, sendId: string, owned: OwnedMarker[]): Promise<void> {
  try {
    await ctx.book.finish(sendId, owned);
  } catch (err) {
    if (!(err instanceof RetryableError)) throw err;
  }
}

// Step 1 writes in flight at once for one transitionMany: enough to hide round trips.
const MANY_IN_FLIGHT = 16;

/**
 * transitionDelivery for several deliveries of one send: each step 1 as before (in parallel), then
 * one shared steps 2–4, so a batch of 50 pays one counter update per tier and 25 deliveries instead
 * of one each. Per delivery the result is the moved Delivery, or the error its step 1 ended with
 * (ConflictError: not in `from`; NotFoundError: no such delivery); other errors are thrown, after the
 * counters of the deliveries already moved are finished (`moved` then tells the caller which).
 *
 * @example
 * const results = await transitionMany(ctx, sendId, emails.map((email) => ({ sendId, email, from: "queued", to: "sending" })));
 */
export async function transitionMany(ctx: TransitionContext, sendId: string, specs: readonly TransitionSpec[], moved: Delivery[] = []): Promise<(Delivery | ConflictError | NotFoundError)[]> {
  const owned: OwnedMarker[] = [];
  let failure: unknown;
  const results = await mapLimit(specs, MANY_IN_FLIGHT, async (spec) => {
    if (failure !== undefined) return new ConflictError("delivery.not-tried", `${spec.email}: not tried after an earlier failure`);
    try {
      const { item, marker } = await markedTransition(ctx, spec);
      owned.push({ email: spec.email, tier: item.tier as Tier, marker });
      const delivery = toDelivery(item);
      moved.push(delivery);
      return delivery;
    } catch (err) {
      if (err instanceof ConflictError || err instanceof NotFoundError) return err;
      failure ??= err;
      return new ConflictError("delivery.not-tried", `${spec.email}: ${(err as Error).message}`);
    }
  });
  await finishCounting(ctx, sendId, owned);
  if (failure !== undefined) throw failure;
  return results;
}

async function stepOne(ctx: TransitionContext, spec: TransitionSpec, marker: CounterMarker) {
  const names: Record<string, string> = { "#status": "status" };
  const values: Record<string, unknown> = {
    ":from": spec.from,
    ":to": spec.to,
    ":marker": marker,
    ":gsi1pk": deliveryKeys.statusPartition(spec.sendId, spec.to),
    ":gsi2pk": deliveryKeys.pendingPartition(spec.sendId),
    ":gsi2sk": spec.email,
    ...spec.guard?.values,
  };
  const sets = ["#status = :to", "gsi1pk = :gsi1pk", "counterPending = :marker", "gsi2pk = :gsi2pk", "gsi2sk = :gsi2sk"];
  for (const [name, value] of Object.entries(spec.set ?? {})) {
    if (value === undefined) continue;
    names[`#${name}`] = name;
    values[`:${name}`] = value;
    sets.push(`#${name} = :${name}`);
  }
  if (spec.increment?.length) Object.assign(values, { ":zero": 0, ":one": 1 });
  for (const name of spec.increment ?? []) {
    names[`#${name}`] = name;
    sets.push(`#${name} = if_not_exists(#${name}, :zero) + :one`);
  }
  const removes = (spec.remove ?? []).map((name) => {
    names[`#${name}`] = name;
    return `#${name}`;
  });
  const condition = ["attribute_exists(pk)", "#status = :from", "attribute_not_exists(counterPending)"];
  if (spec.guard) condition.push(`(${spec.guard.expression})`);
  const res = await callDynamo({ tableName: ctx.tableName }, () =>
    ctx.client.send(
      new UpdateCommand({
        TableName: ctx.tableName,
        Key: deliveryKeys.item(spec.sendId, spec.email),
        UpdateExpression: `SET ${sets.join(", ")}${removes.length ? ` REMOVE ${removes.join(", ")}` : ""}`,
        ConditionExpression: condition.join(" AND "),
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        ReturnValues: "ALL_NEW",
      }),
    ),
  );
  return res.Attributes ?? {};
}

/**
 * Step 1 failed: one consistent read says why. Not there → NotFoundError; another status (or the
 * guard no longer holds) → ConflictError, the answer for a duplicate event or a lost race. Still in
 * `from` but carrying the marker of the previous transition: wait for its owner to finish, or take
 * it over once the owner's lease has run out, then try again (undefined).
 *
 * Carrying *this* call's marker means step 1 did happen: its answer was lost (a connection reset or
 * timeout after DynamoDB applied it) and the SDK's own retry then failed the condition. The item is
 * returned, and the transition goes on as if the first answer had arrived. (Found by the fault tests:
 * before, such a claim was taken for someone else's, and the delivery stayed "sending" with its
 * counter never moved.)
 */
async function unblock(ctx: TransitionContext, spec: TransitionSpec, attempt: number, cause: ConflictError, mine: CounterMarker): Promise<Record<string, unknown> | undefined> {
  const res = await callDynamo({ tableName: ctx.tableName }, () =>
    ctx.client.send(
      new GetCommand({ TableName: ctx.tableName, Key: deliveryKeys.item(spec.sendId, spec.email), ConsistentRead: true }),
    ),
  );
  const item = res.Item;
  const where = `delivery ${spec.email} of send ${spec.sendId}`;
  if (!item) throw new NotFoundError("delivery.not-found", `no ${where}`);
  if ((item.counterPending as CounterMarker | undefined)?.tid === mine.tid) return item;
  if (item.status !== spec.from || (spec.guard && !spec.guard.holds(item))) {
    throw new ConflictError(
      "delivery.conflict",
      `${where} is ${String(item.status)}, not ${spec.from}; it cannot become ${spec.to}`,
      { cause },
    );
  }
  const pending = item.counterPending as CounterMarker | undefined;
  const wait = BLOCKED_WAITS_MS[attempt];
  if (wait === undefined) {
    throw new RetryableError("delivery.busy", `${where} is still being updated; try again later`, { cause });
  }
  if (!pending) return undefined; // the marker was cleared between the write and the read: just try again
  if (pending.at <= ctx.clock() - ctx.leaseMs) {
    const owned = await ctx.book.takeOver(spec.sendId, spec.email, pending.tid);
    if (owned) await ctx.book.finish(spec.sendId, [owned]);
    return undefined;
  }
  await new Promise((resolve) => setTimeout(resolve, wait * (0.5 + Math.random())));
  return undefined;
}
