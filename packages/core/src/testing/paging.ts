import { InvalidInputError } from "../errors/errors.ts";

/** Page size when the query gives none, and the most one page may hold (as the real adapters). */
export const DEFAULT_PAGE_LIMIT = 50;
export const MAX_PAGE_LIMIT = 1000;

/**
 * One page of `sorted` items after the cursor's key, for the in-memory fakes. The cursor is the key
 * of the last item given, base64url-encoded: opaque to callers, stable while items come and go.
 *
 * @example
 * pageAfter(["a", "b", "c"], (s) => s, { limit: 2 }); // { items: ["a", "b"], cursor: "…" }
 */
export function pageAfter<T>(
  sorted: readonly T[],
  key: (item: T) => string,
  query: { limit?: number; cursor?: string },
  descending = false,
): { items: T[]; cursor?: string } {
  const limit = query.limit ?? DEFAULT_PAGE_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_LIMIT) {
    throw new InvalidInputError("page.limit", `limit must be a whole number from 1 to ${MAX_PAGE_LIMIT}`);
  }
  const after = query.cursor === undefined ? undefined : decode(query.cursor);
  const rest =
    after === undefined ? sorted : sorted.filter((item) => (descending ? key(item) < after : key(item) > after));
  const items = rest.slice(0, limit);
  const last = items.at(-1);
  return rest.length > limit && last !== undefined ? { items, cursor: encode(key(last)) } : { items };
}

function encode(key: string): string {
  const bytes = new TextEncoder().encode(JSON.stringify({ after: key }));
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
}

function decode(cursor: string): string {
  try {
    const binary = atob(cursor.replace(/-/g, "+").replace(/_/g, "/"));
    const text = new TextDecoder("utf-8", { fatal: true }).decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
    const { after } = JSON.parse(text) as { after?: unknown };
    if (typeof after === "string") return after;
  } catch {
    // Fall through: an undecodable cursor is the caller's mistake, reported below.
  }
  throw new InvalidInputError("page.cursor", "the cursor is not one this service gave out");
}
