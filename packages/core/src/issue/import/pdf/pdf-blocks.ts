import type { Piece } from "../assemble-articles.ts";
import { AUTHOR_PREFIX, NAME_LINE } from "../pdf-text/headings.ts";
import { sectionName } from "../pdf-text/line-kinds.ts";
import { BYLINE_ONLY, joinWrapped, NOT_HEADLINE_END, PARAGRAPH_END, splitByline } from "../text-utils.ts";
import { type BodyStyle, isBodyStyle, type TextBlock } from "./body-style.ts";
import type { PdfImage } from "./pdf-document.ts";
import { interpretPdfHeading } from "./pdf-headings.ts";
import { cjkSpaces, despaced, type PdfLine } from "./text-lines.ts";

/** The first-line indent is two characters; anything from this… */
const INDENT_MIN = 1.3;
/** …to this many ems in from the block's left edge counts as one. */
const INDENT_MAX = 2.9;
/** Lines of one heading are at most this many of their ems apart, baseline to baseline. */
const HEADING_LEADING = 2.8;
/** A paragraph break with no indent shows as a gap this much wider than the usual line spacing. */
const PARAGRAPH_GAP = 1.45;
/** In-article headings (一、 （一） 1. （1）) are paragraphs of the article, not new articles. */
const ENUMERATED =
  /^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)]|\d{1,2}[.．、](?!\d)|[（(]\d{1,2}[）)])/u;

/** A photo in the text, with the page it is on. */
export type PagePhoto = PdfImage & { page: number };

export interface Geometry {
  body: BodyStyle;
  blocks: Map<number, TextBlock>;
  /** Photos on each page: a line just under one is its caption, not a heading. */
  images: Map<number, PagePhoto[]>;
  /** Each line's number over the whole document, for messages. */
  lineNo: Map<PdfLine, number>;
}

/**
 * Reads the body's lines (masthead, page furniture and the 报/发/送 block already taken out) as the
 * pieces of the bulletin: 【section】 lines; headings, which are lines set apart from the body by size,
 * weight or family (with a kicker, subtitle or author line in body type next to them); paragraphs,
 * which start at a two-character indent or after a short line ending a sentence, and run on across
 * pages; and bylines standing alone at the right. Each photo becomes a figure piece where it
 * stands: after the paragraph it interrupts or follows (`photos` gives the piece of each). The lines
 * of its caption are returned apart, with the photo they are under.
 *
 * @example
 * toPdfPieces(bodyLines, geometry).pieces.map((p) => p.kind); // ["section", "heading", "paragraph", "figure", …]
 */
export function toPdfPieces(
  lines: readonly PdfLine[],
  g: Geometry,
): { pieces: Piece[]; captions: { line: PdfLine; photo: PagePhoto }[]; photos: Map<Piece, PagePhoto> } {
  const pieces: Piece[] = [];
  const captions: { line: PdfLine; photo: PagePhoto }[] = [];
  const photos = new Map<Piece, PagePhoto>();
  // In reading order: page, then top to bottom. Each waits for the line it stands above.
  const ahead = [...g.images.values()].flat().sort((a, b) => a.page - b.page || a.y - b.y);
  let pending: PagePhoto[] = [];
  const emit = (photo: PagePhoto) => {
    const piece: Piece = {
      kind: "figure",
      figure: { src: "", alt: "", width: 1, height: 1 },
      at: { line: 0, page: photo.page },
    };
    photos.set(piece, photo);
    pieces.push(piece);
  };
  const spacing = lineSpacing(lines, g.body);
  // A document whose justified lines often show a space between Chinese characters was justified by
  // spacing characters out (see despaced).
  const full = lines.filter((l) => isBodyStyle(l, g.body) && !isShort(l, g));
  const spacey = full.filter((l) => cjkSpaces(l.text) > 0).length >= Math.max(3, full.length * 0.2);
  const at = (l: PdfLine) => ({ line: g.lineNo.get(l) ?? 0, page: l.page });
  let paragraph: PdfLine[] = [];
  const flush = () => {
    if (paragraph.length === 0) return;
    const text = paragraph.map((l) => despaced(l.text, { justified: !isShort(l, g), spacey })).reduce(joinLines);
    pieces.push({ kind: "paragraph", text, at: at(paragraph[0]!), end: at(paragraph[paragraph.length - 1]!) });
    paragraph = [];
    pending.forEach(emit);
    pending = [];
  };

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    // A photo above this line goes after the paragraph it stands in, or here when none is open.
    while (ahead.length > 0 && isAbove(ahead[0]!, line)) {
      const photo = ahead.shift()!;
      if (paragraph.length > 0) pending.push(photo);
      else emit(photo);
    }
    const name = sectionName(line);
    if (name !== null) {
      flush();
      pieces.push({ kind: "section", name, at: at(line) });
      continue;
    }
    // The caption goes with its photo; the paragraph around it goes on.
    const under = photoAbove(line, g);
    if (under) {
      captions.push({ line, photo: under });
      continue;
    }
    const prev = paragraph[paragraph.length - 1];
    if (
      isHeadingLine(line, g, lines[i + 1]) ||
      (isKicker(line, lines[i + 1], lines[i + 2], g) && (!prev || endsParagraph(prev, line, g, spacing)))
    ) {
      flush();
      const group = [line];
      while (i + 1 < lines.length && continuesHeading(group, lines[i + 1]!, lines[i + 2], g)) group.push(lines[++i]!);
      pieces.push({ kind: "heading", ...interpretPdfHeading(group, g.body), at: at(group[group.length - 1]!) });
      continue;
    }
    const byline = standaloneByline(line, prev, g);
    if (byline) {
      flush();
      pieces.push({ kind: "byline", ...byline, at: at(line) });
      continue;
    }
    if (
      prev &&
      (isIndented(line, g) ||
        endsParagraph(prev, line, g, spacing) ||
        isOwnParagraph(line, g) ||
        isOwnParagraph(prev, g))
    )
      flush();
    paragraph.push(line);
  }
  flush();
  ahead.forEach(emit);
  return { pieces, captions, photos };
}

