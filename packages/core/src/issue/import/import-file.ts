import { ImportError, TooLargeError } from "../../errors/errors.ts";
import { decodeInput } from "./decode-input.ts";
import type { ImportFormat, ImportResult } from "./import-result.ts";
import { importIssue } from "./import-issue.ts";
import { assertLooksLikeBulletin } from "./looks-like-bulletin.ts";
import type { PdfReader } from "./pdf/pdf-document.ts";
import { parsePdfDocument } from "./pdf/parse-pdf-document.ts";

/** The largest PDF imported: a bulletin with many photos is a few MB; 30 MB leaves room for scans' size. */
export const MAX_PDF_BYTES = 30 * 1024 * 1024;

/** The error for a PDF over MAX_PDF_BYTES, wherever its size is first known. */
export function pdfTooLarge(size: number): TooLargeError {
  return new TooLargeError(
    "import.too-large",
    `this PDF is larger than ${MAX_PDF_BYTES / 1024 / 1024} MB (${size} bytes), the most that can be imported: export it again with smaller pictures`,
  );
}

/** PDF readers accept the header anywhere in the first 1024 bytes, after junk some tools write. */
const HEADER_WINDOW = 1024;

/**
 * Is this a PDF, by its bytes: the `%PDF-` header near the start.
 *
 * @example
 * isPdf(new TextEncoder().encode("%PDF-1.7\n…")); // true
 */
export function isPdf(bytes: Uint8Array): boolean {
  const head = bytes.subarray(0, HEADER_WINDOW);
  for (let i = head.indexOf(0x25); i >= 0 && i + 4 < head.length; i = head.indexOf(0x25, i + 1)) {
    if (head[i + 1] === 0x50 && head[i + 2] === 0x44 && head[i + 3] === 0x46 && head[i + 4] === 0x2d) return true;
  }
  return false;
}

export interface ImportFileOptions {
  /** The file's name, when there is one: its extension names the format. */
  name?: string;
  format?: ImportFormat;
  /** The text's encoding, when it is not UTF-8 (text formats only). */
  encoding?: string;
}

/**
 * Imports an issue from a file's bytes: the bulletin PDF itself (recognised by its bytes, or named
 * .pdf), or its text, Markdown or Issue JSON. Every way in (the CLI, the API, the dashboard) goes
 * through here, so each refuses the same files with the same errors.
 *
 * @example
 * const result = await importIssueFile(readFileSync("2026-01.pdf"), { name: "2026-01.pdf" }, { pdf: new PdfJsReader() });
 */
export async function importIssueFile(
  bytes: Uint8Array,
  opts: ImportFileOptions,
  deps: { pdf: PdfReader },
): Promise<ImportResult> {
  const namedPdf = /\.pdf$/i.test(opts.name ?? "");
  if (opts.format === "pdf" || namedPdf || isPdf(bytes)) {
    if (bytes.length === 0) throw new ImportError("import.empty", "the file is empty");
    if (!isPdf(bytes))
      throw new ImportError(
        "import.pdf-damaged",
        "this file is not a PDF (it has no PDF header), although it was given as one",
      );
    if (bytes.length > MAX_PDF_BYTES) throw pdfTooLarge(bytes.length);
    const result = parsePdfDocument(await deps.pdf.read(bytes));
    assertLooksLikeBulletin(result);
    return result;
  }
  const text = decodeInput(bytes, opts.encoding ? { encoding: opts.encoding } : {});
  return importIssue(text, {
    ...(opts.format ? { format: opts.format } : {}),
    ...(opts.name ? { name: opts.name } : {}),
  });
}
