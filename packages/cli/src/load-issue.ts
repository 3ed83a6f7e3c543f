import {
  IMPORT_FORMATS,
  type ImportFormat,
  importIssueFile,
  type ImportResult,
  InvalidInputError,
} from "@bulletin/core";
import { PdfJsReader } from "@bulletin/pdf";
import { UsageError } from "./cli-io.ts";
import { readInputFile } from "./read-input-file.ts";

/** The options every command that reads an issue file takes. */
export const issueFileOptions = {
  format: { type: "string" },
  encoding: { type: "string" },
} as const;

/**
 * Reads and imports an issue file (the bulletin PDF, its text, Markdown or Issue JSON), as
 * `bulletin import` does.
 *
 * @example
 * const { issue } = await loadIssue("2026-01.pdf", {});
 */
export async function loadIssue(file: string, opts: { format?: string; encoding?: string }): Promise<ImportResult> {
  const format = opts.format as ImportFormat | undefined;
  if (format !== undefined && !IMPORT_FORMATS.includes(format))
    throw new UsageError(`--format must be one of ${IMPORT_FORMATS.join(", ")}`);
  return importIssueFile(
    readInputFile(file),
    { name: file, ...(format ? { format } : {}), ...(opts.encoding ? { encoding: opts.encoding } : {}) },
    { pdf: new PdfJsReader() },
  );
}

/** Reads a JSON file the user named, e.g. render settings. */
export function readJsonFile(path: string): unknown {
  const text = new TextDecoder().decode(readInputFile(path));
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new InvalidInputError("input.json", `${path} is not valid JSON: ${(e as Error).message}`);
  }
}
