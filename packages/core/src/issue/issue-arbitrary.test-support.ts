/**
 * fast-check arbitraries for Issues, for property tests of the exporters and importers. Strings
 * mix Chinese, ASCII and the characters the formats treat as markup, and often start with
 * something an importer could misread (#, 报：, 作者：, \, ---) or end in a byline （名字）.
 */
import fc from "fast-check";
import type { Article, Distribution, Issue, Masthead, Section } from "./issue-schema.ts";

const CHARS = [
  ..."山西通信行业简报高层信息民营经济促进法开始施行张三李四静王丽报发送引题副题作者",
  ..."abcXYZ019",
  ..."#*_-\\:：【】（）()、，,；;。！？“”·… \u3000\t",
];
const char = fc.constantFrom(...CHARS);
const TRICKY_PREFIXES = [
  "#",
  "# ",
  "## ",
  "### ",
  "#### ",
  "报：",
  "发:",
  "送 ：",
  "引题：",
  "副题：",
  "作者：",
  "kicker: ",
  "Subtitle:",
  "authors:",
  "\\",
  "\\\\",
  "---",
  "【",
  "】",
  "**",
  "_",
];
const TRICKY_SUFFIXES = ["。（李静）", "。 （张俊清 王丽）", "（李静）", "【】", "】", "\\", "：", "、"];

/** Any text the model can hold on one line: no line break, no surrounding whitespace; may be "". */
export const lineText: fc.Arbitrary<string> = fc
  .tuple(
    fc.option(fc.constantFrom(...TRICKY_PREFIXES), { nil: "", freq: 2 }),
    fc.string({ unit: char, maxLength: 12 }),
    fc.option(fc.constantFrom(...TRICKY_SUFFIXES), { nil: "", freq: 2 }),
  )
  .map(([a, b, c]) => (a + b + c).trim());

export const nonEmptyText: fc.Arbitrary<string> = lineText.filter((s) => s !== "");

/** A token with none of the given separators in it (authors, organisations). */
function token(separators: RegExp): fc.Arbitrary<string> {
  return nonEmptyText.map((s) => s.replace(separators, "").trim()).filter((s) => s !== "");
}

export const authorArb = token(/[\s、,，]/gu);
export const organisationArb = token(/[、，,；;]/gu);

export const mastheadArb: fc.Arbitrary<Masthead> = fc.record(
  { title: lineText, number: lineText, date: lineText },
  { requiredKeys: [], noNullPrototype: true },
);

export const articleArb: fc.Arbitrary<Article> = fc.record(
  {
    kicker: lineText,
    title: lineText,
    subtitle: lineText,
    authors: fc.array(authorArb, { maxLength: 3 }),
    paragraphs: fc.array(lineText, { maxLength: 4 }),
  },
  { requiredKeys: ["title", "authors", "paragraphs"], noNullPrototype: true },
);

export const sectionArb: fc.Arbitrary<Section> = fc.record(
  {
    name: fc.option(nonEmptyText, { nil: null }),
    articles: fc.array(articleArb, { maxLength: 3 }),
  },
  { noNullPrototype: true },
);

export const distributionArb: fc.Arbitrary<Distribution> = fc.record(
  {
    report: fc.array(organisationArb, { maxLength: 3 }),
    distribute: fc.array(organisationArb, { maxLength: 3 }),
    copy: fc.array(organisationArb, { maxLength: 3 }),
  },
  { noNullPrototype: true },
);

/** Any valid Issue within the round-trip preconditions of the Markdown format. */
export const issueArb: fc.Arbitrary<Issue> = fc.record(
  {
    masthead: mastheadArb,
    sections: fc.array(sectionArb, { maxLength: 4 }),
    distribution: distributionArb,
  },
  { requiredKeys: ["sections", "distribution"], noNullPrototype: true },
);
