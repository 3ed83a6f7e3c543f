import { AssociationSettingsSchema, BulletinError } from "@bulletin/core";
import { PutCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestTable, type TestTable } from "./test-table.test-support.ts";
import { DynamoSettingsRepo } from "./settings-repo.ts";

let t: TestTable;
let repo: DynamoSettingsRepo;
beforeAll(async () => {
  t = await startTestTable();
  repo = new DynamoSettingsRepo({ client: t.client, tableName: t.tableName });
});
afterAll(() => t?.close());

describe("DynamoSettingsRepo", () => {
  it("has nothing until saved, then gives back exactly what was saved", async () => {
    expect(await repo.get()).toBeNull();
    const settings = AssociationSettingsSchema.parse({
      bulletinName: "山西通信",
      sender: "山西省通信行业协会秘书处",
      replyTo: "office@sxca.example.org",
      footer: "地址：太原市\n电话：0351-0000000",
      tiers: { report: { note: "请审阅。" } },
    });
    await repo.put({ settings, updatedAt: "2026-01-05T02:00:00.000Z", updatedBy: "王丽" });
    expect(await repo.get()).toEqual({ settings, updatedAt: "2026-01-05T02:00:00.000Z", updatedBy: "王丽" });
  });

  it("refuses a corrupt item instead of rendering with it", async () => {
    await t.client.send(
      new PutCommand({
        TableName: t.tableName,
        Item: { pk: "SETTINGS", sk: "SETTINGS", settingsJson: '{"sender":""}', updatedAt: "x", updatedBy: "y" },
      }),
    );
    await expect(repo.get()).rejects.toBeInstanceOf(BulletinError);
  });
});
