import {
  BulletinError,
  DELIVERY_STATUSES,
  SEND_STATUSES,
  TIERS,
  type Delivery,
  type Send,
  type Tier,
} from "@bulletin/core";

/**
 * Reads a Send out of a stored item (table or index), leaving keys and bookkeeping behind. Checked,
 * so that a corrupt item fails here, in storage, and not somewhere in the send pipeline.
 *
 * @example
 * const send = toSend((await client.send(new GetCommand({ TableName, Key: sendKeys.item(id) }))).Item!);
 */
export function toSend(item: Record<string, unknown>): Send {
  const id = str(item, "id", "send");
  const fail = (what: string) => new BulletinError("storage.corrupt", `stored send ${id} is invalid: ${what}`);
  const status = item.status as Send["status"];
  if (!SEND_STATUSES.includes(status)) throw fail(`status ${String(status)}`);
  const tiers = item.tiers;
  if (!Array.isArray(tiers) || !tiers.every(isTier)) throw fail("tiers");
  if (typeof item.total !== "number" || typeof item.test !== "boolean" || typeof item.resend !== "boolean") {
    throw fail("total/test/resend");
  }
  const only = item.only;
  if (only !== undefined && !(Array.isArray(only) && only.every((e) => typeof e === "string"))) throw fail("only");
  return dropUndefined({
    id,
    issueId: str(item, "issueId", "send"),
    status,
    tiers: tiers as Tier[],
    only: only as string[] | undefined,
    test: item.test,
    resend: item.resend,
    // Stored only when true (sends from before the option read as false).
    includeMaybeReceived: item.includeMaybeReceived === true ? true : undefined,
    scheduledAt: optStr(item, "scheduledAt"),
    pauseReason: optStr(item, "pauseReason"),
    createdAt: str(item, "createdAt", "send"),
    startedAt: optStr(item, "startedAt"),
    finishedAt: optStr(item, "finishedAt"),
    total: item.total,
    throttledGroups:
      Array.isArray(item.throttledGroups) || item.throttledGroups instanceof Set
        ? [...(item.throttledGroups as Iterable<unknown>)].filter((g): g is string => typeof g === "string").sort()
        : undefined,
  });
}

/**
 * Reads a Delivery out of a stored item, without the keys, claimedAt or the claim token.
 *
 * @example
 * const delivery = toDelivery(res.Attributes ?? {});
 */
export function toDelivery(item: Record<string, unknown>): Delivery {
  const email = str(item, "email", "delivery");
  const fail = (what: string) => new BulletinError("storage.corrupt", `stored delivery ${email} is invalid: ${what}`);
  const status = item.status as Delivery["status"];
  if (!DELIVERY_STATUSES.includes(status)) throw fail(`status ${String(status)}`);
  if (!isTier(item.tier)) throw fail(`tier ${String(item.tier)}`);
  if (typeof item.attempts !== "number") throw fail("attempts");
  return dropUndefined({
    sendId: str(item, "sendId", "delivery"),
    email,
    tier: item.tier,
    status,
    reason: optStr(item, "reason"),
    sesMessageId: optStr(item, "sesMessageId"),
    attempts: item.attempts,
    lastError: optStr(item, "lastError"),
    createdAt: str(item, "createdAt", "delivery"),
    updatedAt: str(item, "updatedAt", "delivery"),
  });
}

export function isTier(value: unknown): value is Tier {
  return (TIERS as readonly unknown[]).includes(value);
}

function str(item: Record<string, unknown>, name: string, what: string): string {
  const value = item[name];
  if (typeof value !== "string") {
    throw new BulletinError("storage.corrupt", `stored ${what} ${String(item.pk)} lacks ${name}`);
  }
  return value;
}

function optStr(item: Record<string, unknown>, name: string): string | undefined {
  const value = item[name];
  return typeof value === "string" ? value : undefined;
}

// Absent optional fields stay absent (not `key: undefined`), so a read equals what was written.
function dropUndefined<T extends object>(obj: T): T {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined)) as T;
}
