import type { Masthead } from "../../issue-schema.ts";
import type { BodyStyle } from "./body-style.ts";
import type { PdfPage } from "./pdf-document.ts";
import type { PdfLine } from "./text-lines.ts";

const CN_DIGIT = "[〇零一二三四五六七八九十百]";
/** 2026年第1期, 第9期, 第九期, with or without the running total. */
const ISSUE_NUMBER = new RegExp(`^(?:\\d{4}\\s*年\\s*)?第\\s*(?:\\d+|${CN_DIGIT}+)\\s*期`, "u");
/** （总第213期）, 总第213期. */
const RUNNING_TOTAL = /^[（(]?\s*总\s*第\s*\d+\s*期\s*[）)]?$/u;
/** 2026年1月26日, or in Chinese numerals: 二〇二六年一月二十六日. */
const DATE = new RegExp(
  `^(?:\\d{4}\\s*年\\s*\\d{1,2}\\s*月\\s*\\d{1,2}\\s*日|${CN_DIGIT}{4}年${CN_DIGIT}{1,2}月${CN_DIGIT}{1,3}日)$`,
  "u",
);
/** The bulletin's name is set in type at least this much larger than the body. */
const TITLE_SCALE = 1.5;
/** A rule this wide (share of the page) closes the masthead. */
const MASTHEAD_RULE = 0.5;

export interface PdfMastheadRead {
  masthead?: Masthead;
  /** The masthead's lines (name, number, editor and date): not part of the body. */
  lines: Set<PdfLine>;
  /** What is not name, number or date: the editor, "内部资料", a stray ornament. */
  other: { line: PdfLine; text: string }[];
}

/**
 * Reads the masthead on page 1: the bulletin's name (the largest type on the page, well above the
 * body's size), the issue number line (2026年第1期, （总第213期）), and the line with the editor and the
 * date. It ends at the first wide rule in the top half of the page, or, when there is none, with the
 * last number or date line under the name. Without a name in large type, and a number or a date under
 * it, there is no masthead.
 *
 * @example
 * readPdfMasthead(pageLines(page1), page1, body).masthead; // { title: "山西通信", number: "2026年第1期（总第213期）", date: "2026年1月26日" }
 */
export function readPdfMasthead(lines: readonly PdfLine[], page: PdfPage, body: BodyStyle): PdfMastheadRead {
  const none: PdfMastheadRead = { lines: new Set(), other: [] };
  const onPage = lines.filter((l) => l.page === page.number).sort((a, b) => a.y - b.y);
  const top = onPage.filter((l) => l.y < page.height / 2);
  const largest = top.reduce<PdfLine | undefined>((m, l) => (!m || l.size > m.size ? l : m), undefined);
  if (!largest || largest.size < body.size * TITLE_SCALE) return none;
  const rule = page.rules
    .filter(
      (r) => r.width >= page.width * MASTHEAD_RULE && r.height < r.width && r.y > largest.y && r.y < page.height / 2,
    )
    .sort((a, b) => a.y - b.y)[0];
  const titleLines = top.filter((l) => Math.abs(l.size - largest.size) < 0.5 && l.y <= largest.y + largest.size * 2);
  let zone: PdfLine[];
  if (rule) zone = onPage.filter((l) => l.y < rule.y);
  else {
    // No rule: the masthead runs on while its lines are number and date lines (and the name's).
    zone = [];
    for (const l of onPage) {
      if (
        titleLines.includes(l) ||
        l.y < largest.y ||
        l.segments.some((s) => ISSUE_NUMBER.test(s.text) || RUNNING_TOTAL.test(s.text) || DATE.test(s.text))
      )
        zone.push(l);
      else if (zone.some((z) => !titleLines.includes(z))) break;
      else if (l.y > largest.y + largest.size * 4) break;
    }
  }
  const masthead: Masthead = {};
  const other: PdfMastheadRead["other"] = [];
  const numbers: string[] = [];
  for (const line of zone) {
    if (titleLines.includes(line)) continue;
    for (const { text } of line.segments) {
      if (ISSUE_NUMBER.test(text) || (numbers.length > 0 && RUNNING_TOTAL.test(text))) numbers.push(text);
      else if (DATE.test(text.replace(/\s/gu, "")) && !masthead.date) masthead.date = text.replace(/\s/gu, "");
      // The editor beside the date, or another line of the masthead: not content.
      else other.push({ line, text });
    }
  }
  // A large headline at the top of page 1 is not a masthead: that has an issue number or a date.
  if (numbers.length === 0 && !masthead.date) return none;
  const title = titleLines.map((l) => l.text.replace(/\s/gu, "")).join("");
  if (title) masthead.title = title;
  if (numbers.length) masthead.number = numbers.join("");
  return { masthead, lines: new Set([...titleLines, ...zone]), other };
}
