import { describe, expect, it } from "vitest";
import { displayWidth, joinWrapped, splitByline, splitOrganisations } from "./text-utils.ts";

describe("displayWidth", () => {
  it("counts CJK characters and CJK punctuation (including “”·—) as two columns, ASCII as one", () => {
    expect(displayWidth("2025年5月")).toBe(9);
    expect(displayWidth("“5·17”")).toBe(9);
    expect(displayWidth("—4—")).toBe(5);
  });
});

describe("joinWrapped", () => {
  it("joins Chinese without a space and Latin words with one", () => {
    expect(joinWrapped("累计建成1326", "家。")).toBe("累计建成1326家。");
    expect(joinWrapped("依托DeepSeek", "热线")).toBe("依托DeepSeek热线");
    expect(joinWrapped("Deep", "Seek")).toBe("Deep Seek");
  });
});

describe("splitByline", () => {
  it.each([
    ["作出新的更大贡献。 （郭旭婷）", "作出新的更大贡献。", ["郭旭婷"]],
    ["实现了“零故障”的目的。 （张俊清 王丽）", "实现了“零故障”的目的。", ["张俊清", "王丽"]],
    ["通报了相关情况。（秘书处）", "通报了相关情况。", ["秘书处"]],
    ["（李晔宇）", "", ["李晔宇"]],
  ])("takes the authors off %s", (paragraph, text, authors) => {
    expect(splitByline(paragraph)).toMatchObject({ text, authors });
  });

  it.each([
    ["a bracket inside a sentence", "重点协同企业“三清单”（第四批）"],
    ["a numbered point", "要求如下。（一）"],
    ["a reference", "具体办法见附件。（详见附件）"],
    ["a bracket that is not at the end", "联合（山西）公司开展活动。"],
    ["punctuation inside", "活动圆满结束。（完，待续）"],
  ])("leaves %s alone", (_what, paragraph) => {
    expect(splitByline(paragraph)).toBeNull();
  });
});

describe("splitOrganisations", () => {
  it("splits on 、 and trims", () => {
    expect(splitOrganisations(" 本会副理事长、常务理事、理事、团体会员单位 ")).toEqual([
      "本会副理事长",
      "常务理事",
      "理事",
      "团体会员单位",
    ]);
  });
});
