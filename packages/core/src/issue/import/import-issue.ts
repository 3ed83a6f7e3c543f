import { ImportError } from "../../errors/errors.ts";
import type { ImportFormat, ImportResult } from "./import-result.ts";
import { parseIssueJson } from "./json-import.ts";
import { assertLooksLikeBulletin } from "./looks-like-bulletin.ts";
import { parseMarkdownIssue } from "./markdown-import.ts";
import { parsePdfText } from "./pdf-text/parse-pdf-text.ts";

/**
 * Guesses the format of an issue from its file name, then from its content: a JSON object, Markdown
 * with `#` headings, or else text extracted from the PDF.
 *
 * @example
 * detectFormat("{\"sections\":[]}"); // "json"
 */
export function detectFormat(text: string, name?: string): Exclude<ImportFormat, "pdf"> {
  const ext = name?.toLowerCase().match(/\.([a-z]+)$/)?.[1];
  if (ext === "json") return "json";
  if (ext === "md" || ext === "markdown") return "markdown";
  if (ext === "txt") return "text";
  const head = text.trimStart();
  if (head.startsWith("{")) return "json";
  if (/^(#{1,2}) \S/m.test(text) || /^---\r?\n/.test(head)) return "markdown";
  return "text";
}

/**
 * Imports an issue from text in any supported format.
 *
 * @example
 * const { issue, warnings } = importIssue(readFileSync("004.txt", "utf8"), { name: "004.txt" });
 */
export function importIssue(
  text: string,
  opts: { format?: Exclude<ImportFormat, "pdf">; name?: string } = {},
): ImportResult {
  if (text.trim() === "") throw new ImportError("import.empty", "the file is empty (no text in it)");
  const format = opts.format ?? detectFormat(text, opts.name);
  const result =
    format === "json" ? parseIssueJson(text) : format === "markdown" ? parseMarkdownIssue(text) : parsePdfText(text);
  if (format !== "json") assertLooksLikeBulletin(result);
  return result;
}
