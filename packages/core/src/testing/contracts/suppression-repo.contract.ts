import { describe, expect, it } from "vitest";
import { NotFoundError } from "../../errors/errors.ts";
import type { SuppressionRepo } from "../../events/events-ports.ts";

const AT = "2025-09-01T08:00:00.000Z";

/** The SuppressionRepo contract; `make` gives an empty repository. */
export function suppressionRepoContract(name: string, make: () => Promise<SuppressionRepo>) {
  describe(`${name}: the SuppressionRepo contract`, () => {
    it("suppress: the first reason wins, repeats are no-ops; a batch question answers for many", async () => {
      const repo = await make();
      expect(
        await repo.suppress({ email: "a@example.cn", reason: "bounce", detail: "General", source: "s1 m1", at: AT }),
      ).toBe(true);
      expect(await repo.suppress({ email: "a@example.cn", reason: "complaint", at: AT })).toBe(false);
      expect(await repo.get("a@example.cn")).toEqual({
        email: "a@example.cn",
        reason: "bounce",
        detail: "General",
        source: "s1 m1",
        createdAt: AT,
      });
      expect(await repo.get("none@example.cn")).toBeNull();
      await repo.suppress({ email: "b@example.cn", reason: "complaint", at: AT });
      expect(await repo.suppressed(["a@example.cn", "b@example.cn", "c@example.cn", "a@example.cn"])).toEqual(
        new Set(["a@example.cn", "b@example.cn"]),
      );
    });

    it("lists by address, page by page", async () => {
      const repo = await make();
      for (const e of ["l3@x.cn", "l1@x.cn", "l2@x.cn"]) await repo.suppress({ email: e, reason: "manual", at: AT });
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await repo.list({ limit: 2, ...(cursor ? { cursor } : {}) });
        seen.push(...page.items.map((e) => e.email));
        cursor = page.cursor;
      } while (cursor);
      expect(seen).toEqual(["l1@x.cn", "l2@x.cn", "l3@x.cn"]);
    });

    it("lift removes the entry and keeps a log of who lifted it when", async () => {
      const repo = await make();
      await repo.suppress({ email: "b@example.cn", reason: "complaint", at: AT });
      await repo.lift("b@example.cn", "token:admin-1", "2025-09-02T00:00:00.000Z");
      expect(await repo.get("b@example.cn")).toBeNull();
      expect(await repo.lifts("b@example.cn")).toEqual([
        {
          email: "b@example.cn",
          reason: "complaint",
          createdAt: AT,
          liftedBy: "token:admin-1",
          liftedAt: "2025-09-02T00:00:00.000Z",
        },
      ]);
      await expect(repo.lift("b@example.cn", "x", AT)).rejects.toBeInstanceOf(NotFoundError);
      expect(await repo.suppress({ email: "b@example.cn", reason: "bounce", at: "2025-10-01T00:00:00.000Z" })).toBe(
        true,
      );
      expect(await repo.lifts("b@example.cn")).toHaveLength(1);
    });

    it("soft bounces: counted, concurrent ones each count, cleared by a delivery", async () => {
      const repo = await make();
      expect(await repo.noteSoftBounce("s@example.cn", AT)).toBe(1);
      await Promise.all([repo.noteSoftBounce("s@example.cn", AT), repo.noteSoftBounce("s@example.cn", AT)]);
      expect(await repo.noteSoftBounce("s@example.cn", AT)).toBe(4);
      await repo.clearSoftBounces("s@example.cn");
      await repo.clearSoftBounces("never@example.cn");
      expect(await repo.noteSoftBounce("s@example.cn", AT)).toBe(1);
    });
  });
}
