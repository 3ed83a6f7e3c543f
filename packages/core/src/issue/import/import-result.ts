import type { Issue } from "../issue-schema.ts";

/** The formats an issue can be imported from: the PDF itself, the text extracted from it, Markdown, JSON. */
export const IMPORT_FORMATS = ["pdf", "text", "markdown", "json"] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/**
 * A piece of the input that is deliberately not in the Issue: page furniture (a page number, a
 * running header), the masthead's other lines (the editor, a stray fragment), the imprint under the
 * 报/发/送 block (印发, 共印N份), the caption of a photo that could not be imported, or markup (the 【】 around a section name, the （） around a byline, a 报：
 * label, a 、 separator). Listing them lets the clerk — and the tests — check that nothing else was lost.
 */
export interface DroppedText {
  /** 1-based line number in the input; in a PDF, the line's number counted over all pages. */
  line: number;
  /** The page, for a PDF. */
  page?: number;
  text: string;
  reason: "page-number" | "running-header" | "masthead" | "masthead-fragment" | "imprint" | "caption" | "markup";
}

export interface ImportResult {
  issue: Issue;
  format: ImportFormat;
  dropped: DroppedText[];
  /** Things the clerk should look at: an article with no heading, a footer with no 报 label, … */
  warnings: string[];
  /** A PDF's photos in the text that could not be imported (ornaments not counted). */
  imagesSkipped?: number;
  /** The pictures of the figures whose src is one of the issue's own images, to store with it. */
  images?: IssueImage[];
}

/** One of an issue's own images: `src` as the figures name it (images/<n>.jpg), and the JPEG. */
export interface IssueImage {
  src: string;
  jpeg: Uint8Array;
  width: number;
  height: number;
}
