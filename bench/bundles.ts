// Benchmark: each Lambda handler bundled as a deployment bundles it (esbuild: everything it imports,
// the AWS SDK included, minified, for Node 22), its size, and its cold import time: a fresh Node
// process importing the bundle, as a cold start does before the first invocation. The handlers that
// do not render (dispatcher, ses-events, scheduler) must not carry MJML: under 3 MB each.
import { spawnSync } from "node:child_process";
import { mkdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { build } from "esbuild";
import { writeResults } from "./lib/report.ts";

const HANDLERS = ["api", "sender", "dispatcher", "ses-events", "scheduler"];
const RENDERING = new Set(["api", "sender"]);
const OUT = "bench/.build/handlers";
const LIMIT_MB = 3;
const RUNS = 5;

mkdirSync(OUT, { recursive: true });
const rows = [];
for (const name of HANDLERS) {
  const outfile = join(OUT, `${name}.mjs`);
  const result = await build({
    entryPoints: [`packages/functions/src/handlers/${name}.ts`],
    outfile,
    bundle: true,
    minify: true,
    platform: "node",
    format: "esm",
    target: "node22",
    metafile: true,
    logLevel: "error",
    // CommonJS packages inside an ESM bundle need a require of their own.
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  });
  const inputs = Object.keys(result.metafile.inputs);
  const mjml = inputs.some((p) => /node_modules\/mjml/.test(p));
  const typescript = inputs.some((p) => /node_modules\/typescript\//.test(p));
  // Cold import: the median of fresh processes, each importing the bundle once.
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const r = spawnSync(
      process.execPath,
      [
        "--input-type=module",
        "-e",
        `const t = performance.now(); await import(${JSON.stringify(`${process.cwd()}/${outfile}`)}); console.log(performance.now() - t);`,
      ],
      { encoding: "utf8" },
    );
    if (r.status !== 0) throw new Error(`importing ${outfile} failed: ${r.stderr}`);
    times.push(Number(r.stdout.trim()));
  }
  times.sort((a, b) => a - b);
  const mb = statSync(outfile).size / 2 ** 20;
  rows.push({
    handler: name,
    "bundle MB": Math.round(mb * 100) / 100,
    "cold import ms (median of 5)": Math.round(times[Math.floor(RUNS / 2)]!),
    "has MJML": mjml ? "yes" : "no",
    "has TypeScript": typescript ? "yes" : "no",
    renders: RENDERING.has(name) ? "yes" : "no",
  });
}
writeResults("bundles", {
  rows,
  targets: rows
    .filter((r) => r.renders === "no")
    .map((r) => ({
      name: `${r.handler}: bundle without MJML`,
      target: `< ${LIMIT_MB} MB`,
      value: `${r["bundle MB"]} MB${r["has MJML"] === "yes" ? " (with MJML)" : ""}`,
      met: r["bundle MB"] < LIMIT_MB && r["has MJML"] === "no",
    })),
});
