// npm run bench [-- name…]: runs each benchmark in its own process (so one's memory and warm JIT
// never flatter the next), in order; each prints its tables and writes bench/results/<name>.json.
// Names: render, pdf, bundles, send, domains, ingest, load, scale. scale (100,000 recipients) takes the longest.
import { spawnSync } from "node:child_process";
import { bundleForNode } from "./lib/build-entry.ts";

const ALL = ["render", "pdf", "bundles", "send", "domains", "ingest", "load", "scale"];
// The scale bench measures what the service needs: V8 otherwise keeps a heap as large as the
// machine lets it (24 GB here), so the peak would say more about V8's appetite than the service's.
// The same cap is what a container or a Lambda's memory setting imposes in production.
const NODE_FLAGS: Record<string, string[]> = { scale: ["--max-old-space-size=160"] };
const chosen = process.argv.slice(2).filter((a) => a !== "--");
const unknown = chosen.filter((n) => !ALL.includes(n));
if (unknown.length) {
  console.error(`npm run bench: unknown benchmark ${unknown.join(", ")}; choose from ${ALL.join(", ")}`);
  process.exit(2);
}
// scale runs bundled, as the service runs when deployed, not through tsx (bench/lib/build-entry.ts says why).
const BUNDLED = new Set(["scale"]);
let failed = 0;
for (const name of chosen.length ? chosen : ALL) {
  let entry = ["--import", "tsx", `bench/${name}.ts`];
  if (BUNDLED.has(name)) {
    await bundleForNode(`bench/${name}.ts`, `bench/.build/${name}.mjs`);
    entry = [`bench/.build/${name}.mjs`];
  }
  // The AWS SDK's notice that its 2027 releases need Node 22 says nothing about a benchmark: each
  // bench process would print it once per SDK it loads, between the tables.
  const r = spawnSync(process.execPath, [...(NODE_FLAGS[name] ?? []), ...entry], {
    stdio: "inherit",
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" },
  });
  if (r.status !== 0) {
    console.error(`bench ${name} failed (exit ${r.status})`);
    failed++;
  }
}
process.exit(failed ? 1 : 0);
