import { describe, expect, it } from "vitest";
import { ConflictError, NotFoundError } from "../errors/errors.ts";
import type { StoredToken } from "./token-repo.ts";
import { InMemoryTokenRepo } from "../testing/in-memory-token-repo.ts";
import { needsTouch, revokeToken, tokenId, tokenUsable } from "./tokens.ts";

const NOW = new Date("2026-03-01T00:00:00.000Z");
const clock = { now: () => NOW };
const token = (c: string, role: StoredToken["role"], over: Partial<StoredToken> = {}): StoredToken => ({
  hash: c.repeat(64),
  role,
  label: `${role} ${c}`,
  createdAt: "2026-01-01T00:00:00.000Z",
  ...over,
});

describe("tokens", () => {
  it("a token is usable until its expiry, and a missing one never", () => {
    expect(tokenUsable(token("a", "viewer"), NOW)).toBe(true);
    expect(tokenUsable(token("a", "viewer", { expiresAt: "2026-03-01T00:00:01.000Z" }), NOW)).toBe(true);
    expect(tokenUsable(token("a", "viewer", { expiresAt: "2026-03-01T00:00:00.000Z" }), NOW)).toBe(false);
    expect(tokenUsable(null, NOW)).toBe(false);
  });

  it("records a use at most once a minute", () => {
    expect(needsTouch(token("a", "viewer"), NOW)).toBe(true);
    expect(needsTouch(token("a", "viewer", { lastUsedAt: "2026-02-28T23:59:30.000Z" }), NOW)).toBe(false);
    expect(needsTouch(token("a", "viewer", { lastUsedAt: "2026-02-28T23:59:00.000Z" }), NOW)).toBe(true);
  });

  it("revokes by id, and never the last usable admin token", async () => {
    const tokens = new InMemoryTokenRepo([
      token("a", "admin"),
      token("b", "admin", { expiresAt: "2026-02-01T00:00:00.000Z" }),
      token("c", "viewer"),
    ]);
    expect(tokenId("c".repeat(64))).toBe("c".repeat(16));
    expect((await revokeToken("c".repeat(16), { tokens, clock })).label).toBe("viewer c");
    expect(await tokens.findByHash("c".repeat(64))).toBeNull();
    // b has expired, so a is the last admin who can still sign in.
    await expect(revokeToken("a".repeat(16), { tokens, clock })).rejects.toMatchObject({ code: "token.last-admin" });
    await expect(revokeToken("a".repeat(16), { tokens, clock })).rejects.toBeInstanceOf(ConflictError);
    await revokeToken("b".repeat(16), { tokens, clock });
    await tokens.create(token("d", "admin"));
    await revokeToken("a".repeat(16), { tokens, clock });
    expect((await tokens.list()).map((t) => t.label)).toEqual(["admin d"]);
    await expect(revokeToken("0".repeat(16), { tokens, clock })).rejects.toBeInstanceOf(NotFoundError);
    await expect(revokeToken("not an id", { tokens, clock })).rejects.toBeInstanceOf(NotFoundError);
  });
});
