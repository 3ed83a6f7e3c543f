import { describe, expect, it } from "vitest";
import { ConflictError } from "../../errors/errors.ts";
import type { StoredToken, TokenRepo } from "../../storage/ports.ts";

const hash = (c: string) => c.repeat(64);

/** The TokenRepo contract; `make` gives an empty repository. */
export function tokenRepoContract(name: string, make: () => Promise<TokenRepo>) {
  describe(`${name}: the TokenRepo contract`, () => {
    it("finds a token by hash, refuses a second with the same hash, and knows when an admin exists", async () => {
      const repo = await make();
      expect(await repo.hasAdmin()).toBe(false);
      await repo.create({ hash: hash("a"), role: "secretariat", label: "秘书处", createdAt: "2025-09-01T00:00:00.000Z" });
      expect(await repo.hasAdmin()).toBe(false);
      const admin: StoredToken = { hash: hash("c"), role: "admin", label: "first start", createdAt: "2025-09-02T00:00:00.000Z" };
      await repo.create(admin);
      expect(await repo.findByHash(admin.hash)).toEqual(admin);
      expect(await repo.findByHash(hash("d"))).toBeNull();
      expect(await repo.hasAdmin()).toBe(true);
      await expect(repo.create({ hash: hash("a"), role: "admin", label: "dup", createdAt: "2025-09-03T00:00:00.000Z" })).rejects.toBeInstanceOf(ConflictError);
      expect((await repo.findByHash(hash("a")))?.role).toBe("secretariat");
    });
  });
}
