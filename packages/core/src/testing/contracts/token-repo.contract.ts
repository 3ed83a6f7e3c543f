import { describe, expect, it } from "vitest";
import { ConflictError, NotFoundError } from "../../errors/errors.ts";
import type { StoredToken, TokenRepo } from "../../tokens/token-repo.ts";

const hash = (c: string) => c.repeat(64);

/** The TokenRepo contract; `make` gives an empty repository. */
export function tokenRepoContract(name: string, make: () => Promise<TokenRepo>) {
  describe(`${name}: the TokenRepo contract`, () => {
    it("finds a token by hash, refuses a second with the same hash, and knows when an admin exists", async () => {
      const repo = await make();
      expect(await repo.hasAdmin()).toBe(false);
      await repo.create({
        hash: hash("a"),
        role: "secretariat",
        label: "秘书处",
        createdAt: "2025-09-01T00:00:00.000Z",
      });
      expect(await repo.hasAdmin()).toBe(false);
      const admin: StoredToken = {
        hash: hash("c"),
        role: "admin",
        label: "first start",
        createdAt: "2025-09-02T00:00:00.000Z",
      };
      await repo.create(admin);
      expect(await repo.findByHash(admin.hash)).toEqual(admin);
      expect(await repo.findByHash(hash("d"))).toBeNull();
      expect(await repo.hasAdmin()).toBe(true);
      await expect(
        repo.create({ hash: hash("a"), role: "admin", label: "dup", createdAt: "2025-09-03T00:00:00.000Z" }),
      ).rejects.toBeInstanceOf(ConflictError);
      expect((await repo.findByHash(hash("a")))?.role).toBe("secretariat");
    });

    it("lists every token by role then age, with its expiry and last use; revokes one for good", async () => {
      const repo = await make();
      await repo.create({
        hash: hash("a"),
        role: "secretariat",
        label: "秘书处",
        createdAt: "2025-09-01T00:00:00.000Z",
      });
      await repo.create({ hash: hash("b"), role: "viewer", label: "viewer", createdAt: "2025-09-01T00:00:00.000Z" });
      await repo.create({
        hash: hash("c"),
        role: "admin",
        label: "first start",
        createdAt: "2025-09-02T00:00:00.000Z",
      });
      const t: StoredToken = {
        hash: hash("e"),
        role: "viewer",
        label: "审计",
        createdAt: "2025-09-04T00:00:00.000Z",
        expiresAt: "2026-01-01T00:00:00.000Z",
      };
      await repo.create(t);
      await repo.touch(t.hash, "2025-09-05T08:00:00.000Z");
      expect(await repo.findByHash(t.hash)).toEqual({ ...t, lastUsedAt: "2025-09-05T08:00:00.000Z" });
      expect((await repo.list()).map((x) => [x.label, x.role])).toEqual([
        ["first start", "admin"],
        ["秘书处", "secretariat"],
        ["viewer", "viewer"],
        ["审计", "viewer"],
      ]);
      await repo.revoke(t.hash);
      expect(await repo.findByHash(t.hash)).toBeNull();
      await expect(repo.revoke(t.hash)).rejects.toBeInstanceOf(NotFoundError);
      // A use recorded after the revoke does not bring the token back.
      await repo.touch(t.hash, "2025-09-05T08:01:00.000Z");
      expect(await repo.findByHash(t.hash)).toBeNull();
    });
  });
}
