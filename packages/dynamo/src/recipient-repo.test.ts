import { ConflictError, InvalidInputError, NotFoundError, type Recipient } from "@bulletin/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestTable, type TestTable } from "./test-table.test-support.ts";
import { DynamoRecipientRepo } from "./recipient-repo.ts";

let t: TestTable;
let repo: DynamoRecipientRepo;

beforeAll(async () => {
  t = await startTestTable();
  repo = new DynamoRecipientRepo({ client: t.client, tableName: t.tableName });
});
afterAll(() => t?.close());

const AT = "2025-09-01T08:00:00.000Z";

function recipient(email: string, over: Partial<Recipient> = {}): Recipient {
  return {
    email,
    name: "",
    organization: "",
    tier: "distribute",
    role: "",
    status: "active",
    createdAt: AT,
    updatedAt: AT,
    ...over,
  };
}

/** Every page of a listing, following cursors; fails on a runaway loop. */
async function listAll(from: DynamoRecipientRepo, query: Parameters<DynamoRecipientRepo["list"]>[0] = {}) {
  const pages: Recipient[][] = [];
  let cursor = query.cursor;
  do {
    const page = await from.list({ ...query, cursor });
    pages.push(page.items);
    cursor = page.cursor;
  } while (cursor && pages.length < 100);
  return pages;
}

