import { describe, expect, it } from "vitest";
import { parsePdfText } from "./parse-pdf-text.ts";

// Two layouts the text of a PDF gives that the samples do not show, both as `pdftotext` writes them
// for a bulletin typeset in 三号 with 楷体 titles at the body's size.
describe("text extracted from a PDF", () => {
  it("reads a title broken over two lines, with its first paragraph straight under it", () => {
    const text = [
      "【会员消息】",
      "山西联通开展多项活动隆重纪念中国人民抗日战争暨世界反法西斯",
      "战争胜利80周年",
      "9月份以来，为铭记历史、缅怀先烈，传承和弘扬伟大抗战精",
      "神与爱国主义精神，山西联通开展多项活动，隆重纪念中国人民抗",
      "日战争暨世界反法西斯战争胜利80周年。",
      "9月3日清晨，山西联通本部举行了升国旗仪式。伴随着雄壮的",
      "《义勇军进行曲》，五星红旗在办公楼前冉冉升起。",
      "（张俊清 王丽）",
      "山西电信在全省信息产业新技术职工职业技能竞赛5G应用赛项中斩",
      "获佳绩",
      "9月19日，山西省信息产业新技术职工职业技能竞赛5G应用赛项",
      "决赛在太原落下帷幕。",
      "报：中国通信企业协会",
    ].join("\n");
    const [a, b] = parsePdfText(text).issue.sections[0]!.articles;
    expect(a).toEqual({
      title: "山西联通开展多项活动隆重纪念中国人民抗日战争暨世界反法西斯战争胜利80周年",
      authors: ["张俊清", "王丽"],
      paragraphs: [
        "9月份以来，为铭记历史、缅怀先烈，传承和弘扬伟大抗战精神与爱国主义精神，山西联通开展多项活动，隆重纪念中国人民抗日战争暨世界反法西斯战争胜利80周年。",
        "9月3日清晨，山西联通本部举行了升国旗仪式。伴随着雄壮的《义勇军进行曲》，五星红旗在办公楼前冉冉升起。",
      ],
    });
    expect(b).toMatchObject({
      title: "山西电信在全省信息产业新技术职工职业技能竞赛5G应用赛项中斩获佳绩",
      paragraphs: [expect.stringMatching(/^9月19日/u)],
    });
  });

  it("reads a letter-spaced title given one character a line, with its author alone under it", () => {
    const text = [
      "【学习考察】",
      "初",
      "",
      "见",
      "",
      "雄",
      "",
      "安",
      "",
      "张华焰",
      "",
      "2017年，雄安新区设立。这座城是习近平总书记亲自决策、部",
      "署和推动的“未来之城”。",
      "发：本会理事",
    ].join("\n");
    const { issue, dropped } = parsePdfText(text);
    expect(issue.sections[0]!.articles).toEqual([
      {
        title: "初见雄安",
        authors: ["张华焰"],
        paragraphs: ["2017年，雄安新区设立。这座城是习近平总书记亲自决策、部署和推动的“未来之城”。"],
      },
    ]);
    expect(dropped.filter((d) => d.reason !== "markup")).toEqual([]);
  });
});
