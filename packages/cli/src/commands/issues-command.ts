import { parseArgs } from "node:util";
import { decodeInput, detectFormat, type ImportFormat, isPdf } from "@bulletin/core";
import { readServiceConfig } from "../cli-config.ts";
import { type CliIo, UsageError } from "../cli-io.ts";
import { readInputFile } from "../read-input-file.ts";
import { callService } from "../service-client.ts";

export const issuesUsage = `usage: bulletin issues list [--limit N]
       bulletin issues import FILE [--format text|markdown|json] [--encoding gb18030]

list shows the stored issues, newest first: id, issue number, label, articles, imported at.
import stores FILE (the bulletin PDF, sent as it is; its text, Markdown, Issue JSON)
in the running service and prints its id; "bulletin import FILE" only shows the outline, locally.
Acts on the running service: BULLETIN_URL and BULLETIN_TOKEN.`;

const TYPES: Record<ImportFormat, string> = {
  pdf: "application/pdf",
  text: "text/plain; charset=utf-8",
  markdown: "text/markdown; charset=utf-8",
  json: "application/json",
};

interface Summary {
  id: string;
  label: string;
  createdAt: string;
  articles: number;
  masthead?: { number?: string };
}

/**
 * `bulletin issues list|import`.
 *
 * @example
 * await issuesCommand(["import", "samples/bulletins/004_c6f4c6a81dc11ba8.txt"], io); // prints the new id
 */
export async function issuesCommand(args: string[], io: CliIo): Promise<number> {
  const [action, ...rest] = args;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: { limit: { type: "string", default: "20" }, format: { type: "string" }, encoding: { type: "string" } },
  });
  const config = readServiceConfig(io.env);
  if (action === "list") {
    if (!/^\d{1,3}$/.test(values.limit) || Number(values.limit) < 1 || Number(values.limit) > 100)
      throw new UsageError("--limit must be a number from 1 to 100");
    const { items } = (await (await callService(config, "GET", `/api/issues?limit=${values.limit}`)).json()) as {
      items: Summary[];
    };
    for (const i of items)
      io.out(`${i.id}\t${i.masthead?.number ?? "(no number)"}\t${i.label}\t${i.articles} articles\t${i.createdAt}\n`);
    io.err(`${items.length} issues\n`);
    return 0;
  }
  if (action === "import") {
    if (positionals.length !== 1) throw new UsageError("give the FILE to import");
    const format = values.format as ImportFormat | undefined;
    if (format !== undefined && !(format in TYPES))
      throw new UsageError("--format must be pdf, text, markdown or json");
    const file = positionals[0]!;
    const bytes = readInputFile(file);
    const pdf = format === "pdf" || isPdf(bytes);
    // The text is decoded here (--encoding overrides the detection) and sent as UTF-8; a PDF goes as it is.
    const text = pdf
      ? undefined
      : decodeInput(bytes, values.encoding === undefined ? {} : { encoding: values.encoding });
    const body =
      text === undefined
        ? { type: "application/pdf", data: bytes }
        : { type: TYPES[format ?? detectFormat(text, file)], data: text };
    const created = (await (await callService(config, "POST", "/api/issues", body)).json()) as Summary & {
      warnings: string[];
    };
    io.out(`${created.id}\n`);
    io.err(
      `stored issue ${created.id}: ${created.label}, ${created.articles} articles${created.masthead?.number ? "" : " (no issue number yet: set it on the issue page, or PATCH /api/issues/{id})"}\n`,
    );
    for (const w of created.warnings ?? []) io.err(`check: ${w}\n`);
    return 0;
  }
  throw new UsageError(action ? `unknown action "${action}"` : "say list or import");
}
