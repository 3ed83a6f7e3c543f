import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseMarkdownIssue } from "./import/markdown-import.ts";
import { issueArb } from "./issue-arbitrary.test-support.ts";
import { IssueSchema, type Issue } from "./issue-schema.ts";
import { issueToMarkdown } from "./markdown-export.ts";

const ISSUE: Issue = {
  masthead: { title: "山西通信行业简报", number: "2025年第5期", date: "2025年5月31日" },
  sections: [
    { name: null, articles: [{ title: "工业和信息化部党组召开会议", authors: [], paragraphs: ["传达学习精神。"] }] },
    {
      name: "高层信息",
      articles: [
        {
          kicker: "山西省通信管理局",
          title: "中华人民共和国民营经济促进法开始施行",
          subtitle: "山西省级民营经济发展专项资金到位",
          authors: ["张三", "李四"],
          paragraphs: ["第一段。", "第二段。"],
        },
      ],
    },
  ],
  distribution: {
    report: ["中国通信企业协会", "山西省民政厅社会组织管理局"],
    distribute: ["本会副理事长", "常务理事"],
    copy: [],
  },
};

const MARKDOWN = `---
title: 山西通信行业简报
number: 2025年第5期
date: 2025年5月31日
---

## 工业和信息化部党组召开会议

传达学习精神。

# 【高层信息】

## 中华人民共和国民营经济促进法开始施行
引题：山西省通信管理局
副题：山西省级民营经济发展专项资金到位
作者：张三 李四

第一段。

第二段。

报：中国通信企业协会、山西省民政厅社会组织管理局
发：本会副理事长、常务理事
送：
`;

const EMPTY = { report: [], distribute: [], copy: [] };

describe("issueToMarkdown", () => {
  it("writes the documented format", () => {
    expect(issueToMarkdown(ISSUE)).toBe(MARKDOWN);
    expect(parseMarkdownIssue(MARKDOWN).issue).toStrictEqual(ISSUE);
  });

  it("does what its JSDoc example says", () => {
    const md = issueToMarkdown({
      sections: [{ name: "高层信息", articles: [{ title: "标题", authors: ["李静"], paragraphs: ["正文。"] }] }],
      distribution: { report: ["中国通信企业协会"], distribute: [], copy: [] },
    });
    expect(md).toBe("# 【高层信息】\n\n## 标题\n作者：李静\n\n正文。\n\n报：中国通信企业协会\n发：\n送：\n");
  });

  it("writes no front matter without a masthead, and an empty block for an empty masthead", () => {
    expect(issueToMarkdown({ sections: [], distribution: EMPTY })).toBe("报：\n发：\n送：\n");
    expect(issueToMarkdown({ masthead: {}, sections: [], distribution: EMPTY })).toBe("---\n---\n\n报：\n发：\n送：\n");
  });

  it("escapes paragraphs that would be read as markup, and keeps a byline out of the authors", () => {
    const issue: Issue = {
      sections: [
        {
          name: "【栏目】",
          articles: [
            {
              title: "",
              authors: [],
              paragraphs: ["# 不是标题", "报：不是页脚", "作者：不是标签", "\\", "", "正文。（李静）"],
            },
          ],
        },
      ],
      distribution: EMPTY,
    };
    const md = issueToMarkdown(issue);
    expect(md).toBe(
      "# 【【栏目】】\n\n##\n作者：\n\n\\# 不是标题\n\n\\报：不是页脚\n\n\\作者：不是标签\n\n\\\\\n\n\\\n\n正文。（李静）\n\n报：\n发：\n送：\n",
    );
    expect(parseMarkdownIssue(md).issue).toStrictEqual(issue);
  });

  it("marks a null-name section with a bare # unless it is the first one and has articles", () => {
    const article = { title: "标题", authors: [], paragraphs: [] };
    const issue: Issue = {
      sections: [
        { name: null, articles: [article] },
        { name: "甲", articles: [] },
        { name: null, articles: [article] },
        { name: null, articles: [] },
      ],
      distribution: EMPTY,
    };
    const md = issueToMarkdown(issue);
    expect(md).toBe("## 标题\n\n# 【甲】\n\n#\n\n## 标题\n\n#\n\n报：\n发：\n送：\n");
    expect(parseMarkdownIssue(md).issue).toStrictEqual(issue);
  });

  it("round-trips arbitrary Issues exactly, and the import always passes IssueSchema", () => {
    fc.assert(
      fc.property(issueArb, (issue) => {
        const back = parseMarkdownIssue(issueToMarkdown(issue)).issue;
        expect(back).toStrictEqual(issue);
        expect(IssueSchema.parse(back)).toStrictEqual(back);
      }),
      { numRuns: 500 },
    );
  });

  it("is stable: exporting the re-imported Issue gives the same Markdown", () => {
    fc.assert(
      fc.property(issueArb, (issue) => {
        const md = issueToMarkdown(issue);
        expect(issueToMarkdown(parseMarkdownIssue(md).issue)).toBe(md);
      }),
    );
  });
});
