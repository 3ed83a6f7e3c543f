import { mkdirSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { parseArgs } from "node:util";
import { InvalidInputError, issueToMarkdown } from "@bulletin/core";
import { type CliIo, UsageError } from "../cli-io.ts";
import { issueFileOptions, loadIssue } from "../load-issue.ts";
import { formatOutline } from "../outline.ts";

export const importUsage = `usage: bulletin import FILE [--json] [--out FILE] [--format text|markdown|json] [--encoding gb18030]

Imports a bulletin issue from the text extracted from its PDF, from Markdown, or from Issue JSON.
  --json            print the Issue JSON and nothing else on stdout
  --out FILE        also write the issue to FILE: JSON, or Markdown when FILE ends in .md
                    (a PDF's photos go beside it, in images/)
                    (edit the Markdown or JSON to correct a mis-parse, then import it again)
  --format F        the input format, when its name or content does not tell
  --encoding E      the input encoding, when it is not UTF-8 (e.g. gb18030 for GBK files)
Without --json, prints an outline to check the parse: sections, headlines, authors,
paragraph counts and the 报/发/送 tiers.`;

/**
 * `bulletin import FILE [--json] [--out FILE]`.
 *
 * @example
 * await importCommand(["samples/bulletins/004_c6f4c6a81dc11ba8.txt", "--json"], io); // 0
 */
export async function importCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      json: { type: "boolean", default: false },
      out: { type: "string" },
      ...issueFileOptions,
    },
  });
  if (positionals.length !== 1)
    throw new UsageError(positionals.length ? "give one FILE to import" : "FILE is missing");
  const file = positionals[0]!;
  const result = await loadIssue(file, values);
  const json = `${JSON.stringify(result.issue, null, 2)}\n`;

  if (values.out) {
    const content = /\.(md|markdown)$/i.test(values.out) ? issueToMarkdown(result.issue) : json;
    try {
      writeFileSync(values.out, content);
      // The photos beside it, where the figures' src (images/<n>.jpg) finds them.
      for (const image of result.images ?? []) {
        mkdirSync(join(dirname(values.out), "images"), { recursive: true });
        writeFileSync(join(dirname(values.out), image.src), image.jpeg);
      }
    } catch (e) {
      throw new InvalidInputError("output.unwritable", `cannot write ${values.out}: ${(e as Error).message}`);
    }
  }
  if (values.json) io.out(json);
  else {
    io.out(formatOutline(result, basename(file)));
    if (values.out)
      io.out(
        `Wrote ${values.out}${result.images?.length ? ` and ${result.images.length} photo(s) in ${join(dirname(values.out), "images")}` : ""}\n`,
      );
  }
  for (const w of result.warnings) io.err(`check: ${w}\n`);
  return 0;
}
