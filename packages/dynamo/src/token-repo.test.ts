import { ConflictError, type StoredToken } from "@bulletin/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestTable, type TestTable } from "./test-table.test-support.ts";
import { DynamoTokenRepo } from "./token-repo.ts";

let t: TestTable;
let repo: DynamoTokenRepo;

beforeAll(async () => {
  t = await startTestTable();
  repo = new DynamoTokenRepo({ client: t.client, tableName: t.tableName });
});
afterAll(() => t?.close());

const hash = (c: string) => c.repeat(64);

describe("DynamoTokenRepo", () => {
  it("has no admin in an empty table, nor with only other roles", async () => {
    expect(await repo.hasAdmin()).toBe(false);
    await repo.create({ hash: hash("a"), role: "secretariat", label: "秘书处", createdAt: "2025-09-01T00:00:00.000Z" });
    await repo.create({ hash: hash("b"), role: "viewer", label: "viewer", createdAt: "2025-09-01T00:00:00.000Z" });
    expect(await repo.hasAdmin()).toBe(false);
  });

  it("finds a token by hash, and knows when an admin exists", async () => {
    const admin: StoredToken = { hash: hash("c"), role: "admin", label: "first start", createdAt: "2025-09-02T00:00:00.000Z" };
    await repo.create(admin);
    expect(await repo.findByHash(admin.hash)).toEqual(admin);
    expect(await repo.findByHash(hash("d"))).toBeNull();
    expect(await repo.hasAdmin()).toBe(true);
  });

  it("refuses a second token with the same hash with ConflictError", async () => {
    await expect(
      repo.create({ hash: hash("a"), role: "admin", label: "dup", createdAt: "2025-09-03T00:00:00.000Z" }),
    ).rejects.toBeInstanceOf(ConflictError);
    expect((await repo.findByHash(hash("a")))?.role).toBe("secretariat");
  });
});
