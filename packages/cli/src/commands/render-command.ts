import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { InvalidInputError, type Tier, TIER_ALIASES, TIERS } from "@bulletin/core";
import { GMAIL_CLIP_BYTES } from "@bulletin/mjml";
import { readCliConfig } from "../cli-config.ts";
import { type CliIo, UsageError } from "../cli-io.ts";
import { issueFileOptions, loadIssue } from "../load-issue.ts";
import { renderSample, rendererFor } from "../render-issue.ts";

export const renderUsage = `usage: bulletin render FILE [--tier report|distribute|copy|报|发|送] [--out DIR] [--settings FILE]

Renders the bulletin email for a tier (all three when --tier is left out) and writes
DIR/<tier>.html and DIR/<tier>.txt (DIR defaults to ./out), then prints their sizes.
  --settings FILE   render settings JSON: bulletinName, masthead, sender, logo, and per tier
                    {label, subjectPrefix, note}
  --format, --encoding   as for bulletin import
Links point at PUBLIC_URL (default http://localhost:3000).`;

/**
 * `bulletin render FILE --tier T [--out DIR]`.
 *
 * @example
 * await renderCommand(["issue.txt", "--tier", "copy", "--out", "/tmp/x"], io); // writes /tmp/x/copy.html, /tmp/x/copy.txt
 */
export async function renderCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      tier: { type: "string" },
      out: { type: "string", default: "out" },
      settings: { type: "string" },
      ...issueFileOptions,
    },
  });
  if (positionals.length !== 1)
    throw new UsageError(positionals.length ? "give one FILE to render" : "FILE is missing");
  const named = values.tier === undefined ? undefined : TIER_ALIASES[values.tier.toLowerCase()];
  if (values.tier !== undefined && !named)
    throw new UsageError(`--tier must be one of ${TIERS.join(", ")} (or 报, 发, 送)`);
  const tiers: readonly Tier[] = named ? [named] : TIERS;
  const config = readCliConfig(io.env);
  const { issue } = await loadIssue(positionals[0]!, values);
  const renderer = rendererFor(values.settings);
  try {
    mkdirSync(values.out, { recursive: true });
  } catch (e) {
    throw new InvalidInputError("output.unwritable", `cannot create ${values.out}: ${(e as Error).message}`);
  }
  for (const tier of tiers) {
    const { email, shortened } = await renderSample(renderer, issue, tier, config);
    const html = join(values.out, `${tier}.html`);
    const text = join(values.out, `${tier}.txt`);
    writeFileSync(html, email.html);
    writeFileSync(text, email.text);
    io.out(`${html}  ${kb(email.html)} (Gmail clips over ${GMAIL_CLIP_BYTES / 1024} KB)\n${text}  ${kb(email.text)}\n`);
    io.out(`  subject: ${email.subject}\n`);
    if (shortened) {
      io.out(
        `  note: the full issue is over ${GMAIL_CLIP_BYTES / 1024} KB, so this is the short version: headlines, first paragraphs and 阅读全文 links to the web version\n`,
      );
    }
  }
  return 0;
}

function kb(s: string): string {
  return `${(Buffer.byteLength(s, "utf8") / 1024).toFixed(1)} KB`;
}
