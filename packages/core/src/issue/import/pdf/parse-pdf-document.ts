import { ImportError } from "../../../errors/errors.ts";
import type { Issue } from "../../issue-schema.ts";
import { assembleArticles } from "../assemble-articles.ts";
import type { DroppedText, ImportResult } from "../import-result.ts";
import { findFooter } from "../pdf-text/footer.ts";
import type { SourceLine } from "../pdf-text/source-lines.ts";
import { bodyStyleOf, textBlocks } from "./body-style.ts";
import type { PdfBox, PdfDocument } from "./pdf-document.ts";
import { toPdfPieces } from "./pdf-blocks.ts";
import { readPdfMasthead } from "./pdf-masthead.ts";
import { pageFurniture } from "./page-furniture.ts";
import { despaced, type PdfLine, pageLines } from "./text-lines.ts";

/** Fewer characters than this in the whole PDF: there is no text layer to read. */
const MIN_TEXT = 20;
/** Images smaller than this (points) are ornaments: bullets, icons, a line drawn as a picture. */
const MIN_PHOTO_SIDE = 36;

/**
 * Imports a bulletin from its PDF's layout (see PdfDocument): lines rebuilt from the text items, the
 * masthead's name, number and date from page 1, page numbers and running headers dropped by where
 * they stand, the 报/发/送 block at the end, and in between sections, headings and paragraphs read from
 * the type they are set in, compared with the body's own style.
 *
 * Every character of the body ends up in exactly one place of the Issue; what is left out (page
 * furniture, the masthead's editor line, the imprint, markup) is listed in `dropped`. Images are not
 * imported yet: `imagesSkipped` counts the ones in the text, and their captions are dropped with them.
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
    return { no: lineNo.get(l)!, text: despaced(l.text), width: Math.round((l.right - block.left) / column), indented: false };
  });
  const widest = Math.max(...[...blocks.values()].map((b) => Math.round((b.right - b.left) / column)));
  const footer = findFooter(source, widest);
  const bodyLines = content.slice(0, footer.start);
  const images = photoBoxes(doc, top.lines);

  const dropped: DroppedText[] = [
    ...top.other.map(({ line, text }) => ({ line: lineNo.get(line)!, page: line.page, text, reason: "masthead" as const })),
    ...furniture.map(({ line, reason }) => ({ line: lineNo.get(line)!, page: line.page, text: line.text, reason })),
    ...footer.dropped.map((d) => ({ ...d, page: byNo.get(d.line)?.page ?? 0 })),
  ];
  const { pieces, captions } = toPdfPieces(bodyLines, {
    body,
    blocks,
    images: groupByPage(images),
    lineNo,
  });
  dropped.push(...captions.map((line) => ({ line: lineNo.get(line)!, page: line.page, text: line.text, reason: "caption" as const })));
  const { sections, warnings } = assembleArticles(pieces, dropped);
  const issue: Issue = { sections, distribution: footer.distribution };
  if (top.masthead) issue.masthead = top.masthead;
  dropped.sort((a, b) => a.line - b.line);
  return { issue, format: "pdf", dropped, warnings: [...warnings, ...footer.warnings], imagesSkipped: images.length };
}

/**
 * The images in the text: large enough to be photos, not in the masthead, and not the same picture at
 * the same place on several pages (a logo in the header).
 */
function photoBoxes(doc: PdfDocument, masthead: ReadonlySet<PdfLine>): (PdfBox & { page: number })[] {
  const mastheadBottom = Math.max(0, ...[...masthead].map((l) => l.y));
  const key = (b: PdfBox) => [b.x, b.y, b.width, b.height].map(Math.round).join(",");
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
