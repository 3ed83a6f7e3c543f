/** What these rules read of a line (a SourceLine, or a line of a PDF's layout): its text. */
type LineText = { text: string };

/** A page number as printed in the footer of a page: —4—, - 4 -, －12－, 第4页, or a bare 4. */
const PAGE_NUMBER = /^(?:[—\-–－~～]+\s*\d{1,3}\s*[—\-–－~～]+|\d{1,3}|第\s*\d{1,3}\s*页)$/u;

/** A section header: 【高层信息】. */
const SECTION_HEADER = /^【\s*([^【】]+?)\s*】$/u;

/**
 * A footer tier label: 报：, 发：, 送：, 抄报：, 抄送： (full-width or ASCII colon), or the label alone in a
 * table's first column, which a PDF's line shows as the label, a space and the list.
 */
const TIER_LABEL = /^(抄报|抄送|报|发|送)(?:\s*[：:]\s*|\s+(?=\S))/u;
const TIER_OF: Record<string, "report" | "distribute" | "copy"> = {
  报: "report",
  抄报: "report",
  发: "distribute",
  送: "copy",
  抄送: "copy",
};

/**
 * @example
 * isPageNumber("—4—"); // true
 */
export function isPageNumber(line: LineText): boolean {
  return PAGE_NUMBER.test(line.text);
}

/**
 * The section name of a header line, without the 【】, or null when the line is not a header.
 *
 * @example
 * sectionName({ text: "【协会消息】" }); // "协会消息"
 */
export function sectionName(line: LineText): string | null {
  return SECTION_HEADER.exec(line.text)?.[1] ?? null;
}

/**
 * The tier label a footer line starts with, and the text after it, or null.
 *
 * @example
 * tierLabel({ text: "发：本会副理事长" }); // { tier: "distribute", label: "发：", rest: "本会副理事长" }
 */
export function tierLabel(
  line: LineText,
): { tier: "report" | "distribute" | "copy"; label: string; rest: string } | null {
  const m = TIER_LABEL.exec(line.text);
  if (!m) return null;
  return { tier: TIER_OF[m[1]!]!, label: m[0], rest: line.text.slice(m[0].length) };
}
