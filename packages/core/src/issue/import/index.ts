import { ImportError } from "../../errors/errors.ts";
import type { ImportFormat, ImportResult } from "./import-result.ts";
import { parseIssueJson } from "./json-import.ts";
import { parseMarkdownIssue } from "./markdown-import.ts";
import { parsePdfText } from "./pdf-text/parse-pdf-text.ts";

export type { DroppedText, ImportFormat, ImportResult } from "./import-result.ts";
export { decodeInput, SUPPORTED_ENCODINGS } from "./decode-input.ts";
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
  if (/^(#{1,2}) \S/m.test(text) || /^---\r?\n/.test(head)) return "markdown";
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
  if (format !== "json") assertLooksLikeBulletin(result);
  return result;
}

/**
 * Text that parsed but is not a bulletin — an English README, a stray paragraph — is refused rather
 * than imported as an issue with no headlines.
 */
function assertLooksLikeBulletin({ issue }: ImportResult): void {
  const articles = issue.sections.flatMap((s) => s.articles);
  const text = JSON.stringify(issue);
  const why = !/\p{Script=Han}/u.test(text)
    ? "it has no Chinese text"
    : articles.length === 0
      ? "no articles found"
      : articles.every((a) => a.title === "") && issue.sections.every((s) => s.name === null)
        ? "no headlines and no 【section】 headers found"
        : undefined;
  if (why) {
    throw new ImportError(
      "import.not-a-bulletin",
      `not a bulletin: ${why} — expected headlines over paragraphs of Chinese text, 【section】 headers and a 报/发/送 footer`,
    );
  }
}
export type { PdfBox, PdfDocument, PdfPage, PdfReader, PdfTextItem } from "./pdf/pdf-document.ts";
export { parsePdfDocument } from "./pdf/parse-pdf-document.ts";
