#!/usr/bin/env node
// `npm start`: the main job on the embedded default. Until the local stack (DynamoDB, SES and SQS
// emulators behind the Hono app) exists, it imports the sample bulletin, shows its outline, and
// writes it as Markdown and JSON under DATA_DIR (default ./.data) for the clerk to check and edit.
import { mkdirSync } from "node:fs";
import { basename, join } from "node:path";
import { register } from "tsx/esm/api";

register();
const { main } = await import("../packages/cli/src/main.ts");

const sample = "samples/bulletins/004_c6f4c6a81dc11ba8.txt";
const dir = join(process.env.DATA_DIR ?? ".data", "samples");
mkdirSync(dir, { recursive: true });
const stem = basename(sample, ".txt");
const md = join(dir, `${stem}.md`);
const json = join(dir, `${stem}.json`);

let code = await main(["import", sample, "--out", md]);
if (code === 0) code = await main(["import", sample, "--out", json], { out() {}, err() {} });
if (code === 0) {
  process.stdout.write(`
Imported the sample bulletin ${sample}.
  Markdown to check or correct: ${md}
  Issue JSON (the contract other tools read): ${json}
Re-import a corrected copy with:  npx bulletin import ${md}
`);
}
process.exitCode = code;
