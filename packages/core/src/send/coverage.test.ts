import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { importIssue } from "../issue/import/index.ts";
import { isGroupEntry, printedListCoverage } from "./coverage.ts";

const SAMPLE = importIssue(
  readFileSync(new URL("../../../../samples/bulletins/000_72499c077e53a44e.txt", import.meta.url), "utf8"),
).issue;

describe("printedListCoverage", () => {
  it("on the sample footer: organisations covered by equal or containing names, groups and positions neither", () => {
    const orgs = {
      report: ["中国通信企业协会", "山西省通信管理局"],
      distribute: ["山西移动"],
      copy: ["北京市通信行业协会"],
    };
    const c = printedListCoverage(SAMPLE.distribution, orgs);
    expect(c.report).toEqual({
      listed: ["中国通信企业协会", "山西省民政厅社会组织管理局", "山西省通信管理局领导", "各中心", "各处室"],
      covered: ["中国通信企业协会", "山西省通信管理局领导"],
      missing: ["山西省民政厅社会组织管理局"],
      groups: ["各中心", "各处室"],
    });
    expect(c.distribute).toMatchObject({
      covered: [],
      missing: [],
      groups: ["本会副理事长", "常务理事", "理事", "团体会员单位"],
    });
    expect(c.copy).toMatchObject({ covered: [], missing: [], groups: ["各省通信行业协会", "相关单位"] });
  });

  it("a recipient's organisation may contain the entry (山西省通信管理局 covers 省通信管理局), not the other way", () => {
    const d = { report: ["省通信管理局", "中国移动通信集团山西有限公司"], distribute: [], copy: [] };
    const c = printedListCoverage(d, { report: ["山西省通信管理局", "山西移动"], distribute: [], copy: [] });
    expect(c.report.covered).toEqual(["省通信管理局"]);
    expect(c.report.missing).toEqual(["中国移动通信集团山西有限公司"]);
  });

  it("knows group words from organisations", () => {
    for (const g of ["各省通信行业协会", "相关单位", "有关单位", "本会副理事长", "常务理事", "团体会员单位", "各中心"])
      expect(isGroupEntry(g), g).toBe(true);
    for (const o of ["山西省通信管理局领导", "中国通信企业协会", "山西移动", "理事会秘书处"])
      expect(isGroupEntry(o), o).toBe(false);
  });
});
