import { describe, expect, it } from "vitest";
import type { Recipient } from "../../audience/recipient.ts";
import { ConflictError, InvalidInputError, NotFoundError } from "../../errors/errors.ts";
import type { RecipientRepo } from "../../audience/recipient-repo.ts";

const T0 = "2025-05-01T00:00:00.000Z";
const r = (email: string, over: Partial<Recipient> = {}): Recipient => ({
  email,
  name: "张三",
  organization: "山西移动",
  tier: "distribute",
  role: "会员",
  status: "active",
  createdAt: T0,
  updatedAt: T0,
  ...over,
});

/** The RecipientRepo contract; `make` gives an empty repository. */
export function recipientRepoContract(name: string, make: () => Promise<RecipientRepo>) {
  describe(`${name}: the RecipientRepo contract`, () => {
    it("creates, reads, updates and deletes, with the port's errors", async () => {
      const repo = await make();
      await repo.create(r("a@example.cn"));
      await expect(repo.create(r("a@example.cn"))).rejects.toBeInstanceOf(ConflictError);
      expect(await repo.get("a@example.cn")).toEqual(r("a@example.cn"));
      expect(await repo.get("b@example.cn")).toBeNull();
      const updated = await repo.update(
        "a@example.cn",
        { tier: "copy", status: "bounced" },
        "2025-06-01T00:00:00.000Z",
      );
      expect(updated).toEqual(
        r("a@example.cn", { tier: "copy", status: "bounced", updatedAt: "2025-06-01T00:00:00.000Z" }),
      );
      await expect(repo.update("b@example.cn", { name: "x" }, T0)).rejects.toBeInstanceOf(NotFoundError);
      await repo.delete("a@example.cn");
      await expect(repo.delete("a@example.cn")).rejects.toBeInstanceOf(NotFoundError);
      expect((await repo.list()).items).toEqual([]);
    });

    it("reads many at once; a missing address is absent", async () => {
      const repo = await make();
      await repo.create(r("a@example.cn"));
      const got = await repo.getMany(["a@example.cn", "missing@example.cn", "a@example.cn"]);
      expect([...got.keys()]).toEqual(["a@example.cn"]);
      expect(got.get("a@example.cn")?.name).toBe("张三");
    });

    it("lists sorted by email, filtered by tier, status and q, page by page", async () => {
      const repo = await make();
      for (const x of [
        r("c@example.cn", { tier: "report" }),
        r("a@example.cn", { organization: "Shanxi Unicom" }),
        r("b@example.cn", { status: "unsubscribed" }),
        r("d@例子.公司", { name: "李四" }),
        r("e@example.cn"),
      ])
        await repo.create(x);
      expect((await repo.list()).items.map((x) => x.email)).toEqual([
        "a@example.cn",
        "b@example.cn",
        "c@example.cn",
        "d@例子.公司",
        "e@example.cn",
      ]);
      expect((await repo.list({ tier: "report" })).items.map((x) => x.email)).toEqual(["c@example.cn"]);
      expect((await repo.list({ status: "active", tier: "distribute" })).items.map((x) => x.email)).toEqual([
        "a@example.cn",
        "d@例子.公司",
        "e@example.cn",
      ]);
      expect((await repo.list({ q: "UNICOM" })).items.map((x) => x.email)).toEqual(["a@example.cn"]);
      expect((await repo.list({ q: "李四" })).items.map((x) => x.email)).toEqual(["d@例子.公司"]);
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await repo.list({ limit: 2, ...(cursor ? { cursor } : {}) });
        expect(page.items.length).toBeLessThanOrEqual(2);
        seen.push(...page.items.map((x) => x.email));
        cursor = page.cursor;
      } while (cursor);
      expect(seen).toEqual(["a@example.cn", "b@example.cn", "c@example.cn", "d@例子.公司", "e@example.cn"]);
    });

    it("refuses a forged cursor or a bad limit", async () => {
      const repo = await make();
      await repo.create(r("a@example.cn"));
      await expect(repo.list({ cursor: "not a cursor!" })).rejects.toBeInstanceOf(InvalidInputError);
      await expect(repo.list({ limit: 0 })).rejects.toBeInstanceOf(InvalidInputError);
    });
  });
}