/** The photo stands above the line: its middle is above the line's top, or on an earlier page. */
function isAbove(photo: PagePhoto, line: PdfLine): boolean {
  return photo.page < line.page || (photo.page === line.page && photo.y + photo.height / 2 <= line.y - line.size);
}

const em = (l: PdfLine, g: Geometry) => Math.max(l.size, g.body.size * 0.8);
const blockOf = (l: PdfLine, g: Geometry) => g.blocks.get(l.page) ?? { left: l.x, right: l.right };

function isIndented(l: PdfLine, g: Geometry): boolean {
  const d = (l.x - blockOf(l, g).left) / em(l, g);
  return d >= INDENT_MIN && d <= INDENT_MAX;
}

function isShort(l: PdfLine, g: Geometry): boolean {
  return l.right < blockOf(l, g).right - em(l, g);
}

function isCentred(l: PdfLine, g: Geometry): boolean {
  const { left, right } = blockOf(l, g);
  const dl = l.x - left;
  const dr = right - l.right;
  return dl > 1.5 * em(l, g) && dr > em(l, g) && Math.abs(dl - dr) <= Math.max(1.5 * em(l, g), (right - left) * 0.08);
}

function isRightAligned(l: PdfLine, g: Geometry): boolean {
  const { left, right } = blockOf(l, g);
  return right - l.right <= em(l, g) && l.x - left > (right - left) * 0.4;
}

/** Words a headline can be: no sentence in them, no punctuation at the end, not a whole paragraph. */
function headingWords(l: PdfLine): boolean {
  return (
    !/[。！？!?；;]|[，,].*[，,]/u.test(l.text) &&
    !NOT_HEADLINE_END.test(l.text) &&
    !BYLINE_ONLY.test(l.text) &&
    [...l.text].length <= 60
  );
}

/**
 * A caption is a line of type smaller than the body's, just under a photo, centred or within the
 * photo's width: set like a subtitle, told apart by the photo above it.
 */
function photoAbove(l: PdfLine, g: Geometry): PagePhoto | undefined {
  // Smaller than the body, or the body's size in another type; never a larger headline under a photo.
  if (l.size > g.body.size + 0.5 || (l.size > g.body.size - 0.5 && isBodyStyle(l, g.body))) return undefined;
  const top = l.y - l.size;
  return (g.images.get(l.page) ?? []).find(
    (im) =>
      top >= im.y + im.height - 2 && top - (im.y + im.height) <= 2 * l.size && l.right > im.x && l.x < im.x + im.width,
  );
}

const isCaption = (l: PdfLine, g: Geometry) => photoAbove(l, g) !== undefined;

/**
 * A line set apart from the body (size, weight, family) that reads as a headline. A line in another
 * family at the body's size that runs to the margin is a heading only when an indented paragraph
 * starts under it, or as the first line of a title that ends, short, on the next line: otherwise it is
 * a paragraph in that type (an editor's note in 楷体).
 */
function isHeadingLine(l: PdfLine, g: Geometry, next?: PdfLine): boolean {
  if (isBodyStyle(l, g.body) || !headingWords(l) || ENUMERATED.test(l.text) || isCaption(l, g)) return false;
  if (isShort(l, g) || isCentred(l, g) || l.size > g.body.size + 0.5 || next === undefined) return true;
  // A full line: a one-line title with a paragraph starting under it, or a title's first line.
  if (isBodyStyle(next, g.body)) return isIndented(next, g);
  return (
    sameType(l, next) &&
    headingWords(next) &&
    (isShort(next, g) || isCentred(next, g)) &&
    [...l.text, ...next.text].length <= 80
  );
}

