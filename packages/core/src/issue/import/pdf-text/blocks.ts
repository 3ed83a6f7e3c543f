import { BYLINE_ONLY, displayWidth, NOT_HEADLINE_END, PARAGRAPH_END, splitByline } from "../text-utils.ts";
import { sectionName } from "./line-kinds.ts";
import { filledWidth, LEADING_WORD, widthBeforeClosing, widthBeforeHanging } from "./line-widths.ts";
import type { Layout, SourceLine } from "./source-lines.ts";

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
// Kicker, a headline broken over two lines, and a second headline.
const MAX_HEADING_LINES = 4;
/** In text that was not wrapped at a margin, a headline is a short line: at most this many columns. */
const UNWRAPPED_HEADING_MAX = 60;

/**
 * Does line `p` end its paragraph, so that `l` starts a new block? `next` is the line after `l`.
 *
 * The indent of a paragraph's first line was lost, so a paragraph start shows only as a line about
 * two characters narrower than a full line. A paragraph ends when its line ends a sentence and either
 * that line stops short of the margin (its last line), or the next line has the width of an indented
 * first line, or the next line is a headline. A full line ending in 。 followed by another full line,
 * or by a short line that ends a sentence, is one paragraph: nothing shows an indent.
 */
function endsParagraph(
  p: SourceLine,
  pIsFirst: boolean,
  l: SourceLine,
  next: SourceLine | undefined,
  width: number,
): boolean {
  if (l.indented) return true;
  // A byline closes its article — unless a full line goes on after it: "…。（山西）" mid-paragraph. A
  // byline alone on its line (set at the right margin) always does.
  if (splitByline(p.text)) return BYLINE_ONLY.test(p.text) || widthBeforeClosing(l) < width - 2;
  if (!PARAGRAPH_END.test(p.text)) return false;
  const expected = pIsFirst ? width - INDENT : width;
  if (filledWidth(p, l, expected) <= expected - JITTER) return true;
  if (l.width >= width - INDENT - JITTER) return looksIndented(l, next, width);
  return !endsSentence(l) && isHeadingLine(l, next, width);
}

/** Does the line end a sentence, or a paragraph with its byline ("…发展。 （王婧）")? */
function endsSentence(line: SourceLine): boolean {
  return PARAGRAPH_END.test(line.text) || splitByline(line.text) !== null;
}

/**
 * Is `l`, a nearly full line, a paragraph's first line (about two characters short of the margin)?
 * When the next line starts with a number or Latin word that was moved down whole, `l` is short only
 * because of it — unless that word would have fit on a full line, which shows `l` had the indent
 * (a comma or full stop that kinsoku hung past the margin is not counted).
 */
function looksIndented(l: SourceLine, next: SourceLine | undefined, width: number): boolean {
  if (l.width > width - INDENT + JITTER - 1) return false;
  const word = next ? LEADING_WORD.exec(next.text)?.[0] : undefined;
  if (word !== undefined && widthBeforeHanging(l) + displayWidth(word) > width) return false;
  // A line that ends a sentence is a paragraph's first line when its paragraph goes on below it: in a
  // full line, or in a short last line. Otherwise (a headline or another paragraph's first line comes
  // next) it is the last line of the paragraph above; a one-line paragraph would look the same, but
  // is much the rarer of the two.
  if (!endsSentence(l)) return true;
  if (next === undefined || sectionName(next) !== null) return false;
  const shortLastLine = next.width < width - HEADING_MARGIN && endsSentence(next) && !BYLINE_ONLY.test(next.text);
  return widthBeforeClosing(next) >= width - 2 || shortLastLine;
}

/**
 * Can `l`, at the start of a block, be a headline line? `next` is the line after it. A headline is
 * short, has no sentence in it (no 。, at most one ，) and does not end in punctuation.
 */
function isHeadingLine(l: SourceLine, next: SourceLine | undefined, width: number): boolean {
  if (/[。！？!?；;]|[，,].*[，,]/u.test(l.text) || NOT_HEADLINE_END.test(l.text) || BYLINE_ONLY.test(l.text))
    return false;
  if (l.width > width - HEADING_MARGIN) return isWrappedTitle(l, next, width);
  // A paragraph's first line cut short because a long number or Latin word was moved down whole: its
  // paragraph goes on in a full line, or it reads like a sentence (a comma, a bracket).
  if (next === undefined || filledWidth(l, next, width - INDENT) === l.width) return true;
  return widthBeforeClosing(next) < width - 2 && !/[，,（(]/u.test(l.text);
}

/**
 * A title too long for one line runs to the margin, then ends on a short line. Running text is told
 * apart by its punctuation: a full line of it without a single mark, followed by a short line with
 * none either, is a title broken in two.
 */
function isWrappedTitle(l: SourceLine, next: SourceLine | undefined, width: number): boolean {
  const PUNCTUATION = /[，。、；：！？,.;:!?“”‘’（）()《》「」]/u;
  if (!next || PUNCTUATION.test(l.text) || PUNCTUATION.test(next.text)) return false;
  return next.width <= width - HEADING_MARGIN && !NOT_HEADLINE_END.test(next.text) && !next.indented;
}

/**
 * Groups the body lines (page numbers already taken out) into section headers, headings and paragraphs.
 *
 * @example
 * toBlocks(toSourceLines("【协会消息】\n标题\n正文第一行…"), { width: 64, wrapped: true }).map((b) => b.kind); // ["section", "heading", "paragraph"]
 */
export function toBlocks(body: readonly SourceLine[], layout: Layout): Block[] {
  const { width, wrapped } = layout;
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
      !wrapped ||
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
    const heading = wrapped
      ? isHeadingLine(line, body[i + 1], width)
      : line.width <= UNWRAPPED_HEADING_MAX && isHeadingLine(line, undefined, UNWRAPPED_HEADING_MAX + HEADING_MARGIN);
    if (heading) {
      if (cur?.kind === "heading" && cur.lines.length < MAX_HEADING_LINES) cur.lines.push(line);
      else blocks.push((cur = { kind: "heading", lines: [line] }));
    } else {
      blocks.push((cur = { kind: "paragraph", lines: [line] }));
    }
  });
  return blocks;
}
