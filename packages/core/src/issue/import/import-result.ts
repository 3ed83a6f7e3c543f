import type { Issue } from "../issue-schema.ts";

/** The formats an issue can be imported from. */
export type ImportFormat = "text" | "markdown" | "json";

/**
 * A piece of the input that is deliberately not in the Issue: a page number, a stray masthead
 * fragment, or markup (the 【】 around a section name, the （） around a byline, a 报： label, a 、
 * separator). Listing them lets the clerk — and the tests — check that nothing else was lost.
 */
export interface DroppedText {
  /** 1-based line number in the input. */
  line: number;
  text: string;
  reason: "page-number" | "masthead-fragment" | "markup";
}

export interface ImportResult {
  issue: Issue;
  format: ImportFormat;
  dropped: DroppedText[];
  /** Things the clerk should look at: an article with no heading, a footer with no 报 label, … */
  warnings: string[];
}
