import { displayWidth } from "../text-utils.ts";
import { sectionName, tierLabel } from "./line-kinds.ts";

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
 * one between every line, some none), and CRLF, CR and a UTF-8 BOM are accepted. A letter-spaced
 * title that extraction gave one character a line (初 / 见 / 雄 / 安) is put back on one line.
 *
 * @example
 * toSourceLines("甲\r\n\r\n 乙").map((l) => l.text); // ["甲", "乙"]
 */
export function toSourceLines(input: string): SourceLine[] {
  return joinLetterSpaced(splitLines(input));
}

const ONE_CHARACTER = /^\p{Script=Han}$/u;

/** Runs of three or more lines of one Han character each: a letter-spaced title, spaces between. */
function joinLetterSpaced(lines: SourceLine[]): SourceLine[] {
  const out: SourceLine[] = [];
  for (let i = 0; i < lines.length; ) {
    let j = i;
    while (j < lines.length && ONE_CHARACTER.test(lines[j]!.text)) j++;
    if (j - i >= 3) {
      const text = lines
        .slice(i, j)
        .map((l) => l.text)
        .join(" ");
      out.push({ no: lines[i]!.no, text, width: displayWidth(text), indented: false });
      i = j;
    } else out.push(lines[i++]!);
  }
  return out;
}

function splitLines(input: string): SourceLine[] {
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

/** How the text was wrapped: at a fixed printed width, or not at all (one paragraph per line). */
export interface Layout {
  /** The full line width in columns (CJK = 2). */
  width: number;
  /** False when the lines were not wrapped at a margin, e.g. text pasted from a word processor. */
  wrapped: boolean;
}

/**
 * Finds the full printed line width of a document: the most common width of its long lines of body
 * text, leaving out lines that end in closing punctuation (kinsoku keeps a 。 or ， at the end of a
 * full line, past the margin), headlines and the footer. A share rule picks the widest common width, so indented first lines
 * (two characters short) do not win however short the paragraphs are.
 * When no width holds a good share of the lines, or no line is long, the text was not wrapped at a
 * margin at all: it is read one paragraph a line.
 *
 * @example
 * detectLayout([{ text: "…", width: 64 }, { text: "…", width: 64 }, { text: "…", width: 20 }]); // { width: 64, wrapped: true }
 */
export function detectLayout(lines: readonly Pick<SourceLine, "text" | "width">[]): Layout {
  const measured = lines.filter((l) => sectionName(l) === null && tierLabel(l) === null);
  const max = Math.max(0, ...measured.map((l) => l.width));
  const long = measured.filter((l) => l.width >= max * 0.75);
  // Body text: lines with sentence punctuation in them (headlines and the 、-lists of the footer have
  // none) that do not end in punctuation kinsoku may have kept past the margin.
  const plain = long
    .filter((l) => /[，。；！？,;]/u.test(l.text) && !CLOSING_PUNCTUATION.test(l.text))
    .map((l) => l.width);
  const sample = plain.length >= 2 ? plain : long.map((l) => l.width);
  const around = (w: number) => sample.filter((x) => x === w || x === w - 1);
  const share = Math.max(2, sample.length * 0.2);
  const widest = [...new Set(sample)].sort((a, b) => b - a).find((w) => around(w).length >= share) ?? max;
  const width = mode(around(widest)) ?? widest;
  // Wrapped text has many lines at the margin; unwrapped text has long lines of all lengths.
  const body = measured.filter((l) => l.width > 40).length;
  const atMargin = measured.filter((l) => Math.abs(l.width - width) <= 4).length;
  // With no long line at all there is no margin to find: read the text one paragraph a line.
  return { width, wrapped: body > 0 && (body < 4 || atMargin * 3 >= body) };
}

/** Punctuation that a typesetter keeps at the end of a line rather than start the next one with it. */
const CLOSING_PUNCTUATION = /[。，、；：？！”’）》」』…%．,.;:?!)]$/u;

/** The most common value; the larger one on a tie. */
function mode(values: readonly number[]): number | undefined {
  const counts = new Map<number, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best: number | undefined;
  for (const [v, n] of counts)
    if (best === undefined || n > counts.get(best)! || (n === counts.get(best)! && v > best)) best = v;
  return best;
}
