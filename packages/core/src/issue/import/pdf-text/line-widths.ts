import { displayWidth } from "../text-utils.ts";
import type { SourceLine } from "./source-lines.ts";

// Widths a line had, or would have had, before the typesetter's line-breaking rules (kinsoku) moved
// characters across the margin. The paragraph and headline rules compare these with the margin.

const TRAILING_CLOSERS = /[。，、；：？！”’）》」』…%．]+$/u;

/**
 * A line's width without the closing punctuation at its end, which kinsoku may have kept on the line
 * past the margin: a paragraph's first line ending "（山西）。" can reach the full width that way.
 */
export function widthBeforeClosing(line: SourceLine): number {
  const closers = TRAILING_CLOSERS.exec(line.text)?.[0] ?? "";
  return line.width - displayWidth(closers);
}

/**
 * A line's width without a final comma or full stop that kinsoku hung past the margin (a line may
 * not start with one): the width the line had when the typesetter decided where to break it.
 */
export function widthBeforeHanging(line: SourceLine): number {
  return /[，。、；：！？]$/u.test(line.text) ? line.width - 2 : line.width;
}

// What a typesetter moves to the next line whole: a number or Latin word, or an opening bracket or
// quote with the character after it (kinsoku: a line never ends on an opener).
export const LEADING_WORD = /^(?:[A-Za-z0-9][A-Za-z0-9.,%+-]*|[“‘（《「『〈]+[^“‘（《「『〈])/u;

/**
 * The width a line would have had if the word that starts the next line had fit: a typesetter moves
 * a number, a Latin word or an opening bracket down whole, leaving a line that looks short but was full.
 */
export function filledWidth(line: SourceLine, following: SourceLine | undefined, limit: number): number {
  const word = following ? LEADING_WORD.exec(following.text)?.[0] : undefined;
  if (!word) return line.width;
  const filled = line.width + displayWidth(word);
  return filled > limit ? filled : line.width;
}
