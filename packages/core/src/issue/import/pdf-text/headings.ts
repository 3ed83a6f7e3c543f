import type { Article } from "../../issue-schema.ts";
import { joinWrapped } from "../text-utils.ts";

type Heading = Pick<Article, "kicker" | "title" | "subtitle" | "authors">;

// A line printed above a headline: the theme of an event, or a bare organisation name.
const THEME_KICKER = /^以.+为主题$/u;
const ORGANISATION =
  /^[^，。、：；\s]{3,24}(局|厅|委员会|委|办公室|部|院|所|中心|公司|集团|协会|学会|联合会|研究会|商会|大学|学院|银行|分行|支行|基金会|工会|党委|党组|秘书处)$/u;
// The second line continues the first when it starts with a conjunction or an opening bracket…
const CONTINUES = /^[和与及暨并而、“‘《（(「『]/u;
// …but a line starting with dashes (——记…) is a subtitle.
export const SUBTITLE_DASHES = /^[—–―－]{1,2}\s*/u;
// …or when the first line stops on a word that needs more after it.
const INCOMPLETE_END = /[和与及暨的在对为向把将被从由、—–“‘《（(「『]$/u;
// A headline that ends on one of these is a complete statement: a second line under it is a second headline.
const COMPLETE_END =
  /(施行|实施|到位|举行|举办|召开|落幕|闭幕|开幕|启幕|启动|发布|印发|出台|上线|开通|成立|揭牌|签约|通过|完成|成功|获奖|喜讯|佳绩|荣誉|纪实|侧记|综述)$/u;
// A letter-spaced title: single characters separated by spaces ("初 见 雄 安").
export const LETTER_SPACED = /^\S(?:[\s\u3000]+\S){2,}$/u;
// A line holding only an author's name (or names), as under a letter-spaced feature title.
export const NAME_LINE =
  /^(?:(?:文|作者|撰稿)[/／:：]\s*)?(\p{Script=Han}{2,4}(?:[\s\u3000]+\p{Script=Han}{2,4}){0,3})$/u;
export const AUTHOR_PREFIX = /^(?:文|作者|撰稿)[/／:：]\s*/u;

/**
 * Interprets the one to four short lines above an article's first paragraph:
 * - organisation line + headline, or "以…为主题" + headline → kicker + title;
 * - one headline broken over two lines → the title, rejoined;
 * - two complete headlines, or a second starting with —— → title + subtitle (without the dashes);
 * - a letter-spaced title with the author alone on the next line → title (spaces removed) + authors.
 * Returns the text that is markup and not content (an author prefix such as "作者："), for accounting.
 *
 * @example
 * interpretHeading(["山西省通信管理局", "深入开展非应邀商业电子信息及电信网络诈骗治理"]);
 * // { heading: { kicker: "山西省通信管理局", title: "深入开展…治理", authors: [] }, markup: [] }
 */
export function interpretHeading(input: readonly string[]): { heading: Heading; markup: string[] } {
  let lines = [...input];
  const markup: string[] = [];
  let authors: string[] = [];
  const last = lines[lines.length - 1];
  const nameLine = last !== undefined ? NAME_LINE.exec(last) : null;
  if (lines.length >= 2 && nameLine && (LETTER_SPACED.test(lines[0]!) || AUTHOR_PREFIX.test(last!))) {
    authors = nameLine[1]!.split(/[\s\u3000]+/u);
    const prefix = AUTHOR_PREFIX.exec(last!)?.[0];
    if (prefix) markup.push(prefix);
    lines = lines.slice(0, -1);
  }
  lines = lines.map((l) => (LETTER_SPACED.test(l) ? l.replace(/[\s\u3000]+/gu, "") : l));

  const heading: Heading = { title: "", authors };
  if (lines.length >= 2 && (THEME_KICKER.test(lines[0]!) || ORGANISATION.test(lines[0]!))) {
    heading.kicker = lines[0]!;
    lines = lines.slice(1);
  }
  const dashed = lines.findIndex((l, i) => i > 0 && SUBTITLE_DASHES.test(l));
  if (dashed > 0) {
    const dashes = SUBTITLE_DASHES.exec(lines[dashed]!)![0];
    markup.push(dashes);
    heading.title = lines.slice(0, dashed).reduce(joinWrapped);
    heading.subtitle = [lines[dashed]!.slice(dashes.length), ...lines.slice(dashed + 1)].reduce(joinWrapped);
    return { heading, markup };
  }
  const [first = "", second, ...more] = lines;
  if (second === undefined) heading.title = first;
  else if (CONTINUES.test(second) || INCOMPLETE_END.test(first) || !COMPLETE_END.test(first)) {
    heading.title = joinWrapped(first, second);
    if (more.length) heading.subtitle = more.reduce(joinWrapped);
  } else {
    heading.title = first;
    heading.subtitle = [second, ...more].reduce(joinWrapped);
  }
  return { heading, markup };
}
