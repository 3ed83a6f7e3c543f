import { createServer } from "node:http";
import { basename } from "node:path";
import { parseArgs } from "node:util";
import { TIERS, type Tier } from "@bulletin/core";
import { escapeHtml } from "@bulletin/mjml";
import { readCliConfig } from "../cli-config.ts";
import { type CliIo, UsageError } from "../cli-io.ts";
import { issueFileOptions, loadIssue } from "../load-issue.ts";
import { renderSample, rendererFor } from "../render-issue.ts";

export const previewUsage = `usage: bulletin preview FILE [--port N] [--settings FILE]

Serves the bulletin email of all three tiers on http://localhost:N/ (default 3100), HTML and text.
The file is read again on every request: edit it and reload the page. Ctrl-C stops it.`;

const TIER_NAMES: Record<Tier, string> = { report: "报 report", distribute: "发 distribute", copy: "送 copy" };

/**
 * `bulletin preview FILE`: a local page per tier, re-rendered from the file on each request.
 *
 * @example
 * await previewCommand(["issue.txt", "--port", "3100"], io); // serves until Ctrl-C
 */
export async function previewCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { port: { type: "string", default: "3100" }, settings: { type: "string" }, ...issueFileOptions },
  });
  if (positionals.length !== 1)
    throw new UsageError(positionals.length ? "give one FILE to preview" : "FILE is missing");
  if (!/^\d{1,5}$/.test(values.port)) throw new UsageError("--port must be a port number");
  const file = positionals[0]!;
  const config = readCliConfig(io.env);
  const renderer = rendererFor(values.settings);
  await loadIssue(file, values); // fail now, not on the first request, when the file is bad

  const server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://localhost").pathname;
    const send = (status: number, type: string, body: string) => {
      res.writeHead(status, { "content-type": `${type}; charset=utf-8`, "cache-control": "no-store" });
      res.end(body);
    };
    if (path === "/") return send(200, "text/html", indexPage(file));
    const m = /^\/(report|distribute|copy)\.(html|txt)$/.exec(path);
    if (!m) return send(404, "text/plain", "not found");
    const tier = m[1] as Tier;
    loadIssue(file, values)
      .then(({ issue }) => renderSample(renderer, issue, tier, config))
      .then(({ email }) => (m[2] === "html" ? send(200, "text/html", email.html) : send(200, "text/plain", email.text)))
      .catch((e: unknown) =>
        send(500, "text/plain", `cannot render ${file}: ${e instanceof Error ? e.message : String(e)}`),
      );
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(Number(values.port), "127.0.0.1", () => resolve());
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : values.port;
  io.out(`Preview of ${file}: http://localhost:${port}/ (Ctrl-C to stop)\n`);
  await new Promise<void>((resolve) => {
    const stop = () => server.close(() => resolve());
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
  return 0;
}

function indexPage(file: string): string {
  const rows = TIERS.map(
    (t) => `<li>${TIER_NAMES[t]}: <a href="/${t}.html">HTML</a> · <a href="/${t}.txt">text</a></li>`,
  ).join("\n");
  return `<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>预览 ${escapeHtml(basename(file))}</title>
<body style="font-family: 'PingFang SC','Microsoft YaHei','Noto Sans CJK SC',sans-serif; margin: 2em;">
<h1>预览 ${escapeHtml(basename(file))}</h1><ul>${rows}</ul></body></html>`;
}
