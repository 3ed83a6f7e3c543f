import { ConflictError, NotFoundError } from "../errors/errors.ts";
import type { Clock } from "../clock.ts";
import type { StoredToken, TokenRepo } from "./token-repo.ts";

/** lastUsedAt is written at most this often per token: a write per request would double the API's writes. */
export const TOKEN_TOUCH_INTERVAL_MS = 60_000;

/**
 * A token's public id: the first 16 hex digits of its SHA-256. It names the token in lists and in
 * DELETE /api/tokens/:id without a field to migrate, and says nothing about the secret (SHA-256 of
 * 256 random bits cannot be inverted, let alone from 64 of its bits).
 *
 * @example
 * tokenId("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"); // "9f86d081884c7d65"
 */
export function tokenId(hash: string): string {
  return hash.slice(0, 16);
}

/**
 * True while a token may be used: it exists and its expiry (if any) has not come.
 *
 * @example
 * tokenUsable({ ...token, expiresAt: "2026-01-01T00:00:00Z" }, new Date("2026-02-01")); // false
 */
export function tokenUsable(token: StoredToken | null, now: Date): token is StoredToken {
  return token !== null && (token.expiresAt === undefined || Date.parse(token.expiresAt) > now.getTime());
}

/**
 * Whether a request by this token should record its use: never recorded, or recorded over a minute ago.
 *
 * @example
 * if (needsTouch(token, now)) await tokens.touch(token.hash, now.toISOString());
 */
export function needsTouch(token: StoredToken, now: Date): boolean {
  return token.lastUsedAt === undefined || now.getTime() - Date.parse(token.lastUsedAt) >= TOKEN_TOUCH_INTERVAL_MS;
}

/**
 * Revokes the token with this id (tokenId): it, and every dashboard session made with it, is refused
 * from the next request on. The last usable admin token cannot be revoked (ConflictError
 * "token.last-admin"): nobody could then manage tokens at all. NotFoundError for an unknown id.
 *
 * @example
 * const revoked = await revokeToken("9f86d081884c7d65", { tokens, clock });
 * revoked.label; // "王丽的笔记本"
 */
export async function revokeToken(id: string, deps: { tokens: TokenRepo; clock: Clock }): Promise<StoredToken> {
  const all = await deps.tokens.list();
  const token = /^[0-9a-f]{16}$/.test(id) ? all.find((t) => tokenId(t.hash) === id) : undefined;
  if (!token) throw new NotFoundError("token.not-found", `no token ${id}`);
  const now = deps.clock.now();
  if (
    token.role === "admin" &&
    tokenUsable(token, now) &&
    !all.some((t) => t !== token && t.role === "admin" && tokenUsable(t, now))
  ) {
    throw new ConflictError(
      "token.last-admin",
      "this is the last usable admin token: create another admin token first",
    );
  }
  await deps.tokens.revoke(token.hash);
  return token;
}