describe("DynamoRecipientRepo: create, get, update, delete", () => {
  it("creates and reads back exactly the recipient (empty strings included)", async () => {
    const r = recipient("zhang.wei@example.cn", { name: "张伟", organization: "中国通信企业协会", role: "秘书长" });
    await repo.create(r);
    expect(await repo.get(r.email)).toEqual(r);
    expect(await repo.get("nobody@example.cn")).toBeNull();
  });

  it("refuses a second create of the same address with ConflictError", async () => {
    await repo.create(recipient("twice@example.cn"));
    await expect(repo.create(recipient("twice@example.cn", { name: "other" }))).rejects.toBeInstanceOf(ConflictError);
    expect((await repo.get("twice@example.cn"))?.name).toBe("");
  });

  it("refuses an invalid recipient before writing", async () => {
    const bad = { ...recipient("bad@example.cn"), tier: "vip" } as unknown as Recipient;
    await expect(repo.create(bad)).rejects.toBeInstanceOf(InvalidInputError);
    expect(await repo.get("bad@example.cn")).toBeNull();
  });

  it("updates the given fields and updatedAt, returning the new recipient", async () => {
    await repo.create(recipient("upd@example.cn", { name: "Li" }));
    const later = "2025-09-02T00:00:00.000Z";
    const updated = await repo.update("upd@example.cn", { organization: "Acme", role: "主任" }, later);
    expect(updated).toEqual(
      recipient("upd@example.cn", { name: "Li", organization: "Acme", role: "主任", updatedAt: later }),
    );
    expect(await repo.get("upd@example.cn")).toEqual(updated);
  });

  it("fails update and delete of a missing address with NotFoundError, creating nothing", async () => {
    await expect(repo.update("ghost@example.cn", { name: "x" }, AT)).rejects.toBeInstanceOf(NotFoundError);
    await expect(repo.delete("ghost@example.cn")).rejects.toBeInstanceOf(NotFoundError);
    expect(await repo.get("ghost@example.cn")).toBeNull();
  });

  it("deletes", async () => {
    await repo.create(recipient("gone@example.cn"));
    await repo.delete("gone@example.cn");
    expect(await repo.get("gone@example.cn")).toBeNull();
    await expect(repo.delete("gone@example.cn")).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe("DynamoRecipientRepo: getMany", () => {
  it("reads 250 addresses in chunks, ignoring duplicates and missing ones", async () => {
    const emails = Array.from({ length: 250 }, (_, i) => `many${String(i).padStart(3, "0")}@example.org`);
    for (const email of emails) await repo.create(recipient(email, { tier: "copy", name: `Many ${email}` }));
    const asked = [...emails, emails[0] as string, "missing-1@example.org", "missing-2@example.org"];
    const found = await repo.getMany(asked);
    expect(found.size).toBe(250);
    expect([...found.keys()].sort()).toEqual(emails);
    expect(found.get(emails[42] as string)).toEqual(
      recipient(emails[42] as string, { tier: "copy", name: `Many ${emails[42]}` }),
    );
    expect((await repo.getMany([])).size).toBe(0);
  });

  it("loops over DynamoDB pages that a filter left empty (more than 200 rows evaluated)", async () => {
    // "many249" sorts after the first 200 rows of gsi2: the first DynamoDB page matches nothing.
    const page = await repo.list({ q: "MANY249", limit: 5 });
    expect(page.items.map((r) => r.email)).toEqual(["many249@example.org"]);
    expect(page.cursor).toBeUndefined();
    const all = (await listAll(repo, { tier: "copy", q: "many", limit: 100 })).flat();
    expect(all).toHaveLength(250);
  });
});

describe("DynamoRecipientRepo: list", () => {
  // A separate table, so counts are not disturbed by the tests above.
  let lt: TestTable;
  let list: DynamoRecipientRepo;
  const emails = Array.from({ length: 25 }, (_, i) => `r${String(i).padStart(2, "0")}@example.com`);

  beforeAll(async () => {
    lt = await startTestTable("bulletin-list-test");
    list = new DynamoRecipientRepo({ client: lt.client, tableName: lt.tableName });
    for (const [i, email] of emails.entries()) {
      await list.create(
        recipient(email, {
          tier: (["report", "distribute", "copy"] as const)[i % 3],
          status: i % 5 === 0 ? "unsubscribed" : "active",
          name: i === 7 ? "Wang FANG" : `Person ${i}`,
          organization: i === 11 ? "北京市通信管理局" : "Member Co",
        }),
      );
    }
  });
  afterAll(() => lt?.close());

  it("pages 25 recipients by 10: three pages, in address order, no duplicates", async () => {
    const pages = await listAll(list, { limit: 10 });
    expect(pages.map((p) => p.length)).toEqual([10, 10, 5]);
    expect(pages.flat().map((r) => r.email)).toEqual(emails);
  });

  it("has no cursor on a page that reaches the end exactly", async () => {
    const page = await list.list({ limit: 25 });
    expect(page.items).toHaveLength(25);
    expect(page.cursor).toBeUndefined();
  });

  it("filters by tier, by status, and by both", async () => {
    // Within a tier the order is status, then address (gsi1sk = <status>#<email>).
    const byTier = (await listAll(list, { tier: "report", limit: 3 })).flat();
    expect(byTier.map((r) => r.email)).toEqual([
      ...emails.filter((_, i) => i % 3 === 0 && i % 5 !== 0),
      ...emails.filter((_, i) => i % 3 === 0 && i % 5 === 0),
    ]);
    const unsub = (await listAll(list, { status: "unsubscribed", limit: 2 })).flat();
    expect(unsub.map((r) => r.email)).toEqual(emails.filter((_, i) => i % 5 === 0));
    const both = (await listAll(list, { tier: "report", status: "active", limit: 10 })).flat();
    expect(both.map((r) => r.email)).toEqual(emails.filter((_, i) => i % 3 === 0 && i % 5 !== 0));
  });

  it("fills a filtered page to the limit, looping over short DynamoDB pages", async () => {
    const page = await list.list({ status: "active", limit: 10 });
    expect(page.items).toHaveLength(10);
    expect(page.items.every((r) => r.status === "active")).toBe(true);
    const rest = (await listAll(list, { status: "active", limit: 10, cursor: page.cursor })).flat();
    expect([...page.items, ...rest].map((r) => r.email)).toEqual(emails.filter((_, i) => i % 5 !== 0));
  });

  it("searches email, name and organization, case-insensitively for ASCII", async () => {
    const emailsOf = async (q: string, extra = {}) =>
      (await listAll(list, { q, limit: 5, ...extra })).flat().map((r) => r.email);
    expect(await emailsOf("R07@EXAMPLE")).toEqual(["r07@example.com"]);
    expect(await emailsOf("wang fang")).toEqual(["r07@example.com"]);
    expect(await emailsOf("通信管理")).toEqual(["r11@example.com"]);
    expect(await emailsOf("member co", { tier: "copy", status: "unsubscribed" })).toEqual([
      "r05@example.com",
      "r20@example.com",
    ]);
    expect(await emailsOf("nothing-matches")).toEqual([]);
  });

  it("keeps the listings in step when tier and status change", async () => {
    const email = "r01@example.com"; // distribute, active
    await list.update(email, { tier: "report", status: "bounced" }, "2025-09-03T00:00:00.000Z");
    const emailsOf = async (q: Parameters<DynamoRecipientRepo["list"]>[0]) =>
      (await listAll(list, { ...q, limit: 100 })).flat().map((r) => r.email);
    expect(await emailsOf({ tier: "distribute" })).not.toContain(email);
    expect(await emailsOf({ tier: "report", status: "active" })).not.toContain(email);
    expect(await emailsOf({ tier: "report", status: "bounced" })).toEqual([email]);
    expect(await emailsOf({ status: "bounced" })).toEqual([email]);
    await list.update(email, { status: "active", name: "Renamed ZHAO" }, "2025-09-04T00:00:00.000Z");
    expect(await emailsOf({ tier: "report", status: "active" })).toContain(email);
    expect(await emailsOf({ tier: "report", status: "bounced" })).toEqual([]);
    expect(await emailsOf({ q: "zhao" })).toEqual([email]);
  });

  it("refuses a bad limit and a foreign or forged cursor with InvalidInputError", async () => {
    await expect(list.list({ limit: 0 })).rejects.toBeInstanceOf(InvalidInputError);
    await expect(list.list({ limit: 1000 })).rejects.toBeInstanceOf(InvalidInputError);
    const fromAll = (await list.list({ limit: 2 })).cursor;
    await expect(list.list({ tier: "copy", cursor: fromAll })).rejects.toBeInstanceOf(InvalidInputError);
    const tierCursor = (await list.list({ tier: "copy", limit: 2 })).cursor;
    await expect(list.list({ tier: "report", cursor: tierCursor })).rejects.toBeInstanceOf(InvalidInputError);
    await expect(list.list({ cursor: "not-a-cursor" })).rejects.toBeInstanceOf(InvalidInputError);
  });
});
