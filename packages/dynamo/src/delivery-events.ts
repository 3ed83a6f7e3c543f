import { GetCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import {
  ENGAGEMENT_FIELDS,
  formatEngagementLog,
  parseEngagementLog,
  recordEngagement,
  RetryableError,
  summarise,
  TIERS,
  type EngageOutcome,
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
import { transactWrite, type TransactOptions } from "./transact.ts";

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
        set: {
          reason: fields.reason,
          updatedAt: fields.at,
          ...(known || !fields.messageId
            ? {}
            : { sesMessageId: fields.messageId, ...deliveryKeys.byMessageId(fields.messageId) }),
        },
        remove: clearsReason ? ["reason"] : [],
      },
    ]);
    if (moved.length > 0) return "applied";
  }
  throw new RetryableError("delivery.busy", `${email} of send ${sendId} kept changing; retry the event`);
}

// Each lost race means another event of the same delivery was recorded first: read again, after a
// short random pause so that racers stop arriving together (without it, n racers that stay in
// step need n rounds, one winner each).
const ENGAGE_ROUNDS = 16;
const ENGAGE_PAUSE_MS = 20;

/**
 * Records an open, click or canary click of one delivery, once per event id. The delivery keeps its
 * engagement log (`engagementLog`, one line per event, with `engageRev`); core's recordEngagement
 * says what the new log is and what the counters move by, and one transaction writes the log (on
 * condition that `engageRev` is still the one read) and the counter: a replay finds its id in the
 * log and changes nothing, and two events of one delivery never both count from the same log.
 *
 * @example
 * await engageDelivery(ctx, "s1", "a@example.cn", { id, kind: "open", at }); // "counted"
 */
export async function engageDelivery(
  ctx: TransitionContext,
  sendId: string,
  email: string,
  event: { id: string; kind: EngagementKind; at: string },
): Promise<EngageOutcome | "unmatched"> {
  for (let round = 0; round < ENGAGE_ROUNDS; round++) {
    const item = await getDelivery(ctx, sendId, email);
    if (!item || !isTier(item.tier)) return "unmatched";
    const rev = typeof item.engageRev === "number" ? item.engageRev : 0;
    const r = recordEngagement(parseEngagementLog(item.engagementLog), event);
    if (r.outcome === "duplicate" || r.outcome === "full") return r.outcome;
    const changes = ENGAGEMENT_FIELDS.filter((f) => r.delta[f] !== 0);
    const failed = await transactWrite(ctx, [
      {
        Update: {
          TableName: ctx.tableName,
          Key: deliveryKeys.item(sendId, email),
          UpdateExpression: "SET engagementLog = :log, engageRev = :next",
          ConditionExpression:
            rev === 0 ? "attribute_exists(pk) AND attribute_not_exists(engageRev)" : "engageRev = :rev",
          ExpressionAttributeValues: {
            ":log": formatEngagementLog(r.log),
            ":next": rev + 1,
            ...(rev === 0 ? {} : { ":rev": rev }),
          },
        },
      },
      ...(changes.length === 0
        ? []
        : [
            {
              Update: {
                TableName: ctx.tableName,
                Key: counterKeys.item(sendId, item.tier),
                UpdateExpression: `SET #type = :type, #tier = :tier ADD ${changes.map((f) => `#${f} :${f}`).join(", ")}`,
                ExpressionAttributeNames: {
                  "#type": "type",
                  "#tier": "tier",
                  ...Object.fromEntries(changes.map((f) => [`#${f}`, f])),
                },
                ExpressionAttributeValues: {
                  ":type": "counter",
                  ":tier": item.tier,
                  ...Object.fromEntries(changes.map((f) => [`:${f}`, r.delta[f]])),
                },
              },
            },
          ]),
    ]);
    if (failed.length === 0) return r.outcome;
    await new Promise((resolve) => setTimeout(resolve, Math.random() * ENGAGE_PAUSE_MS));
  }
  throw new RetryableError(
    "delivery.busy",
    `${email} of send ${sendId}: its engagement kept changing; retry the event`,
  );
}

/**
 * The delivery SES gave a message id: settle writes `gsi2pk = MSG#<id>` with the id (no extra
 * call), so this is one Query of a partition holding that one delivery. The index lags the table by
 * a moment: an event arriving within it finds nothing and is reported unmatched.
 *
 * @example
 * await findByMessageId(ctx, "0100019a-…-000000"); // { sendId: "s1", email: "a@example.cn" }
 */
export async function findByMessageId(
  ctx: TransitionContext,
  messageId: string,
): Promise<{ sendId: string; email: string } | null> {
  const res = await callDynamo({ tableName: ctx.tableName }, () =>
    ctx.client.send(
      new QueryCommand({
        TableName: ctx.tableName,
        IndexName: "gsi2",
        KeyConditionExpression: "gsi2pk = :p",
        ExpressionAttributeValues: { ":p": deliveryKeys.messagePartition(messageId) },
        Limit: 1,
      }),
    ),
  );
  const item = res.Items?.[0];
  return item && typeof item.sendId === "string" && typeof item.email === "string"
    ? { sendId: item.sendId, email: item.email }
    : null;
}

/**
 * Engagement per tier, from the counter items (the same consistent read as totals).
 *
 * @example
 * (await readEngagement(ctx, "s1")).report.openedFirst; // 412
 */
export async function readEngagement(ctx: TransitionContext, sendId: string): Promise<Record<Tier, Engagement>> {
  const items = await readCounterItems(ctx.client, ctx.tableName, sendId);
  const num = (v: unknown) => (typeof v === "number" ? v : 0);
  const out = Object.fromEntries(TIERS.map((t) => [t, summarise([])])) as Record<Tier, Engagement>;
  for (const item of items) {
    if (!isTier(item.tier)) continue;
    out[item.tier] = Object.fromEntries(ENGAGEMENT_FIELDS.map((f) => [f, num(item[f])])) as unknown as Engagement;
  }
  return out;
}

export async function getDelivery(
  ctx: TransitionContext,
  sendId: string,
  email: string,
): Promise<Record<string, unknown> | undefined> {
  const res = await callDynamo({ tableName: ctx.tableName }, () =>
    ctx.client.send(
      new GetCommand({ TableName: ctx.tableName, Key: deliveryKeys.item(sendId, email), ConsistentRead: true }),
    ),
  );
  return res.Item;
}
