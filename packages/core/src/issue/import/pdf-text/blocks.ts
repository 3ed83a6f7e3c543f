import { displayWidth, NOT_HEADLINE_END, SENTENCE_END, splitByline } from "../text-utils.ts";
import { isPageNumber, sectionName } from "./line-kinds.ts";
import type { SourceLine } from "./source-lines.ts";

export type Block =
  | { kind: "section"; name: string; line: SourceLine }
  | { kind: "heading"; lines: SourceLine[] }
  | { kind: "paragraph"; lines: SourceLine[] };

/** The first-line indent that extraction lost: two CJK characters. */
const INDENT = 4;
/** Jitter of a full line: a character of punctuation pulled in, or a number pushed to the next line. */
const JITTER = 3;
/** A heading is at least this much narrower than a paragraph's (indented) first line. */
const HEADING_MARGIN = INDENT + JITTER;
const MAX_HEADING_LINES = 3;
const BYLINE_ONLY = /^[（(][^（）()]+[）)]$/u;

/**
 * Does line `p` end its paragraph, so that `l` starts a new block? `next` is the line after `l`.
 *
 * The indent of a paragraph's first line was lost, so a paragraph start shows only as a line about
 * two characters narrower than a full line. A paragraph ends when its line ends a sentence and either
 * that line stops short of the margin (its last line), or the next line has the width of an indented
 * first line, or the next line is a headline. A full line ending in 。 followed by another full line,
 * or by a short line that ends a sentence, is one paragraph: nothing shows an indent.
 */
function endsParagraph(p: SourceLine, pIsFirst: boolean, l: SourceLine, next: SourceLine | undefined, width: number): boolean {
  if (l.indented || splitByline(p.text)) return true;
  if (!SENTENCE_END.test(p.text)) return false;
  const expected = pIsFirst ? width - INDENT : width;
  if (filledWidth(p, l, expected) <= expected - JITTER) return true;
  if (l.width >= width - INDENT - JITTER) return looksIndented(l, next, width);
  return !SENTENCE_END.test(l.text) && isHeadingLine(l, next, width);
}

/**
 * Is `l`, a nearly full line, a paragraph's first line (about two characters short of the margin)?
 * When the next line starts with a number or Latin word that was moved down whole, `l` is short only
 * because of it — unless that word would have fit on a full line, which shows `l` had the indent.
 */
function looksIndented(l: SourceLine, next: SourceLine | undefined, width: number): boolean {
  if (l.width > width - INDENT + JITTER - 1) return false;
  const word = next ? LEADING_WORD.exec(next.text)?.[0] : undefined;
  return word === undefined || l.width + displayWidth(word) <= width;
}

const LEADING_WORD = /^[A-Za-z0-9][A-Za-z0-9.,%+\-]*/u;

/**
 * The width a line would have had if the number or Latin word that starts the next line had fit:
 * a typesetter moves such a word down whole, leaving a line that looks short but was full.
 */
function filledWidth(line: SourceLine, following: SourceLine | undefined, limit: number): number {
  const word = following ? LEADING_WORD.exec(following.text)?.[0] : undefined;
  if (!word) return line.width;
  const filled = line.width + displayWidth(word);
  return filled > limit ? filled : line.width;
}

/** Can `l`, at the start of a block, be a headline line? `next` is the line after it. */
function isHeadingLine(l: SourceLine, next: SourceLine | undefined, width: number): boolean {
  if (/[。！？!?]/u.test(l.text) || NOT_HEADLINE_END.test(l.text) || BYLINE_ONLY.test(l.text)) return false;
  if (l.width > width - HEADING_MARGIN) return false;
  // A paragraph's first line cut short (a long number or URL wrapped) is followed by a full line.
  return next === undefined || sectionName(next) !== null || next.width <= width - INDENT + JITTER - 1;
}

/**
 * Groups the body lines into section headers, headings and paragraphs, dropping page numbers.
 *
 * @example
 * toBlocks(toSourceLines("【协会消息】\n标题\n正文第一行…"), 64).map((b) => b.kind); // ["section", "heading", "paragraph"]
 */
export function toBlocks(lines: readonly SourceLine[], width: number): { blocks: Block[]; pageNumbers: SourceLine[] } {
  const body = lines.filter((l) => !isPageNumber(l));
  const pageNumbers = lines.filter((l) => isPageNumber(l));
  const blocks: Block[] = [];
  let cur: Extract<Block, { lines: SourceLine[] }> | null = null;
  body.forEach((line, i) => {
    const name = sectionName(line);
    if (name !== null) {
      blocks.push({ kind: "section", name, line });
      cur = null;
      return;
    }
    const prev = cur?.lines[cur.lines.length - 1];
    const startsBlock =
      cur === null ||
      cur.kind === "heading" ||
      (prev !== undefined && endsParagraph(prev, cur.lines.length === 1, line, body[i + 1], width));
    // A byline on a line of its own belongs to the paragraph above it.
    if (cur?.kind === "paragraph" && BYLINE_ONLY.test(line.text) && splitByline(line.text)) {
      cur.lines.push(line);
      return;
    }
    if (!startsBlock && cur) {
      cur.lines.push(line);
      return;
    }
    if (isHeadingLine(line, body[i + 1], width)) {
      if (cur?.kind === "heading" && cur.lines.length < MAX_HEADING_LINES) cur.lines.push(line);
      else blocks.push((cur = { kind: "heading", lines: [line] }));
    } else {
      blocks.push((cur = { kind: "paragraph", lines: [line] }));
    }
  });
  return { blocks, pageNumbers };
}
