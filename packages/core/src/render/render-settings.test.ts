import { describe, expect, it } from "vitest";
import { AssociationSettingsSchema, subjectFromTemplate } from "./render-settings.ts";

describe("subjectFromTemplate", () => {
  it("fills {前缀}{刊名}{期号}{日期}, leaving out what is missing with its brackets and spaces", () => {
    const values = { 前缀: "【报送】", 刊名: "山西通信", 期号: "2026年第1期", 日期: "2026年1月30日" };
    expect(subjectFromTemplate("{前缀}{刊名} {期号}", values)).toBe("【报送】山西通信 2026年第1期");
    expect(subjectFromTemplate("{前缀}{刊名}（{期号}，{日期}）", values)).toBe(
      "【报送】山西通信（2026年第1期，2026年1月30日）",
    );
    expect(subjectFromTemplate("{前缀}{刊名} {期号} {日期}", { 前缀: "", 刊名: "山西通信" })).toBe("山西通信");
    expect(subjectFromTemplate("{刊名}（{期号}）", { 刊名: "山西通信" })).toBe("山西通信");
    expect(subjectFromTemplate("{刊名} {期号}", { 刊名: "山西通信", 期号: "第1期\r\nBcc: x@y.z" })).toBe(
      "山西通信 第1期 Bcc: x@y.z",
    );
  });

  it("the settings refuse an unknown placeholder, a subject without the name or number, and line breaks", () => {
    expect(AssociationSettingsSchema.safeParse({ subjectTemplate: "{前缀}{刊名}{期号}" }).success).toBe(true);
    expect(AssociationSettingsSchema.safeParse({ subjectTemplate: "{前缀}{名称}" }).success).toBe(false);
    expect(AssociationSettingsSchema.safeParse({ subjectTemplate: "{前缀}本月简报" }).success).toBe(false);
    expect(AssociationSettingsSchema.safeParse({ sender: "秘书处\nBcc: a@b.c" }).success).toBe(false);
    expect(AssociationSettingsSchema.safeParse({ footer: "地址：太原\n电话：0351" }).success).toBe(true);
    expect(AssociationSettingsSchema.safeParse({ footer: "a\u0000b" }).success).toBe(false);
  });
});