const sameType = (a: PdfLine, b: PdfLine) =>
  a.family === b.family && a.bold === b.bold && Math.abs(a.size - b.size) < 0.5;

/** An in-article heading (一、…): a paragraph of its own, whatever its type. */
function isOwnParagraph(l: PdfLine, g: Geometry): boolean {
  return !isBodyStyle(l, g.body) && ENUMERATED.test(l.text);
}

/** A short line in body type just above a heading, centred or standing alone: the heading's kicker. */
function isKicker(l: PdfLine, next: PdfLine | undefined, after: PdfLine | undefined, g: Geometry): boolean {
  if (!next || !headingWords(l) || !isHeadingLine(next, g, after)) return false;
  // At the foot of a page, only a centred line is taken for the kicker of a title on the next page.
  if (next.page === l.page + 1) return isCentred(l, g);
  if (next.page !== l.page || next.y - l.y > HEADING_LEADING * Math.max(l.size, next.size)) return false;
  return isCentred(l, g) || (isShort(l, g) && !isIndented(l, g));
}

/**
 * Does `next` belong to the heading above it: another line in heading type close under it, or a short
 * centred or right-aligned line in body type (an author line, a subtitle starting with ——)?
 */
function continuesHeading(group: readonly PdfLine[], next: PdfLine, after: PdfLine | undefined, g: Geometry): boolean {
  const last = group[group.length - 1]!;
  if (sectionName(next) !== null) return false;
  // A page break can fall anywhere in a heading: between a kicker and its title, inside a title,
  // before a subtitle. On the same page, the lines of a heading stand close together.
  const pageBreak = next.page === last.page + 1;
  if (!pageBreak && (next.page !== last.page || next.y - last.y > HEADING_LEADING * Math.max(last.size, next.size)))
    return false;
  if (isHeadingLine(next, g, after)) return true;
  if (!headingWords(next) || isIndented(next, g)) return false;
  return isCentred(next, g) || isRightAligned(next, g) || /^[—–―]/u.test(next.text);
}

/** A paragraph ends at a short line ending a sentence, at a page's gap wider than the line spacing. */
function endsParagraph(prev: PdfLine, line: PdfLine, g: Geometry, spacing: number): boolean {
  if (isShort(prev, g) && (PARAGRAPH_END.test(prev.text) || splitByline(prev.text) !== null)) return true;
  return prev.page === line.page && line.y - prev.y > spacing * PARAGRAPH_GAP;
}

/** A byline on a line of its own: （张三） after text or at the right margin, or 张三 or 文/张三 at the right. */
function standaloneByline(
  l: PdfLine,
  prev: PdfLine | undefined,
  g: Geometry,
): { authors: string[]; markup: string } | null {
  const right = isRightAligned(l, g);
  if (BYLINE_ONLY.test(l.text) && (prev || right)) {
    const b = splitByline(l.text);
    return b ? { authors: b.authors, markup: l.text.replace(/[^（）()]/gu, "") } : null;
  }
  const name = right ? NAME_LINE.exec(l.text) : null;
  return name ? { authors: name[1]!.split(/[\s\u3000]+/u), markup: AUTHOR_PREFIX.exec(l.text)?.[0] ?? "" } : null;
}

/**
 * Joins a paragraph's lines. A byline broken at the space between two names ("…（朱悦" / "闫雪姣）")
 * gets its space back: each side a whole name of two to four characters. A name broken inside
 * ("（郭旭" / "婷）") leaves one character alone, and is joined as it is.
 */
function joinLines(left: string, right: string): string {
  const open = /[（(](\p{Script=Han}{2,4}(?:\s\p{Script=Han}{2,4})*)$/u.exec(left);
  const rest = /^(\p{Script=Han}{2,4})(?:\s\p{Script=Han}{2,4})*[）)]\s*$/u.exec(right);
  return open && rest ? `${left} ${right}` : joinWrapped(left, right);
}

/** The usual distance between two body lines' baselines. */
function lineSpacing(lines: readonly PdfLine[], body: BodyStyle): number {
  const gaps: number[] = [];
  for (let i = 1; i < lines.length; i++) {
    const [a, b] = [lines[i - 1]!, lines[i]!];
    if (a.page === b.page && isBodyStyle(a, body) && isBodyStyle(b, body) && b.y > a.y) gaps.push(b.y - a.y);
  }
  gaps.sort((a, b) => a - b);
  return gaps[Math.floor(gaps.length / 2)] ?? body.size * 1.5;
}
