import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { decodeText, type Recipient, TIER_ALIASES } from "@bulletin/core";
import { readServiceConfig } from "../cli-config.ts";
import { type CliIo, UsageError } from "../cli-io.ts";
import { readInputFile } from "../read-input-file.ts";
import { callService } from "../service-client.ts";

export const recipientsUsage = `usage: bulletin recipients import FILE.csv [--encoding gb18030]
       bulletin recipients export [--out FILE.csv]
       bulletin recipients list [--tier report|distribute|copy|报|发|送] [--status S] [--q TEXT] [--limit N] [--all]

Acts on the running service through its API: BULLETIN_URL (default http://localhost:3000)
and BULLETIN_TOKEN. CSV columns: email,name,organization,tier,role (tier: report|distribute|copy or 报|发|送).
The file may be UTF-8 (with or without a BOM), UTF-16 with a BOM, or GBK/GB18030 as Excel saves it on
Chinese Windows: recognised by its bytes, or named with --encoding. Anything else is refused, never
imported garbled. import exits with 1 when any row was rejected; export writes UTF-8 with a BOM
(so Excel shows the Chinese).`;

interface ImportReport {
  created: number;
  updated: number;
  unchanged: number;
  skipped: { line: number; email: string; reason: string }[];
  rejected: { line: number; reason: string; email?: string }[];
}

/**
 * `bulletin recipients import|export|list`.
 *
 * @example
 * await recipientsCommand(["import", "samples/recipients.csv"], io);
 */
export async function recipientsCommand(args: string[], io: CliIo): Promise<number> {
  const [action, ...rest] = args;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      out: { type: "string" },
      tier: { type: "string" },
      status: { type: "string" },
      q: { type: "string" },
      limit: { type: "string", default: "50" },
      all: { type: "boolean", default: false },
      encoding: { type: "string" },
    },
  });
  if (action === "import") {
    if (positionals.length !== 1) throw new UsageError("give the CSV FILE to import");
    // Decoded here (the same rules as the service's), so --encoding can override the detection; sent as UTF-8.
    const csv = decodeText(readInputFile(positionals[0]!), { charset: values.encoding }).text;
    const res = await callService(readServiceConfig(io.env), "POST", "/api/recipients/import", {
      type: "text/csv; charset=utf-8",
      data: csv,
    });
    const report = (await res.json()) as ImportReport;
    io.out(
      `created ${report.created}, updated ${report.updated}, unchanged ${report.unchanged}, skipped ${report.skipped.length}, rejected ${report.rejected.length}\n`,
    );
    for (const s of report.skipped) io.out(`  line ${s.line}: skipped ${s.email} (${s.reason})\n`);
    for (const r of report.rejected) io.out(`  line ${r.line}: rejected${r.email ? ` ${r.email}` : ""}: ${r.reason}\n`);
    // A rejected row is a row not imported: scripts must not take that for success.
    return report.rejected.length > 0 ? 1 : 0;
  }
  if (action === "export") {
    // The bytes as the API sent them, BOM included (Response.text() would drop it, and Excel on a
    // Chinese Windows would then read the file as GBK).
    const bytes = new Uint8Array(
      await (await callService(readServiceConfig(io.env), "GET", "/api/recipients/export")).arrayBuffer(),
    );
    const csv =
      bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf
        ? bytes
        : Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), bytes]);
    if (values.out) {
      writeFileSync(values.out, csv);
      io.out(
        `Wrote ${values.out} (${Buffer.from(csv).toString("utf8").trimEnd().split("\n").length - 1} recipients)\n`,
      );
    } else io.out(Buffer.from(csv).toString("utf8"));
    return 0;
  }
  if (action === "list") {
    const tier = values.tier === undefined ? undefined : TIER_ALIASES[values.tier.toLowerCase()];
    if (values.tier !== undefined && !tier)
      throw new UsageError("--tier must be report, distribute, copy, 报, 发 or 送");
    if (!/^\d+$/.test(values.limit)) throw new UsageError("--limit must be a number");
    const config = readServiceConfig(io.env);
    let cursor: string | undefined;
    let shown = 0;
    do {
      const query = new URLSearchParams({ limit: values.limit });
      if (tier) query.set("tier", tier);
      if (values.status) query.set("status", values.status);
      if (values.q) query.set("q", values.q);
      if (cursor) query.set("cursor", cursor);
      const page = (await (await callService(config, "GET", `/api/recipients?${query}`)).json()) as {
        items: Recipient[];
        cursor?: string;
      };
      for (const r of page.items) io.out(`${r.email}\t${r.tier}\t${r.status}\t${r.organization}\t${r.name}\n`);
      shown += page.items.length;
      cursor = page.cursor;
    } while (values.all && cursor);
    io.err(`${shown} recipients${cursor ? " (more: --all)" : ""}\n`);
    return 0;
  }
  throw new UsageError(action ? `unknown action "${action}"` : "say import, export or list");
}
