import type { PdfLine } from "./text-lines.ts";

/** The type the running text is set in: what every heading is told apart from. */
export interface BodyStyle {
  family: string;
  size: number;
  bold: boolean;
}

/** The text block's edges on a page: where body lines start and where justified ones end. */
export interface TextBlock {
  left: number;
  right: number;
}

/** A line this many characters long or more is running text, not a heading or a label. */
const LONG_LINE = 12;

const chars = (l: PdfLine) => [...l.text.replace(/\s/gu, "")].length;

/**
 * The body's style: the family, size and weight of most characters in long lines. Headings are few
 * and short; the body fills the pages.
 *
 * @example
 * bodyStyleOf(lines); // { family: "FangSong", size: 16, bold: false }
 */
export function bodyStyleOf(lines: readonly PdfLine[]): BodyStyle {
  const long = lines.filter((l) => chars(l) >= LONG_LINE);
  const weights = new Map<string, BodyStyle & { n: number }>();
  for (const l of long.length ? long : lines) {
    const key = `${l.family}|${l.size}|${l.bold}`;
    const w = weights.get(key) ?? { family: l.family, size: l.size, bold: l.bold, n: 0 };
    w.n += chars(l);
    weights.set(key, w);
  }
  const best = [...weights.values()].sort((a, b) => b.n - a.n)[0];
  return best ? { family: best.family, size: best.size, bold: best.bold } : { family: "", size: 12, bold: false };
}

/** Is the line set in the body's style? A size within half a point counts as the same. */
export function isBodyStyle(line: PdfLine, body: BodyStyle): boolean {
  return line.family === body.family && Math.abs(line.size - body.size) <= 0.6 && line.bold === body.bold;
}

/**
 * The text block of each page, from its body lines: the left edge is the leftmost position many lines
 * share (first lines are indented from it), the right edge where most long lines end. A page with
 * few body lines (the last one, say) takes the block of the whole document.
 *
 * @example
 * textBlocks(lines, body).get(1); // { left: 79.5, right: 522 }
 */
export function textBlocks(lines: readonly PdfLine[], body: BodyStyle): Map<number, TextBlock> {
  const bodyLines = lines.filter((l) => isBodyStyle(l, body) && chars(l) >= LONG_LINE);
  const whole = blockOf(bodyLines.length ? bodyLines : lines, body.size);
  const out = new Map<number, TextBlock>();
  for (const page of new Set(lines.map((l) => l.page))) {
    const own = bodyLines.filter((l) => l.page === page);
    out.set(page, own.length >= 6 ? blockOf(own, body.size) : whole);
  }
  return out;
}

function blockOf(lines: readonly PdfLine[], em: number): TextBlock {
  if (lines.length === 0) return { left: 0, right: 0 };
  const lefts = lines.map((l) => l.x).sort((a, b) => a - b);
  const rights = lines.map((l) => l.right).sort((a, b) => a - b);
  // The smallest left edge that several lines share: a stray outdented line does not move it.
  const share = Math.max(2, Math.ceil(lines.length * 0.15));
  const left = lefts.find((x) => lefts.filter((y) => Math.abs(y - x) <= em * 0.25).length >= share) ?? lefts[0]!;
  // Justified lines end at the margin, most of them at the same point: punctuation that hangs past
  // it (、，。 at a line's end) is the exception. Ragged lines end short of it, the most close to it.
  const near = (x: number) => rights.filter((y) => Math.abs(y - x) <= em / 2).length;
  const right = rights.reduce(
    (best, x) => (near(x) > near(best) || (near(x) === near(best) && x > best) ? x : best),
    rights[rights.length - 1]!,
  );
  return { left, right };
}
