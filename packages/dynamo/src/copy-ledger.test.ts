import { QueryCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DynamoCopyLedger } from "./copy-ledger.ts";
import { startTestTable, type TestTable } from "./test-table.test-support.ts";

let t: TestTable;
let copies: DynamoCopyLedger;

beforeAll(async () => {
  t = await startTestTable();
  copies = new DynamoCopyLedger({ client: t.client, tableName: t.tableName });
});
afterAll(() => t?.close());

describe("DynamoCopyLedger", () => {
  it("answers who already received an issue, per issue, for any number of addresses", async () => {
    const at = "2025-09-01T08:00:00.000Z";
    await copies.markReceived("i1", "a@example.cn", "s1", at);
    await copies.markReceived("i1", "b@example.cn", "s1", at);
    await copies.markReceived("i2", "c@example.cn", "s2", at);
    await copies.markReceived("i1", "a@example.cn", "s3", at); // a re-send: harmless
    const asked = ["a@example.cn", "b@example.cn", "c@example.cn", "a@example.cn"];
    expect(await copies.received("i1", asked)).toEqual(new Set(["a@example.cn", "b@example.cn"]));
    expect(await copies.received("i2", asked)).toEqual(new Set(["c@example.cn"]));
    expect(await copies.received("i3", asked)).toEqual(new Set());
    expect(await copies.received("i1", [])).toEqual(new Set());
  });

  it("reads more than one BatchGetItem's worth (100 keys)", async () => {
    const emails = Array.from({ length: 250 }, (_, i) => `p${i}@example.cn`);
    await Promise.all(emails.filter((_, i) => i % 3 === 0).map((e) => copies.markReceived("big", e, "s", "2025-09-01T08:00:00.000Z")));
    const got = await copies.received("big", emails);
    expect(got.size).toBe(84);
    expect(got.has("p249@example.cn")).toBe(true);
  });

  it("keeps the markers in the issue's partition, so 'who got issue Y' is one Query", async () => {
    const res = await t.client.send(
      new QueryCommand({
        TableName: t.tableName,
        KeyConditionExpression: "pk = :pk AND begins_with(sk, :c)",
        ExpressionAttributeValues: { ":pk": "ISSUE#i1", ":c": "COPY#" },
      }),
    );
    expect(res.Items?.map((i) => [i.email, i.sendId])).toEqual([
      ["a@example.cn", "s3"],
      ["b@example.cn", "s1"],
    ]);
  });
});
