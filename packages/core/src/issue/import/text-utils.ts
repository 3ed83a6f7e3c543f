/**
 * Small text helpers shared by the importers: display width, rejoining wrapped lines, bylines,
 * organisation lists. Chinese text is joined without spaces; a space is kept only between two
 * Latin words.
 */

/** Characters that print two columns wide in a CJK layout, including the "ambiguous" ones (“”·—…×). */
const WIDE =
  /[\u1100-\u115F\u2010-\u2027\u2030-\u203E\u2190-\u21FF\u2200-\u22FF\u2460-\u24FF\u2500-\u27BF\u2E80-\u303E\u3040-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE10-\uFE6F\uFF00-\uFF60\uFFE0-\uFFE6\u00A7\u00A8\u00B0\u00B1\u00B7\u00D7\u00F7]|[\u{20000}-\u{3FFFD}]|[\u{1F300}-\u{1FAFF}]/u;

/**
 * How many columns a line takes when printed in a CJK font: full-width characters count 2,
 * ASCII counts 1. Paragraph and heading inference works in these units, because lines in the PDF
 * are wrapped by printed width, not by character count.
 *
 * @example
 * displayWidth("2025年5月"); // 4 + 2 + 1 + 2 = 9
 */
export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += WIDE.test(ch) ? 2 : 1;
  return w;
}

const LATIN_END = /[A-Za-z]$/;
const LATIN_START = /^[A-Za-z]/;

/**
 * Joins two pieces of one wrapped line: no separator in Chinese text (a PDF line break inside a word
 * or sentence is not a space), one space between two Latin words.
 *
 * @example
 * joinWrapped("累计建成1326", "家。"); // "累计建成1326家。"
 */
export function joinWrapped(left: string, right: string): string {
  if (left === "") return right;
  if (right === "") return left;
  return LATIN_END.test(left) && LATIN_START.test(right) ? `${left} ${right}` : left + right;
}

/**
 * The end of a paragraph: sentence-final punctuation, possibly inside a closing quote or bracket
 * (…新城。” ). A closing bracket or quote alone (…各市县（区） or …“三个一”) does not end a
 * sentence, so a line ending in one continues its paragraph.
 */
export const PARAGRAPH_END = /(?:[。！？!?…；;：:]|[。！？!?…][”’」』）)》〉]+)$/u;

/** Sentence-final punctuation, or a closing quote or bracket: a line ending in one is not a headline. */
export const SENTENCE_END = /[。！？!?…；;：:”’」』）)》〉]$/u;

/** Punctuation that never ends a headline (a line ending in it is body text). */
export const NOT_HEADLINE_END = /[。！？!?；;，,、：:…]$/u;

const HAN = "\\p{Script=Han}";
// A byline token: a personal name or a unit such as 秘书处, optionally with a middle dot (少数民族姓名).
const BYLINE_TOKEN = new RegExp(`^[${HAN}][${HAN}·•]{1,7}$`, "u");
const BYLINE_AT_END = /[\s\u3000]*[（(]([^（）()\n]{2,40})[）)]\s*$/u;
// Parentheticals that close a paragraph but are not authors.
const NOT_AUTHOR = /^(详见|见|注|附|图|下同|略|完|待续|未完|续)/u;

/**
 * Splits a trailing byline off a paragraph: "…作出新的更大贡献。 （郭旭婷）" →
 * `{ text: "…作出新的更大贡献。", authors: ["郭旭婷"], byline: " （郭旭婷）" }`.
 * Only a parenthetical of names at the very end, after the end of a sentence, counts.
 *
 * @example
 * splitByline("实现了“零故障”的目的。 （张俊清 王丽）")?.authors; // ["张俊清", "王丽"]
 */
export function splitByline(paragraph: string): { text: string; authors: string[]; byline: string } | null {
  const m = BYLINE_AT_END.exec(paragraph);
  if (!m || m[1] === undefined) return null;
  const tokens = m[1]
    .trim()
    .split(/[\s\u3000、,，]+/u)
    .filter(Boolean);
  if (tokens.length === 0 || tokens.length > 6) return null;
  if (!tokens.every((t) => BYLINE_TOKEN.test(t) && !NOT_AUTHOR.test(t))) return null;
  const text = paragraph.slice(0, m.index);
  // The byline stands after a finished sentence, or alone: "…“三清单”（第四批）" is not a byline.
  if (text.trim() !== "" && !PARAGRAPH_END.test(text.trimEnd())) return null;
  return { text: text.trimEnd(), authors: tokens, byline: m[0] };
}

/** A line that is only a byline: （张俊清 王丽）. */
export const BYLINE_ONLY = /^[（(][^（）()]+[）)]$/u;

/**
 * Splits a 报/发/送 entry into organisations: on 、 (and ，, ; for hand-typed lists), trimmed.
 *
 * @example
 * splitOrganisations("本会副理事长、常务理事、理事"); // ["本会副理事长", "常务理事", "理事"]
 */
export function splitOrganisations(s: string): string[] {
  return s
    .split(/[、，,；;]/u)
    .map((x) => x.trim())
    .filter(Boolean);
}

/**
 * Text from the input made safe to quote in a one-line error message: control characters and line
 * separators become \uXXXX escapes (a raw CR or escape sequence would rewrite the CLI's terminal line).
 *
 * @example
 * escapeControls("a\rb"); // "a\\u000db"
 */
export function escapeControls(s: string): string {
  return s.replace(/[\p{Cc}\u2028\u2029]/gu, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`);
}
