import type { Masthead } from "../../issue-schema.ts";
import type { DroppedText } from "../import-result.ts";
import { SENTENCE_END } from "../text-utils.ts";
import { isPageNumber } from "./line-kinds.ts";
import type { SourceLine } from "./source-lines.ts";

const ISSUE_NUMBER = /^(?:\d{4}\s*年\s*)?第\s*[\d一二三四五六七八九十百〇零]+\s*期(?:\s*[（(]总第\s*\d+\s*期[）)])?$/u;
const ISSUE_DATE = /^\d{4}\s*年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?$/u;
const BULLETIN_TITLE = /(简报|通讯|快讯|快报|周报|月报|会刊|工作动态|信息)$/u;
// A stray piece of the masthead artwork: a character or two with no sentence in it ("日").
const FRAGMENT_MAX_WIDTH = 4;

export interface MastheadRead {
  masthead?: Masthead;
  /** Index of the first body line. */
  start: number;
  dropped: DroppedText[];
}

/**
 * Reads the top of the extracted text, before the first headline: the bulletin's name, issue number
 * and date when they survived extraction, and stray masthead fragments (" 日"), which are dropped.
 * A name-like line only counts as the bulletin's title when a number or date line is there too, so a
 * first headline that happens to end in 信息 is not mistaken for it.
 *
 * @example
 * readMasthead(toSourceLines("山西通信简报\n第5期\n2025年5月30日\n…")).masthead; // { title, number, date }
 */
export function readMasthead(lines: readonly SourceLine[]): MastheadRead {
  const dropped: DroppedText[] = [];
  const found: { title?: SourceLine; number?: SourceLine; date?: SourceLine } = {};
  let i = 0;
  for (; i < lines.length; i++) {
    const line = lines[i]!;
    const parts = line.text.split(/[\s\u3000]{2,}/u);
    if (isPageNumber(line)) dropped.push({ line: line.no, text: line.text, reason: "page-number" });
    else if (parts.length === 1 && ISSUE_NUMBER.test(line.text) && !found.number) found.number = line;
    else if (parts.length === 1 && ISSUE_DATE.test(line.text) && !found.date) found.date = line;
    else if (BULLETIN_TITLE.test(line.text) && line.width <= 40 && !found.title && !SENTENCE_END.test(line.text))
      found.title = line;
    else if (line.width <= FRAGMENT_MAX_WIDTH && !SENTENCE_END.test(line.text))
      dropped.push({ line: line.no, text: line.text, reason: "masthead-fragment" });
    else break;
  }
  if (!found.number && !found.date) {
    // No masthead after all: a title-like line is the first headline; give it back to the body.
    if (found.title) {
      const back = lines.indexOf(found.title);
      return { start: back, dropped: dropped.filter((d) => d.line < found.title!.no) };
    }
    return { start: i, dropped };
  }
  const masthead: Masthead = {};
  if (found.title) masthead.title = found.title.text;
  if (found.number) masthead.number = found.number.text;
  if (found.date) masthead.date = found.date.text;
  return { masthead, start: i, dropped };
}
