import fc from "fast-check";
import type { Article, Issue } from "@bulletin/core";
import type { LayoutOptions } from "./layout-pdf-text.ts";

// Well-formed bulletins: what a PDF of the association's layout holds. Headlines are short and carry
// no sentence punctuation; paragraphs are sentences longer than one line and end in 。.
const HAN = [..."山西省通信行业协会召开第四次工作会议全面推进数字经济发展建设网络安全保障服务能力提升开展活动"];
const han = (min: number, max: number, alphabet = HAN) =>
  fc.array(fc.constantFrom(...alphabet), { minLength: min, maxLength: max }).map((a) => a.join(""));
// Headline words: none of them ends a headline as a complete statement (召开, 开通…) by chance.
const TITLE_HAN = HAN.filter((c) => c !== "召" && c !== "开");
// Sentences as the bulletin writes them: clauses of a few words, now and then a number, a Latin
// word, a quoted phrase or a bracket.
// A bracket follows the word it annotates: it ends a clause, never starts one.
const clause = fc
  .tuple(
    fc.array(fc.oneof({ weight: 6, arbitrary: han(2, 6) }, fc.constantFrom("2025年", "5G", "AI+", "“数智”", "30%")), {
      minLength: 1,
      maxLength: 4,
    }),
    fc.constantFrom("", "", "", "", "（山西）"),
  )
  .map(([parts, bracket]) => parts.join("") + bracket);
const sentence = fc.array(clause, { minLength: 1, maxLength: 4 }).map((parts) => `${parts.join("，")}。`);
// Longer than two lines, so that every paragraph has a full line: the margin is found from those.
const paragraphArb = (chars: number) =>
  fc
    .array(sentence, { minLength: 2, maxLength: 8 })
    .map((s) => s.join(""))
    .filter((p) => [...p].length > 2 * chars + 2);
const nameArb = fc.constantFrom("郝丹青", "张俊清", "王丽", "李静", "秘书处", "朱悦", "刘大奇");

function articleArb(chars: number): fc.Arbitrary<Article> {
  return fc
    .record({
      kicker: fc.option(fc.constantFrom("山西省通信管理局", "中移铁通山西运城分公司", "以“强党建 促发展”为主题"), {
        nil: undefined,
      }),
      title: han(4, Math.min(20, chars - 6), TITLE_HAN).map((t) => `${t}纪要`),
      subtitle: fc.option(
        han(4, 12, TITLE_HAN).map((t) => `${t}报道`),
        { nil: undefined },
      ),
      authors: fc.uniqueArray(nameArb, { maxLength: 2 }),
      paragraphs: fc.array(paragraphArb(chars), { minLength: 1, maxLength: 4 }),
    })
    .map(({ kicker, subtitle, title, ...rest }) => ({
      ...(kicker ? { kicker } : {}),
      // A title over a second headline ends as a complete statement would.
      title: subtitle ? `${title}召开` : title,
      ...(subtitle ? { subtitle } : {}),
      ...rest,
    }));
}

export function wellFormedIssueArb(chars: number): fc.Arbitrary<Issue> {
  const orgs = fc.uniqueArray(
    han(2, 10).map((o) => `${o}单位`),
    { minLength: 1, maxLength: 5 },
  );
  return fc
    .record({
      sections: fc.array(
        fc.record({
          name: fc.option(han(2, 6), { nil: null }),
          articles: fc.array(articleArb(chars), { minLength: 1, maxLength: 3 }),
        }),
        { minLength: 1, maxLength: 4 },
      ),
      distribution: fc.record({ report: orgs, distribute: orgs, copy: orgs }),
    })
    .map((issue) => ({
      // Only the first section can be unnamed: text before the first 【】 header.
      ...issue,
      sections: issue.sections.map((s, i) => (i > 0 && s.name === null ? { ...s, name: "协会消息" } : s)),
    }));
}

/** A well-formed bulletin and a layout to print it in, at 24 to 42 characters a line. */
export const laidOutBulletinArb: fc.Arbitrary<[Issue, LayoutOptions]> = fc
  .integer({ min: 24, max: 42 })
  .chain((chars) =>
    fc.tuple(
      wellFormedIssueArb(chars),
      fc.record({
        chars: fc.constant(chars),
        blankLines: fc.boolean(),
        crlf: fc.boolean(),
        pageEvery: fc.option(fc.integer({ min: 8, max: 40 }), { nil: undefined }),
        loseReportLabel: fc.boolean(),
      }),
    ),
  );
