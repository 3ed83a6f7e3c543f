/**
 * What a PDF gives a reader of its layout, page by page: every piece of text with its position, size
 * and font, the horizontal and vertical rules drawn on the page, and where images are painted. The
 * PDF adapter (packages/pdf, on PDF.js) produces it; the importer in this folder reads the bulletin's
 * structure from it. Coordinates are in points from the page's top-left corner, as the page is seen.
 */
export interface PdfDocument {
  pages: PdfPage[];
}

export interface PdfPage {
  /** 1-based. */
  number: number;
  width: number;
  height: number;
  /** In content-stream order; a CJK line may come as runs or as one item per glyph. */
  items: PdfTextItem[];
  /** Thin filled rectangles and stroked lines, horizontal or vertical: rules and table borders. */
  rules: PdfBox[];
  /** Where images are painted (photos, logos, ornaments). */
  images: PdfBox[];
}

export interface PdfTextItem {
  text: string;
  /** Left edge of the text. */
  x: number;
  /** The baseline, from the top of the page. */
  y: number;
  width: number;
  /** Font size in points. */
  size: number;
  /** The font's name as embedded, e.g. "ABCDEF+SimHei" or "NotoSerifCJKsc-Bold". */
  font: string;
  /** From the font's descriptor, when the name does not say it. */
  bold?: boolean;
}

export interface PdfBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * The port an adapter implements: PDF bytes in, the layout out. Throws ImportError with the code
 * "import.pdf-encrypted" (password-protected) or "import.pdf-damaged" (not readable as a PDF).
 */
export interface PdfReader {
  read(bytes: Uint8Array): Promise<PdfDocument>;
}
