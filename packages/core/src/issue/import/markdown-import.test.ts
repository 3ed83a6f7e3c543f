import { describe, expect, it } from "vitest";
import { ImportError } from "../../errors/errors.ts";
import { IssueSchema, type Issue } from "../issue-schema.ts";
import { escapeMarkdownParagraph, parseMarkdownIssue } from "./markdown-import.ts";

// Every feature of the format: front matter, text before the first section, bracketed and plain
// section names, label lines (Chinese and English, ### subtitle), wrapped lines, verbatim emphasis,
// escapes, bylines, a headingless article, a bare # section, and a footer with continuation lines.
const SAMPLE = `---
title: 山西通信行业简报
number: 2025年第5期
date: 2025年5月31日
---

工业和信息化部党组召开会议，
传达学习重要讲话精神。

# 【高层信息】

## 中华人民共和国民营经济促进法开始施行
引题：山西省通信管理局
副题：山西省级民营经济发展专项资金到位
作者：张三、李四

First paragraph text. Lines inside one paragraph may be
wrapped; they are rejoined.

**Second** paragraph _kept_ verbatim.

## 初见雄安
### 一座未来之城

雄安新区建设取得新进展。

\\# 话题不是标题。

累计建成1326家。 （李静）

# 行业动态

第一段没有标题。

## 5G专网
kicker: 以“数智赋能”为主题
authors: 王丽

内容。（郭旭婷）

#

## Null section again

\\报：这不是页脚。

报：中国通信企业协会、山西省民政厅社会组织管理局
山西省通信管理局领导、各中心、各处室
发: 本会副理事长、常务理事、理事、团体会员单位
送：
`;

const EXPECTED: Issue = {
  masthead: { title: "山西通信行业简报", number: "2025年第5期", date: "2025年5月31日" },
  sections: [
    {
      name: null,
      articles: [{ title: "", authors: [], paragraphs: ["工业和信息化部党组召开会议，传达学习重要讲话精神。"] }],
    },
    {
      name: "高层信息",
      articles: [
        {
          kicker: "山西省通信管理局",
          title: "中华人民共和国民营经济促进法开始施行",
          subtitle: "山西省级民营经济发展专项资金到位",
          authors: ["张三", "李四"],
          paragraphs: [
            "First paragraph text. Lines inside one paragraph may be wrapped; they are rejoined.",
            "**Second** paragraph _kept_ verbatim.",
          ],
        },
        {
          title: "初见雄安",
          subtitle: "一座未来之城",
          authors: ["李静"],
          paragraphs: ["雄安新区建设取得新进展。", "# 话题不是标题。", "累计建成1326家。"],
        },
      ],
    },
    {
      name: "行业动态",
      articles: [
        { title: "", authors: [], paragraphs: ["第一段没有标题。"] },
        // An authors: line was given, so the byline stays in the text.
        { kicker: "以“数智赋能”为主题", title: "5G专网", authors: ["王丽"], paragraphs: ["内容。（郭旭婷）"] },
      ],
    },
    { name: null, articles: [{ title: "Null section again", authors: [], paragraphs: ["报：这不是页脚。"] }] },
  ],
  distribution: {
    report: ["中国通信企业协会", "山西省民政厅社会组织管理局", "山西省通信管理局领导", "各中心", "各处室"],
    distribute: ["本会副理事长", "常务理事", "理事", "团体会员单位"],
    copy: [],
  },
};

function importError(text: string): ImportError {
  try {
    parseMarkdownIssue(text);
  } catch (e) {
    if (e instanceof ImportError) return e;
    throw e;
  }
  throw new Error("expected an ImportError");
}

