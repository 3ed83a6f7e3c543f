#!/usr/bin/env node
// npm run check:infra — type-checks sst.config.ts and infra/ against SST's real component types,
// with no AWS account and no internet beyond the npm registry.
//
// SST's component types (and the Pulumi AWS provider's) exist only after `sst install`, which
// writes them to .sst/platform (git-ignored, ~300 MB). It runs here only when that is missing or
// was made by another SST version, so a second run is offline and takes the type check's time.
// `--reinstall` forces it (e.g. after adding a provider to sst.config.ts).
//
// `sst install` also bundles sst.config.ts with infra/ (and fails if it cannot) before it reads
// the app's providers. Then `tsc -p infra/tsconfig.json`.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const platform = join(root, ".sst", "platform");
const sstVersion = JSON.parse(readFileSync(join(root, "node_modules", "sst", "package.json"), "utf8")).version;

function step(label, command, args, env = {}, hint = "") {
  const started = Date.now();
  process.stdout.write(`check:infra: ${label}\n`);
  const result = spawnSync(command, args, { cwd: root, stdio: "inherit", env: { ...process.env, ...env } });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (result.status !== 0) {
    process.stderr.write(
      `check:infra: ${label} failed (exit ${result.status ?? result.signal}) after ${seconds} s${hint}\n`,
    );
    process.exit(1);
  }
  process.stdout.write(`check:infra: ${label} done in ${seconds} s\n`);
}

/** Why the installed platform cannot be used as it is, or undefined when it can. */
function staleness() {
  const versionFile = join(platform, "version");
  if (!existsSync(versionFile)) return ".sst/platform is not installed";
  const installed = readFileSync(versionFile, "utf8").trim();
  if (installed !== sstVersion) return `.sst/platform is from SST ${installed}, node_modules has ${sstVersion}`;
  for (const file of [
    "config.d.ts",
    "src/global.d.ts",
    "node_modules/@pulumi/aws/package.json",
    "node_modules/@pulumi/pulumi/package.json",
  ]) {
    if (!existsSync(join(platform, file))) return `.sst/platform/${file} is missing`;
  }
  return undefined;
}

const reason = process.argv.includes("--reinstall") ? "--reinstall" : staleness();
if (reason) {
  step(`installing SST's providers (${reason})`, join(root, "node_modules", ".bin", "sst"), ["install"], {
    // No Bun, no dependency check against the internet, no telemetry; `install` needs a stage name
    // but deploys nothing, so any name does.
    SST_NO_BUN: "1",
    SST_SKIP_DEPENDENCY_CHECK: "1",
    SST_TELEMETRY_DISABLED: "1",
    SST_STAGE: process.env.SST_STAGE || "check",
  });
  const still = staleness();
  if (still) {
    process.stderr.write(`check:infra: sst install finished but ${still}\n`);
    process.exit(1);
  }
} else {
  process.stdout.write(`check:infra: SST ${sstVersion} providers already in .sst/platform\n`);
}

step(
  "tsc -p infra/tsconfig.json",
  process.execPath,
  [join(root, "node_modules", "typescript", "bin", "tsc"), "-p", "infra/tsconfig.json"],
  {},
  reason
    ? ""
    : "\ncheck:infra: if SST's own types look wrong (a provider added since the install?), run: npm run check:infra -- --reinstall",
);
