import { NotFoundError } from "@bulletin/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestTable, type TestTable } from "./test-table.test-support.ts";
import { DynamoSuppressionRepo } from "./suppression-repo.ts";

let t: TestTable;
let repo: DynamoSuppressionRepo;
const AT = "2025-09-01T08:00:00.000Z";

beforeAll(async () => {
  t = await startTestTable();
  repo = new DynamoSuppressionRepo({ client: t.client, tableName: t.tableName });
});
afterAll(() => t?.close());

describe("DynamoSuppressionRepo", () => {
  it("suppress: the first reason wins, repeats are no-ops", async () => {
    expect(await repo.suppress({ email: "a@example.cn", reason: "bounce", detail: "General", source: "s1 m1", at: AT })).toBe(true);
    expect(await repo.suppress({ email: "a@example.cn", reason: "complaint", at: AT })).toBe(false);
    expect(await repo.get("a@example.cn")).toEqual({ email: "a@example.cn", reason: "bounce", detail: "General", source: "s1 m1", createdAt: AT });
    expect(await repo.get("none@example.cn")).toBeNull();
  });

  it("suppressed: a batch answer", async () => {
    await repo.suppress({ email: "b@example.cn", reason: "complaint", at: AT });
    expect(await repo.suppressed(["a@example.cn", "b@example.cn", "c@example.cn", "a@example.cn"])).toEqual(new Set(["a@example.cn", "b@example.cn"]));
  });

  it("list pages through the SUPPRESSIONS index by address", async () => {
    for (const e of ["l3@x.cn", "l1@x.cn", "l2@x.cn"]) await repo.suppress({ email: e, reason: "manual", at: AT });
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await repo.list({ limit: 2, cursor });
      seen.push(...page.items.map((e) => e.email));
      cursor = page.cursor;
    } while (cursor);
    expect(seen).toEqual(["a@example.cn", "b@example.cn", "l1@x.cn", "l2@x.cn", "l3@x.cn"]);
  });

  it("lift removes the entry and keeps a log of who lifted it when", async () => {
    await repo.lift("b@example.cn", "token:admin-1", "2025-09-02T00:00:00.000Z");
    expect(await repo.get("b@example.cn")).toBeNull();
    expect(await repo.lifts("b@example.cn")).toEqual([
      { email: "b@example.cn", reason: "complaint", createdAt: AT, liftedBy: "token:admin-1", liftedAt: "2025-09-02T00:00:00.000Z" },
    ]);
    await expect(repo.lift("b@example.cn", "x", AT)).rejects.toBeInstanceOf(NotFoundError);
    // Suppressed again later: a new entry, the old lift stays in the log.
    expect(await repo.suppress({ email: "b@example.cn", reason: "bounce", at: "2025-10-01T00:00:00.000Z" })).toBe(true);
    expect(await repo.lifts("b@example.cn")).toHaveLength(1);
    expect((await repo.list({ limit: 100 })).items.map((e) => e.email)).toContain("b@example.cn");
  });

  it("soft bounces: counted, concurrent ones each count, cleared by a delivery", async () => {
    expect(await repo.noteSoftBounce("s@example.cn", AT)).toBe(1);
    await Promise.all([repo.noteSoftBounce("s@example.cn", AT), repo.noteSoftBounce("s@example.cn", AT)]);
    expect(await repo.noteSoftBounce("s@example.cn", AT)).toBe(4);
    await repo.clearSoftBounces("s@example.cn");
    await repo.clearSoftBounces("never@example.cn");
    expect(await repo.noteSoftBounce("s@example.cn", AT)).toBe(1);
  });
});
