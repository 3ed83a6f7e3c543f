import { ImportError } from "../../../errors/errors.ts";
import type { Issue } from "../../issue-schema.ts";
import { assembleArticles, type Piece } from "../assemble-articles.ts";
import type { DroppedText, ImportResult, IssueImage } from "../import-result.ts";
import { findFooter } from "../pdf-text/footer.ts";
import type { SourceLine } from "../pdf-text/source-lines.ts";
import { bodyStyleOf, textBlocks } from "./body-style.ts";
import { MIN_PHOTO_SIDE, type PdfDocument, type PdfImage } from "./pdf-document.ts";
import { type PagePhoto, toPdfPieces } from "./pdf-blocks.ts";
import { readPdfMasthead } from "./pdf-masthead.ts";
import { pageFurniture } from "./page-furniture.ts";
import { despaced, type PdfLine, pageLines } from "./text-lines.ts";

/** Fewer characters than this in the whole PDF: there is no text layer to read. */
const MIN_TEXT = 20;

/**
 * Imports a bulletin from its PDF's layout (see PdfDocument): lines rebuilt from the text items, the
 * masthead's name, number and date from page 1, page numbers and running headers dropped by where
 * they stand, the 报/发/送 block at the end, and in between sections, headings and paragraphs read from
 * the type they are set in, compared with the body's own style.
 *
 * Every character of the body ends up in exactly one place of the Issue; what is left out (page
 * furniture, the masthead's editor line, the imprint, markup) is listed in `dropped`. Each photo in
 * the text becomes a figure of the article it stands in, after the paragraph before it, with the
 * line of smaller type under it as its caption; its picture is in `images` (images/1.jpg, …). A
 * photo the reader could not make a picture of is left out with a warning (`imagesSkipped`), its
 * caption dropped with it, and the text is imported all the same.
 *
 * @example
 * const { issue } = parsePdfDocument(await reader.read(bytes));
 */
export function parsePdfDocument(doc: PdfDocument): ImportResult {
  const all = doc.pages.flatMap(pageLines);
  const chars = all.reduce((n, l) => n + l.text.replace(/\s/gu, "").length, 0);
  if (chars < MIN_TEXT) {
    throw new ImportError(
      "import.pdf-no-text",
      "this PDF has no text in it, only pictures of pages (a scan): scans are not supported, because the importer reads the text a PDF carries — import the PDF saved from Word or WPS instead",
    );
  }
  const lineNo = new Map(all.map((l, i) => [l, i + 1]));
  const body = bodyStyleOf(all);
  const top = readPdfMasthead(all, doc.pages[0]!, body);
  const furniture = pageFurniture(
    all.filter((l) => !top.lines.has(l)),
    doc.pages,
  );
  const furnished = new Set(furniture.map((f) => f.line));
  const content = all.filter((l) => !top.lines.has(l) && !furnished.has(l));

  const byNo = new Map(content.map((l) => [lineNo.get(l)!, l]));
  const blocks = textBlocks(content, body);
  // The footer reader counts in columns, as in extracted text: here, half-ems from the block's left edge.
  const column = body.size / 2;
  const source: SourceLine[] = content.map((l) => {
    const block = blocks.get(l.page)!;
    return {
      no: lineNo.get(l)!,
      text: despaced(l.text),
      width: Math.round((l.right - block.left) / column),
      indented: false,
    };
  });
  const widest = Math.max(...[...blocks.values()].map((b) => Math.round((b.right - b.left) / column)));
  const footer = findFooter(source, widest);
  const bodyLines = content.slice(0, footer.start);
  // Photos in the text: above the 报/发/送 block.
  const foot = content[footer.start];
  const images = photoBoxes(doc, top.lines).filter(
    (b) => !foot || b.page < foot.page || (b.page === foot.page && b.y + b.height / 2 < foot.y - foot.size),
  );

  const dropped: DroppedText[] = [
    ...top.other.map(({ line, text }) => ({
      line: lineNo.get(line)!,
      page: line.page,
      text,
      reason: "masthead" as const,
    })),
    ...furniture.map(({ line, reason }) => ({ line: lineNo.get(line)!, page: line.page, text: line.text, reason })),
    ...footer.dropped.map((d) => ({ ...d, page: byNo.get(d.line)?.page ?? 0 })),
  ];
  const { pieces, captions, photos } = toPdfPieces(bodyLines, {
    body,
    blocks,
    images: groupByPage(images),
    lineNo,
  });
  const { pieces: withPhotos, files, problems } = photoFigures(pieces, photos, captions, lineNo, dropped);
  const { sections, warnings } = assembleArticles(withPhotos, dropped);
  for (const article of sections.flatMap((s) => s.articles)) {
    for (const f of article.figures ?? []) if (f.alt === "") f.alt = article.title ? `配图：${article.title}` : "配图";
  }
  const issue: Issue = { sections, distribution: footer.distribution };
  if (top.masthead) issue.masthead = top.masthead;
  dropped.sort((a, b) => a.line - b.line);
  const undecoded = (doc.undecoded ?? []).map(
    (u) => `a picture of ${u.width}×${u.height} pixels is too large to read and was left out`,
  );
  // Only the pictures of figures the issue shows (one standing where no article is was left out).
  const shown = new Set(sections.flatMap((s) => s.articles.flatMap((a) => (a.figures ?? []).map((f) => f.src))));
  const kept = files.filter((f) => shown.has(f.src));
  return {
    issue,
    format: "pdf",
    dropped,
    warnings: [...warnings, ...footer.warnings, ...problems, ...undecoded],
    imagesSkipped: images.length - kept.length + undecoded.length,
    ...(kept.length > 0 ? { images: kept } : {}),
  };
}

