import { QueryCommand, type DynamoDBDocumentClient, type QueryCommandInput } from "@aws-sdk/lib-dynamodb";
import { BulletinError, InvalidInputError, type Page } from "@bulletin/core";
import { callDynamo } from "./errors.ts";
import { KEY_ATTRIBUTES, type QueryTarget } from "./keys.ts";

export const DEFAULT_PAGE_LIMIT = 50;
export const MAX_PAGE_LIMIT = 100;
/**
 * Items evaluated per round trip when a FilterExpression may drop most of them: large enough that a
 * rare search term does not cost one request per 10 rows, small enough not to read 1 MB for a page.
 */
const FILTERED_BATCH = 200;

type StartKey = Record<string, string>;

/**
 * Checks a page size from a query string or a caller.
 *
 * @example
 * pageLimit(undefined); // 50
 */
export function pageLimit(limit: number | undefined): number {
  if (limit === undefined) return DEFAULT_PAGE_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_LIMIT) {
    throw new InvalidInputError("page.limit", `limit must be an integer from 1 to ${MAX_PAGE_LIMIT}, not ${limit}`);
  }
  return limit;
}

/**
 * Wraps a DynamoDB key as an opaque base64url cursor, tagged with where it was read so that a
 * cursor from another listing is refused instead of confusing DynamoDB.
 *
 * @example
 * encodeCursor("gsi1", { pk: "ISSUE#1", sk: "ISSUE", gsi1pk: "ISSUES", gsi1sk: "2025-09-01T00:00:00.000Z#1" });
 */
export function encodeCursor(target: QueryTarget, key: StartKey): string {
  return Buffer.from(JSON.stringify({ t: target, k: key }), "utf8").toString("base64url");
}

/**
 * Reads a cursor back, checking that it belongs to `target` and to the partition being queried.
 *
 * @example
 * decodeCursor(page.cursor, "gsi1", ["gsi1pk", "ISSUES"]); // { pk: …, sk: …, gsi1pk: "ISSUES", gsi1sk: … }
 */
export function decodeCursor(cursor: string, target: QueryTarget, partition: readonly [string, string]): StartKey {
  const invalid = () => new InvalidInputError("page.cursor", "the cursor is invalid or belongs to another listing");
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    throw invalid();
  }
  const { t, k } = (parsed ?? {}) as { t?: unknown; k?: unknown };
  if (t !== target || typeof k !== "object" || k === null) throw invalid();
  const names = KEY_ATTRIBUTES[target];
  const entries = Object.entries(k);
  const valid =
    entries.length === names.length &&
    entries.every(([name, value]) => (names as readonly string[]).includes(name) && typeof value === "string");
  if (!valid || (k as StartKey)[partition[0]] !== partition[1]) throw invalid();
  return k as StartKey;
}

export interface QueryPageOptions<T> {
  client: DynamoDBDocumentClient;
  tableName: string;
  target: QueryTarget;
  /** The partition key attribute and value of the Query, e.g. ["gsi1pk", "TIER#report"]. */
  partition: readonly [string, string];
  /** The Query without TableName, IndexName, Limit and ExclusiveStartKey. */
  input: Omit<QueryCommandInput, "TableName" | "IndexName" | "Limit" | "ExclusiveStartKey">;
  limit?: number;
  cursor?: string;
  map: (item: Record<string, unknown>) => T;
}

/**
 * One page of a Query, looping over DynamoDB pages until `limit` items or the end: with a
 * FilterExpression (and past the 1 MB read limit) a DynamoDB page can be short or even empty while
 * more items follow. When the page is cut inside a DynamoDB page, the cursor is the key of the last
 * item returned, so the next page starts right after it.
 *
 * @example
 * await queryPage({ client, tableName, target: "gsi1", partition: ["gsi1pk", "ISSUES"],
 *   input: { KeyConditionExpression: "gsi1pk = :p", ExpressionAttributeValues: { ":p": "ISSUES" } }, map: toSummary });
 */
export async function queryPage<T>(opts: QueryPageOptions<T>): Promise<Page<T>> {
  const limit = pageLimit(opts.limit);
  const filtered = opts.input.FilterExpression !== undefined;
  const keyNames = KEY_ATTRIBUTES[opts.target];
  let startKey: StartKey | undefined =
    opts.cursor === undefined ? undefined : decodeCursor(opts.cursor, opts.target, opts.partition);
  const items: T[] = [];
  for (;;) {
    const remaining = limit - items.length;
    const res = await callDynamo({ tableName: opts.tableName }, () =>
      opts.client.send(
        new QueryCommand({
          ...opts.input,
          TableName: opts.tableName,
          IndexName: opts.target === "table" ? undefined : opts.target,
          // One more than is missing: if it comes back, there is a next page, so a page that ends
          // the listing exactly carries no cursor (DynamoDB alone would return a LastEvaluatedKey
          // whenever it stops at Limit, leading the client to an empty last page).
          Limit: filtered ? Math.max(remaining + 1, FILTERED_BATCH) : remaining + 1,
          ExclusiveStartKey: startKey,
        }),
      ),
    );
    const found = res.Items ?? [];
    const taken = found.slice(0, remaining);
    items.push(...taken.map(opts.map));
    if (taken.length < found.length) {
      const last = taken[taken.length - 1] as Record<string, unknown>;
      const key: StartKey = {};
      for (const name of keyNames) {
        const value = last[name];
        // A ProjectionExpression that leaves out a key attribute would make a cursor that skips rows.
        if (typeof value !== "string") throw new BulletinError("storage.failed", `query result lacks key ${name}`);
        key[name] = value;
      }
      return { items, cursor: encodeCursor(opts.target, key) };
    }
    startKey = res.LastEvaluatedKey as StartKey | undefined;
    if (!startKey) return { items };
    if (items.length === limit) return { items, cursor: encodeCursor(opts.target, startKey) };
  }
}
