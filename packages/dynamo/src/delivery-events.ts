import { GetCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import {
  ConflictError,
  RetryableError,
  TIERS,
  type ApplyOutcome,
  type DeliveryStatus,
  type Engagement,
  type EngagementKind,
  type Tier,
} from "@bulletin/core";
import { moveDeliveries } from "./delivery-moves.ts";
import { callDynamo } from "./errors.ts";
import { counterKeys, deliveryKeys } from "./keys.ts";
import { readCounterItems } from "./counter-items.ts";
import { isTier } from "./send-item.ts";
import type { TransactOptions } from "./transact.ts";

type TransitionContext = TransactOptions;

// Each lost race means someone else moved the delivery forward; a few rounds settle any pile-up.
const APPLY_ROUNDS = 5;

/**
 * DeliveryEvents.apply on DynamoDB. It reads the delivery (consistent), and if its status is one of
 * `from`, moves it from *that* status, with its counter, in one transaction. The write's condition
 * `status = :current` is the exact form of "status IN (from)": it also pins which counter is
 * decremented. Losing the race re-reads, so of 10 concurrent copies of one event exactly one is
 * "applied" and the rest "duplicate"; the counters move once.
 *
 * @example
 * await applyDeliveryEvent(ctx, "s1", "a@example.cn", "delivered", { from: ["sent", "unknown"], at });
 */
export async function applyDeliveryEvent(
  ctx: TransitionContext,
  sendId: string,
  email: string,
  to: DeliveryStatus,
  fields: { from: readonly DeliveryStatus[]; reason?: string; messageId?: string; at: string },
): Promise<ApplyOutcome> {
  for (let round = 0; round < APPLY_ROUNDS; round++) {
    const item = await getDelivery(ctx, sendId, email);
    const status = item?.status as DeliveryStatus | undefined;
    if (!item || status === "queued" || status === "skipped" || status === undefined) return "unmatched";
    if (status === "sending") {
      // The sender has not settled it yet; moving it now would make its settle fail.
      throw new RetryableError("delivery.busy", `${email} of send ${sendId} is still being sent; retry the event`);
    }
    const known = typeof item.sesMessageId === "string" ? item.sesMessageId : undefined;
    // Found by its tags, but about another message than the one we recorded: not this delivery's.
    if (fields.messageId && known && known !== fields.messageId) return "unmatched";
    if (!fields.from.includes(status)) return "duplicate";
    const clearsReason = fields.reason === undefined && (to === "sent" || to === "delivered");
    const { moved } = await moveDeliveries(ctx, sendId, [
      {
        email,
        tier: item.tier as Tier,
        from: status,
        to,
        // An "unknown" delivery learns the message id SES gave it.
        set: { reason: fields.reason, updatedAt: fields.at, sesMessageId: known ? undefined : fields.messageId },
        remove: clearsReason ? ["reason"] : [],
      },
    ]);
    if (moved.length > 0) return "applied";
  }
  throw new RetryableError("delivery.busy", `${email} of send ${sendId} kept changing; retry the event`);
}

const FIRST_ATTR: Record<EngagementKind, string> = { open: "firstOpenedAt", click: "firstClickedAt" };
const COUNT_ATTR: Record<EngagementKind, [total: keyof Engagement, first: keyof Engagement]> = {
  open: ["opened", "openedFirst"],
  click: ["clicked", "clickedFirst"],
};

/**
 * Counts an open or click. The "first" flag (`firstOpenedAt` / `firstClickedAt`) is set on the
 * delivery with `attribute_not_exists`, so only one event per delivery counts as first, however
 * many arrive at once. The counter ADD is not under the tid protocol: SES events carry no id to
 * deduplicate totals by, and a crash between the two writes loses at most one count.
 *
 * @example
 * await engageDelivery(ctx, "s1", "a@example.cn", "open", at); // "first"
 */
export async function engageDelivery(ctx: TransitionContext, sendId: string, email: string, kind: EngagementKind, at: string): Promise<"first" | "repeat" | "unmatched"> {
  let tier: unknown;
  let first = true;
  try {
    const res = await callDynamo({ tableName: ctx.tableName }, () =>
      ctx.client.send(
        new UpdateCommand({
          TableName: ctx.tableName,
          Key: deliveryKeys.item(sendId, email),
          UpdateExpression: "SET #f = :at",
          ConditionExpression: "attribute_exists(pk) AND attribute_not_exists(#f)",
          ExpressionAttributeNames: { "#f": FIRST_ATTR[kind] },
          ExpressionAttributeValues: { ":at": at },
          ReturnValues: "ALL_NEW",
        }),
      ),
    );
    tier = res.Attributes?.tier;
  } catch (err) {
    if (!(err instanceof ConflictError)) throw err;
    const item = await getDelivery(ctx, sendId, email);
    if (!item) return "unmatched";
    tier = item.tier;
    first = false;
  }
  if (!isTier(tier)) return "unmatched";
  const [total, firstName] = COUNT_ATTR[kind];
  await callDynamo({ tableName: ctx.tableName }, () =>
    ctx.client.send(
      new UpdateCommand({
        TableName: ctx.tableName,
        Key: counterKeys.item(sendId, tier as Tier),
        UpdateExpression: `SET #type = :type, #tier = :tier ADD #total :one${first ? ", #first :one" : ""}`,
        ExpressionAttributeNames: { "#type": "type", "#tier": "tier", "#total": total, ...(first ? { "#first": firstName } : {}) },
        ExpressionAttributeValues: { ":type": "counter", ":tier": tier, ":one": 1 },
      }),
    ),
  );
  return first ? "first" : "repeat";
}

/**
 * Engagement per tier, from the counter items (the same consistent Query as totals).
 *
 * @example
 * (await readEngagement(ctx, "s1")).report.openedFirst; // 412
 */
export async function readEngagement(ctx: TransitionContext, sendId: string): Promise<Record<Tier, Engagement>> {
  const items = await readCounterItems(ctx.client, ctx.tableName, sendId);
  const num = (v: unknown) => (typeof v === "number" ? v : 0);
  const out = Object.fromEntries(TIERS.map((t) => [t, { opened: 0, openedFirst: 0, clicked: 0, clickedFirst: 0 }])) as Record<Tier, Engagement>;
  for (const item of items) {
    if (!isTier(item.tier)) continue;
    out[item.tier] = { opened: num(item.opened), openedFirst: num(item.openedFirst), clicked: num(item.clicked), clickedFirst: num(item.clickedFirst) };
  }
  return out;
}

async function getDelivery(ctx: TransitionContext, sendId: string, email: string): Promise<Record<string, unknown> | undefined> {
  const res = await callDynamo({ tableName: ctx.tableName }, () =>
    ctx.client.send(new GetCommand({ TableName: ctx.tableName, Key: deliveryKeys.item(sendId, email), ConsistentRead: true })),
  );
  return res.Item;
}
