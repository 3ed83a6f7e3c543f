import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import {
  ConflictError,
  NotFoundError,
  RetryableError,
  type Delivery,
  type DeliveryStatus,
  type Tier,
} from "@bulletin/core";
import type { CounterBook, CounterMarker } from "./counter-book.ts";
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
  for (let attempt = 0; ; attempt++) {
    const marker = ctx.book.newMarker(spec.email, spec.from, spec.to);
    let item: Record<string, unknown>;
    try {
      item = await stepOne(ctx, spec, marker);
    } catch (err) {
      if (!(err instanceof ConflictError)) throw err;
      await unblock(ctx, spec, attempt, err);
      continue;
    }
    ctx.book.step(1);
    try {
      await ctx.book.finish(spec.sendId, [{ email: spec.email, tier: item.tier as Tier, marker }]);
    } catch (err) {
      if (!(err instanceof RetryableError)) throw err;
    }
    return toDelivery(item);
  }
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
 * it over once the owner's lease has run out, then try again.
 */
async function unblock(ctx: TransitionContext, spec: TransitionSpec, attempt: number, cause: ConflictError) {
  const res = await callDynamo({ tableName: ctx.tableName }, () =>
    ctx.client.send(
      new GetCommand({ TableName: ctx.tableName, Key: deliveryKeys.item(spec.sendId, spec.email), ConsistentRead: true }),
    ),
  );
  const item = res.Item;
  const where = `delivery ${spec.email} of send ${spec.sendId}`;
  if (!item) throw new NotFoundError("delivery.not-found", `no ${where}`);
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
  if (!pending) return; // the marker was cleared between the write and the read: just try again
  if (pending.at <= ctx.clock() - ctx.leaseMs) {
    const owned = await ctx.book.takeOver(spec.sendId, spec.email, pending.tid);
    if (owned) await ctx.book.finish(spec.sendId, [owned]);
    return;
  }
  await new Promise((resolve) => setTimeout(resolve, wait * (0.5 + Math.random())));
}
