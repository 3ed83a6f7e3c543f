import { decodeInput, type ImportFormat, importIssue, type ImportResult, InvalidInputError } from "@bulletin/core";
import { UsageError } from "./cli-io.ts";
import { readInputFile } from "./read-input-file.ts";

const FORMATS: readonly ImportFormat[] = ["text", "markdown", "json"];

/** The options every command that reads an issue file takes. */
export const issueFileOptions = {
  format: { type: "string" },
  encoding: { type: "string" },
} as const;

/**
 * Reads and imports an issue file (PDF text, Markdown or Issue JSON), as `bulletin import` does.
 *
 * @example
 * const { issue } = loadIssue("samples/bulletins/000_72499c077e53a44e.txt", {});
 */
export function loadIssue(file: string, opts: { format?: string; encoding?: string }): ImportResult {
  const format = opts.format as ImportFormat | undefined;
  if (format !== undefined && !FORMATS.includes(format)) throw new UsageError(`--format must be one of ${FORMATS.join(", ")}`);
  const text = decodeInput(readInputFile(file), { encoding: opts.encoding });
  return importIssue(text, { format, name: file });
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
