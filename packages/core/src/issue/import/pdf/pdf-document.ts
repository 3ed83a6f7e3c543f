/**
 * What a PDF gives a reader of its layout, page by page: every piece of text with its position, size
 * and font, the horizontal and vertical rules drawn on the page, and where images are painted. The
 * PDF adapter (packages/pdf, on PDF.js) produces it; the importer in this folder reads the bulletin's
 * structure from it. Coordinates are in points from the page's top-left corner, as the page is seen.
 */
export interface PdfDocument {
  pages: PdfPage[];
  /**
   * Pictures the reader did not decode at all (too many pixels to hold in memory), so they have no
   * place on a page: the importer says they were left out.
   */
  undecoded?: { width: number; height: number }[];
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
  images: PdfImage[];
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
 * An image painted on a page, with the picture itself when the reader made one: a photo ready for
 * the web and the email (a JPEG, at most MAX_PHOTO_WIDTH pixels wide), or why it could not.
 */
export interface PdfImage extends PdfBox {
  /** The same picture painted again (a logo on every page) has the same key. */
  key?: string;
  photo?: WebPhoto;
  /** Why there is no photo: the picture could not be decoded, or was of an absurd size. */
  problem?: { kind: "undecodable" | "absurd-size"; detail: string };
}

/** A picture encoded for the web: JPEG bytes and their size in pixels. */
export interface WebPhoto {
  jpeg: Uint8Array;
  width: number;
  height: number;
}

/** Photos are downscaled to this width for the web and the email (a 600 px column at 2×). */
export const MAX_PHOTO_WIDTH = 1200;

/** Images smaller than this (points, either side) are ornaments: bullets, icons, a rule drawn as a picture. */
export const MIN_PHOTO_SIDE = 36;

/**
 * The port an adapter implements: PDF bytes in, the layout out. Throws ImportError with the code
 * "import.pdf-encrypted" (password-protected) or "import.pdf-damaged" (not readable as a PDF).
 */
export interface PdfReader {
  read(bytes: Uint8Array): Promise<PdfDocument>;
}
