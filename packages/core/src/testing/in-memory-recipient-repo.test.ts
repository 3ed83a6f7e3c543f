import { describe, expect, it } from "vitest";
import type { Recipient } from "../audience/recipient.ts";
import { ConflictError, InvalidInputError, NotFoundError } from "../errors/errors.ts";
import { fixedClock, InMemoryRecipientRepo } from "./in-memory-recipient-repo.ts";

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

describe("InMemoryRecipientRepo", () => {
  it("creates, reads, updates and deletes, with the port's errors", async () => {
    const repo = new InMemoryRecipientRepo();
    await repo.create(r("a@example.cn"));
    await expect(repo.create(r("a@example.cn"))).rejects.toBeInstanceOf(ConflictError);
    expect(await repo.get("a@example.cn")).toEqual(r("a@example.cn"));
    expect(await repo.get("b@example.cn")).toBeNull();
    const updated = await repo.update("a@example.cn", { tier: "copy", status: "bounced" }, "2025-06-01T00:00:00.000Z");
    expect(updated).toEqual(r("a@example.cn", { tier: "copy", status: "bounced", updatedAt: "2025-06-01T00:00:00.000Z" }));
    await expect(repo.update("b@example.cn", { name: "x" }, T0)).rejects.toBeInstanceOf(NotFoundError);
    await repo.delete("a@example.cn");
    await expect(repo.delete("a@example.cn")).rejects.toBeInstanceOf(NotFoundError);
    expect(repo.all()).toEqual([]);
  });

  it("copies records in and out", async () => {
    const original = r("a@example.cn");
    const repo = new InMemoryRecipientRepo([original]);
    original.name = "changed outside";
    const got = await repo.get("a@example.cn");
    if (got) got.name = "changed by reader";
    expect((await repo.getMany(["a@example.cn", "missing@example.cn"])).get("a@example.cn")?.name).toBe("张三");
  });

  it("lists sorted by email, filtered by tier, status and q, page by page", async () => {
    const repo = new InMemoryRecipientRepo([
      r("c@example.cn", { tier: "report" }),
      r("a@example.cn", { organization: "Shanxi Unicom" }),
      r("b@example.cn", { status: "unsubscribed" }),
      r("d@例子.公司", { name: "李四" }),
      r("e@example.cn"),
    ]);
    expect((await repo.list()).items.map((x) => x.email)).toEqual(["a@example.cn", "b@example.cn", "c@example.cn", "d@例子.公司", "e@example.cn"]);
    expect((await repo.list({ tier: "report" })).items.map((x) => x.email)).toEqual(["c@example.cn"]);
    expect((await repo.list({ status: "active", tier: "distribute" })).items.map((x) => x.email)).toEqual(["a@example.cn", "d@例子.公司", "e@example.cn"]);
    expect((await repo.list({ q: "UNICOM" })).items.map((x) => x.email)).toEqual(["a@example.cn"]);
    expect((await repo.list({ q: "李四" })).items.map((x) => x.email)).toEqual(["d@例子.公司"]);

    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await repo.list({ limit: 2, ...(cursor ? { cursor } : {}) });
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((x) => x.email));
      cursor = page.cursor;
      if (cursor) expect(cursor).not.toContain("@");
    } while (cursor);
    expect(seen).toEqual(["a@example.cn", "b@example.cn", "c@example.cn", "d@例子.公司", "e@example.cn"]);
  });

  it("has no cursor on an exactly full last page, and refuses a forged cursor or a bad limit", async () => {
    const repo = new InMemoryRecipientRepo([r("a@example.cn"), r("b@example.cn")]);
    expect(await repo.list({ limit: 2 })).not.toHaveProperty("cursor");
    await expect(repo.list({ cursor: "not a cursor!" })).rejects.toBeInstanceOf(InvalidInputError);
    await expect(repo.list({ cursor: btoa("null") })).rejects.toBeInstanceOf(InvalidInputError);
    await expect(repo.list({ limit: 0 })).rejects.toBeInstanceOf(InvalidInputError);
  });
});

describe("fixedClock", () => {
  it("always says the same time, and refuses a non-date", () => {
    const clock = fixedClock(T0);
    expect(clock.now().toISOString()).toBe(T0);
    expect(clock.now()).not.toBe(clock.now());
    expect(() => fixedClock("yesterday")).toThrow(InvalidInputError);
  });
});
