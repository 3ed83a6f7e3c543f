import type { PdfPage } from "./pdf-document.ts";
import type { PdfLine } from "./text-lines.ts";

/** A page number as printed: — 3 —, -3-, 3, 第3页, 第3页 共20页, 3/20. */
const PAGE_NUMBER =
  /^(?:[—\-–－~～]+\s*\d{1,3}\s*[—\-–－~～]+|\d{1,3}|第\s*\d{1,3}\s*页(?:\s*[，,]?\s*共\s*\d{1,3}\s*页)?|\d{1,3}\s*[/／]\s*\d{1,3})$/u;
/** The margins where page furniture stands, as a share of the page's height. */
const TOP_MARGIN = 0.12;
const BOTTOM_MARGIN = 0.14;

export interface Furniture {
  line: PdfLine;
  reason: "page-number" | "running-header";
}

/**
 * Finds the page furniture by where it stands: page numbers, and running headers or footers (the same
 * text, numbers aside, in the top or bottom margin of two pages or more). It is not part of the
 * bulletin's text, so it is taken out before anything else is read.
 *
 * @example
 * pageFurniture(lines, pages).map((f) => f.line.text); // ["— 1 —", "— 2 —"]
 */
export function pageFurniture(lines: readonly PdfLine[], pages: readonly PdfPage[]): Furniture[] {
  const height = new Map(pages.map((p) => [p.number, p.height]));
  const inMargin = (l: PdfLine) => {
    const h = height.get(l.page) ?? 842;
    return l.y - l.size < h * TOP_MARGIN || l.y > h * (1 - BOTTOM_MARGIN);
  };
  const edges = edgeLines(lines);
  const candidates = lines.filter((l) => inMargin(l) && edges.has(l));
  const shape = (l: PdfLine) =>
    `${l.y < (height.get(l.page) ?? 842) / 2 ? "top" : "bottom"}|${l.text.replace(/\d+/gu, "#")}`;
  const pagesOf = new Map<string, Set<number>>();
  for (const l of candidates) {
    const key = shape(l);
    pagesOf.set(key, (pagesOf.get(key) ?? new Set()).add(l.page));
  }
  const out: Furniture[] = [];
  for (const line of candidates) {
    if (PAGE_NUMBER.test(line.text)) out.push({ line, reason: "page-number" });
    else if (pages.length > 1 && (pagesOf.get(shape(line))?.size ?? 0) >= 2)
      out.push({ line, reason: "running-header" });
  }
  return out;
}

/** The first two and last two lines of every page: furniture is above or below all of the text. */
function edgeLines(lines: readonly PdfLine[]): Set<PdfLine> {
  const byPage = new Map<number, PdfLine[]>();
  for (const l of lines) byPage.set(l.page, [...(byPage.get(l.page) ?? []), l]);
  const out = new Set<PdfLine>();
  for (const pageLines of byPage.values()) {
    const sorted = [...pageLines].sort((a, b) => a.y - b.y);
    for (const l of [...sorted.slice(0, 2), ...sorted.slice(-2)]) out.add(l);
  }
  return out;
}
