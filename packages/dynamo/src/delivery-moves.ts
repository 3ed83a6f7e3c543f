import type { DeliveryStatus, Tier } from "@bulletin/core";
import { chunk } from "./concurrency.ts";
import { counterKeys, deliveryKeys } from "./keys.ts";
import { MAX_TX_ITEMS, transactWrite, type TransactOptions, type TxItem } from "./transact.ts";

/** One delivery's move from one status to another, with what else changes on it. */
export interface Move {
  email: string;
  tier: Tier;
  from: DeliveryStatus;
  to: DeliveryStatus;
  /** Attributes to set (undefined ones are left out). */
  set?: Record<string, unknown>;
  remove?: string[];
  /** Numeric attributes to add one to. */
  increment?: string[];
  /** A further condition on the delivery, e.g. "claimedAt < :olderThan", with its values. */
  guard?: { expression: string; values: Record<string, unknown> };
}

/** The counter attribute of a domain group's queued deliveries: `queued@qq.com`. */
export const QUEUED_IN_GROUP = "queued@";

// Room for the counter items (one per tier) beside the deliveries of a transaction.
const DELIVERIES_PER_TX = MAX_TX_ITEMS - 3;

/**
 * Moves deliveries of one send, each on condition that it is in its `from` status (and its guard
 * holds), together with their tiers' counters: one transaction per chunk of up to 97, so a
 * delivery's status and its counters change at once or not at all. A delivery whose condition
 * fails (moved by someone else, done, missing) is dropped from its chunk and the rest go ahead.
 * Returns the addresses moved and those left out.
 *
 * @example
 * const { moved, refused } = await moveDeliveries(db, "s1", [{ email, tier: "report", from: "queued", to: "sending" }]);
 */
export async function moveDeliveries(
  db: TransactOptions,
  sendId: string,
  moves: readonly Move[],
): Promise<{ moved: string[]; refused: string[] }> {
  const moved: string[] = [];
  const refused: string[] = [];
  for (const part of chunk(moves, DELIVERIES_PER_TX)) {
    let pending = [...part];
    while (pending.length > 0) {
      const failed = await transactWrite(db, [
        ...pending.map((m) => deliveryUpdate(db.tableName, sendId, m)),
        ...counterUpdates(db.tableName, sendId, pending, db.groupOf),
      ]);
      if (failed.length === 0) {
        moved.push(...pending.map((m) => m.email));
        break;
      }
      // Only the deliveries carry conditions, and they come first.
      const out = new Set(failed);
      refused.push(...pending.filter((_, i) => out.has(i)).map((m) => m.email));
      pending = pending.filter((_, i) => !out.has(i));
    }
  }
  return { moved, refused };
}

/**
 * The counter updates of some moves (or new deliveries, `from` absent): per tier, one ADD of the
 * net change of each status.
 *
 * @example
 * counterUpdates("bulletin", "s1", [{ tier: "report", to: "queued" }]); // [{ Update: … ADD #queued :queued … }]
 */
export function counterUpdates(
  tableName: string,
  sendId: string,
  moves: readonly { tier: Tier; email?: string; from?: DeliveryStatus; to: DeliveryStatus }[],
  groupOf?: (email: string) => string | undefined,
): TxItem[] {
  const byTier = new Map<Tier, Map<string, number>>();
  for (const m of moves) {
    const delta = byTier.get(m.tier) ?? new Map<string, number>();
    if (m.from !== undefined) delta.set(m.from, (delta.get(m.from) ?? 0) - 1);
    delta.set(m.to, (delta.get(m.to) ?? 0) + 1);
    // The queued of a domain group, beside the tier's: what waits for that group's pace.
    const group = m.email === undefined ? undefined : groupOf?.(m.email);
    if (group !== undefined) {
      const n = (m.to === "queued" ? 1 : 0) - (m.from === "queued" ? 1 : 0);
      if (n !== 0) delta.set(`${QUEUED_IN_GROUP}${group}`, (delta.get(`${QUEUED_IN_GROUP}${group}`) ?? 0) + n);
    }
    byTier.set(m.tier, delta);
  }
  const items: TxItem[] = [];
  for (const [tier, delta] of byTier) {
    const changes = [...delta].filter(([, n]) => n !== 0);
    if (changes.length === 0) continue;
    items.push({
      Update: {
        TableName: tableName,
        Key: counterKeys.item(sendId, tier),
        UpdateExpression: `SET #type = :type, #tier = :tier ADD ${changes.map((_, i) => `#c${i} :c${i}`).join(", ")}`,
        ExpressionAttributeNames: {
          "#type": "type",
          "#tier": "tier",
          ...Object.fromEntries(changes.map(([s], i) => [`#c${i}`, s])),
        },
        ExpressionAttributeValues: {
          ":type": "counter",
          ":tier": tier,
          ...Object.fromEntries(changes.map(([, n], i) => [`:c${i}`, n])),
        },
      },
    });
  }
  return items;
}

/** The conditional update of one delivery; gsi1pk follows the status, so the status index does too. */
function deliveryUpdate(tableName: string, sendId: string, m: Move): TxItem {
  const names: Record<string, string> = { "#status": "status", "#tier": "tier" };
  const values: Record<string, unknown> = {
    ":from": m.from,
    ":to": m.to,
    ":t": m.tier,
    ":gsi1pk": deliveryKeys.statusPartition(sendId, m.to),
    ...m.guard?.values,
  };
  const sets = ["#status = :to", "gsi1pk = :gsi1pk"];
  for (const [name, value] of Object.entries(m.set ?? {})) {
    if (value === undefined) continue;
    names[`#${name}`] = name;
    values[`:${name}`] = value;
    sets.push(`#${name} = :${name}`);
  }
  if (m.increment?.length) Object.assign(values, { ":zero": 0, ":one": 1 });
  for (const name of m.increment ?? []) {
    names[`#${name}`] = name;
    sets.push(`#${name} = if_not_exists(#${name}, :zero) + :one`);
  }
  const removes = (m.remove ?? [])
    .filter((name) => m.set?.[name] === undefined)
    .map((name) => {
      names[`#${name}`] = name;
      return `#${name}`;
    });
  return {
    Update: {
      TableName: tableName,
      Key: deliveryKeys.item(sendId, m.email),
      UpdateExpression: `SET ${sets.join(", ")}${removes.length ? ` REMOVE ${removes.join(", ")}` : ""}`,
      ConditionExpression: ["#status = :from", "#tier = :t", ...(m.guard ? [`(${m.guard.expression})`] : [])].join(
        " AND ",
      ),
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    },
  };
}
