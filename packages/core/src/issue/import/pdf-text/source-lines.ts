import { displayWidth } from "../text-utils.ts";

/** One non-blank line of the extracted text, as the layout rules see it. */
export interface SourceLine {
  /** 1-based line number in the input, for messages. */
  no: number;
  /** The line without leading and trailing whitespace. */
  text: string;
  /** Printed width of `text` in columns (CJK = 2). */
  width: number;
  /**
   * True when the line carries an explicit first-line indent (two ideographic spaces, or two or
   * more ASCII spaces). A single leading space is how the extraction marks a page break, not an indent.
   */
  indented: boolean;
}

const LEADING_WS = /^[\s\u3000]*/u;

/**
 * Splits extracted text into its non-blank lines. Blank lines carry no meaning (some extractions put
 * one between every line, some none), and CRLF, CR and a UTF-8 BOM are accepted.
 *
 * @example
 * toSourceLines("甲\r\n\r\n 乙").map((l) => l.text); // ["甲", "乙"]
 */
export function toSourceLines(input: string): SourceLine[] {
  const out: SourceLine[] = [];
  input
    .replace(/^\uFEFF/, "")
    .split(/\r\n|\r|\n/)
    .forEach((raw, i) => {
      const text = raw.trim().replace(/^\u3000+|\u3000+$/gu, "");
      if (text === "") return;
      const lead = LEADING_WS.exec(raw)?.[0] ?? "";
      out.push({ no: i + 1, text, width: displayWidth(text), indented: displayWidth(lead) >= 2 && lead !== " " });
    });
  return out;
}

/**
 * The full printed line width of a document, in columns: the most common line width. Most lines of
 * a bulletin are full lines, so the mode is the right margin even when some lines run one character
 * over (punctuation pulled in) or under (a number that did not fit).
 *
 * @example
 * fullWidth([{ width: 64 }, { width: 64 }, { width: 20 }] as SourceLine[]); // 64
 */
export function fullWidth(lines: readonly Pick<SourceLine, "width">[]): number {
  const counts = new Map<number, number>();
  for (const { width } of lines) counts.set(width, (counts.get(width) ?? 0) + 1);
  let best = 0;
  let bestScore = -1;
  for (const w of counts.keys()) {
    // Score a width by the lines within one character of it, so 63/64/65 jitter counts together.
    const score = (counts.get(w - 1) ?? 0) + (counts.get(w) ?? 0) * 2 + (counts.get(w + 1) ?? 0);
    if (score > bestScore || (score === bestScore && w > best)) [best, bestScore] = [w, score];
  }
  return best;
}