/**
 * Gives each figure piece whose photo the reader made its picture (numbered images/1.jpg, … in
 * reading order) and its caption; a photo without a picture leaves the text with a warning, and its
 * caption is dropped.
 */
function photoFigures(
  pieces: readonly Piece[],
  photos: ReadonlyMap<Piece, PagePhoto>,
  captions: readonly { line: PdfLine; photo: PagePhoto }[],
  lineNo: ReadonlyMap<PdfLine, number>,
  dropped: DroppedText[],
): { pieces: Piece[]; files: IssueImage[]; problems: string[] } {
  const kept: Piece[] = [];
  const files: IssueImage[] = [];
  const problems: string[] = [];
  for (const piece of pieces) {
    const photo = photos.get(piece);
    if (!photo || piece.kind !== "figure") {
      kept.push(piece);
      continue;
    }
    const lines = captions.filter((c) => c.photo === photo).map((c) => c.line);
    if (!photo.photo) {
      const why = photo.problem ? `${photo.problem.detail}` : "the reader made no picture of it";
      problems.push(`page ${photo.page}: a photo was left out (${why}); the text around it is imported`);
      dropped.push(
        ...lines.map((line) => ({
          line: lineNo.get(line)!,
          page: line.page,
          text: line.text,
          reason: "caption" as const,
        })),
      );
      continue;
    }
    const src = `images/${files.length + 1}.jpg`;
    files.push({ src, jpeg: photo.photo.jpeg, width: photo.photo.width, height: photo.photo.height });
    const caption = lines.map((l) => despaced(l.text)).join("");
    piece.figure = {
      src,
      alt: caption,
      ...(caption ? { caption } : {}),
      width: photo.photo.width,
      height: photo.photo.height,
    };
    piece.at = { line: lines[0] ? lineNo.get(lines[0])! : 0, page: photo.page };
    kept.push(piece);
  }
  return { pieces: kept, files, problems };
}

/**
 * The images in the text: large enough to be photos, not in the masthead, and not the same picture at
 * the same place on several pages (a logo in the header).
 */
function photoBoxes(doc: PdfDocument, masthead: ReadonlySet<PdfLine>): PagePhoto[] {
  const mastheadBottom = Math.max(0, ...[...masthead].map((l) => l.y));
  const key = (b: PdfImage) => [b.x, b.y, b.width, b.height].map(Math.round).join(",");
  const seen = new Map<string, number>();
  for (const p of doc.pages) for (const b of p.images) seen.set(key(b), (seen.get(key(b)) ?? 0) + 1);
  return doc.pages.flatMap((p) =>
    p.images
      .filter((b) => b.width >= MIN_PHOTO_SIDE && b.height >= MIN_PHOTO_SIDE)
      .filter((b) => !(p.number === 1 && b.y + b.height <= mastheadBottom))
      .filter((b) => doc.pages.length === 1 || (seen.get(key(b)) ?? 0) < 2)
      .map((b) => ({ ...b, page: p.number })),
  );
}

function groupByPage<T extends { page: number }>(items: readonly T[]): Map<number, T[]> {
  const out = new Map<number, T[]>();
  for (const it of items) out.set(it.page, [...(out.get(it.page) ?? []), it]);
  return out;
}
