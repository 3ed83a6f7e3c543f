import { ImportError } from "../../errors/errors.ts";
import type { ImportFormat, ImportResult } from "./import-result.ts";
import { parseIssueJson } from "./json-import.ts";
import { parseMarkdownIssue } from "./markdown-import.ts";
import { parsePdfText } from "./pdf-text/parse-pdf-text.ts";

export type { DroppedText, ImportFormat, ImportResult } from "./import-result.ts";
export { parseIssueJson } from "./json-import.ts";
export { parseMarkdownIssue } from "./markdown-import.ts";
export { parsePdfText } from "./pdf-text/parse-pdf-text.ts";

/**
 * Guesses the format of an issue from its file name, then from its content: a JSON object, Markdown
 * with `#` headings, or else text extracted from the PDF.
 *
 * @example
 * detectFormat("{\"sections\":[]}"); // "json"
 */
export function detectFormat(text: string, name?: string): ImportFormat {
  const ext = name?.toLowerCase().match(/\.([a-z]+)$/)?.[1];
  if (ext === "json") return "json";
  if (ext === "md" || ext === "markdown") return "markdown";
  if (ext === "txt") return "text";
  const head = text.trimStart();
  if (head.startsWith("{")) return "json";
  if (/^(#{1,2}) \S/m.test(text) || head.startsWith("---\n")) return "markdown";
  return "text";
}

/**
 * Imports an issue from text in any supported format.
 *
 * @example
 * const { issue, warnings } = importIssue(readFileSync("004.txt", "utf8"), { name: "004.txt" });
 */
export function importIssue(text: string, opts: { format?: ImportFormat; name?: string } = {}): ImportResult {
  if (text.trim() === "") throw new ImportError("import.empty", "the file is empty (no text in it)");
  const format = opts.format ?? detectFormat(text, opts.name);
  const result =
    format === "json" ? parseIssueJson(text) : format === "markdown" ? parseMarkdownIssue(text) : parsePdfText(text);
  const articles = result.issue.sections.reduce((n, s) => n + s.articles.length, 0);
  if (format !== "json" && articles === 0) {
    throw new ImportError(
      "import.not-a-bulletin",
      "no articles found — expected headlines and paragraphs of bulletin text, 【section】 headers and a 报/发/送 footer",
    );
  }
  return result;
}