describe("parseMarkdownIssue", () => {
  it("parses a sample with every feature to the exact Issue", () => {
    const result = parseMarkdownIssue(SAMPLE);
    expect(result.issue).toStrictEqual(EXPECTED);
    expect(result.format).toBe("markdown");
    expect(result.warnings).toEqual(["line 7: paragraphs with no ## title", "line 33: paragraphs with no ## title"]);
    expect(IssueSchema.parse(result.issue)).toStrictEqual(result.issue);
  });

  it("lists the markup it drops: labels, brackets, escapes and the byline", () => {
    const { dropped } = parseMarkdownIssue(SAMPLE);
    expect(dropped).toContainEqual({ line: 10, text: "【】", reason: "markup" });
    expect(dropped).toContainEqual({ line: 13, text: "引题：", reason: "markup" });
    expect(dropped).toContainEqual({ line: 27, text: "\\", reason: "markup" });
    expect(dropped).toContainEqual({ line: 29, text: " （李静）", reason: "markup" });
    expect(dropped).toContainEqual({ line: 49, text: "发: ", reason: "markup" });
    expect(dropped.every((d) => d.reason === "markup")).toBe(true);
  });

  it("does what its JSDoc examples say", () => {
    const { issue } = parseMarkdownIssue("# 【高层信息】\n\n## 标题\n\n正文。\n\n报：中国通信企业协会\n");
    expect(issue.sections[0]?.articles[0]?.paragraphs).toEqual(["正文。"]);
    expect(issue.distribution.report).toEqual(["中国通信企业协会"]);
    expect(escapeMarkdownParagraph("报：见附件")).toBe("\\报：见附件");
    expect(escapeMarkdownParagraph("正文。")).toBe("正文。");
  });

  it("gives the same Issue for CRLF line ends and a UTF-8 BOM", () => {
    expect(parseMarkdownIssue(`\uFEFF${SAMPLE.replace(/\n/g, "\r\n")}`).issue).toStrictEqual(EXPECTED);
    expect(parseMarkdownIssue(`\uFEFF${SAMPLE}`).issue).toStrictEqual(EXPECTED);
  });

  it("rejoins paragraphs however their lines are wrapped, and ignores indentation and extra blank lines", () => {
    const rewrapped = SAMPLE.replace(
      "工业和信息化部党组召开会议，\n传达学习重要讲话精神。",
      "工业和信息化\n部党组召开会议，传达\n学习重要讲话精神。",
    )
      .replace("may be\nwrapped; they are rejoined.", "may\n  be wrapped; they\nare rejoined.")
      .replace("累计建成1326家。 （李静）", "\u3000\u3000累计建成1326\n家。 （李静）")
      .replace("# 行业动态\n", "# 行业动态\n\n\n");
    expect(parseMarkdownIssue(rewrapped).issue).toStrictEqual(EXPECTED);
  });

  it("has no masthead without front matter, an empty one for an empty block, and [] for missing tiers", () => {
    const { issue } = parseMarkdownIssue("## 标题\n\n正文。\n");
    expect(issue).toStrictEqual({
      sections: [{ name: null, articles: [{ title: "标题", authors: [], paragraphs: ["正文。"] }] }],
      distribution: { report: [], distribute: [], copy: [] },
    });
    expect(parseMarkdownIssue("---\n---\n").issue.masthead).toStrictEqual({});
    expect(parseMarkdownIssue("发：甲、乙\n").issue.distribution).toStrictEqual({
      report: [],
      distribute: ["甲", "乙"],
      copy: [],
    });
  });

  it("takes a byline standing alone as the last paragraph as the authors, and keeps it after an empty 作者：", () => {
    expect(parseMarkdownIssue("## 标题\n\n正文。\n\n（张俊清 王丽）\n").issue.sections[0]?.articles[0]).toStrictEqual({
      title: "标题",
      authors: ["张俊清", "王丽"],
      paragraphs: ["正文。"],
    });
    expect(parseMarkdownIssue("## 标题\n作者：\n\n正文。（李静）\n").issue.sections[0]?.articles[0]).toStrictEqual({
      title: "标题",
      authors: [],
      paragraphs: ["正文。（李静）"],
    });
  });

  it("reads label lines only before the first paragraph, and accepts a bare # and # name sections", () => {
    const { issue } = parseMarkdownIssue("# 高层信息\n\n## 标题\n\n正文。\n作者：不是标签\n\n#\n");
    expect(issue.sections).toStrictEqual([
      { name: "高层信息", articles: [{ title: "标题", authors: [], paragraphs: ["正文。作者：不是标签"] }] },
      { name: null, articles: [] },
    ]);
  });

  it("rejects an unknown front-matter key, naming its line", () => {
    const e = importError("---\ntitle: 简报\nauthor: 张三\n---\n\n## 标题\n");
    expect(e.code).toBe("import.markdown");
    expect(e.where).toBe("line 3");
    expect(e.message).toMatch(/unknown front-matter key "author"/);
  });

  it("rejects unterminated front matter at line 1", () => {
    const e = importError("---\ntitle: 简报\n\n## 标题\n\n正文。\n");
    expect(e.code).toBe("import.markdown");
    expect(e.where).toBe("line 1");
    expect(e.message).toMatch(/never closed/);
  });

  it.each([
    ["a front-matter line that is not key: value", "---\n标题\n---\n", "line 2"],
    ["a repeated front-matter key", "---\ndate: 1\ndate: 2\n---\n", "line 3"],
    ["a repeated label line", "## 标题\n引题：甲\nkicker: 乙\n", "line 3"],
    ["### after the first paragraph", "## 标题\n\n正文。\n\n### 副题\n", "line 5"],
    ["### with no ## above it", "# 【栏目】\n### 副题\n", "line 2"],
    ["a #### heading", "## 标题\n#### 小标题\n", "line 2"],
    ["an empty section name", "# 【】\n", "line 1"],
    ["a heading after the footer", "## 标题\n\n报：甲\n\n## 又一篇\n", "line 5"],
  ])("rejects %s", (_what, text, where) => {
    const e = importError(text);
    expect(e.code).toBe("import.markdown");
    expect(e.where).toBe(where);
    expect(e.message.startsWith(`${where}: `)).toBe(true);
  });
});
