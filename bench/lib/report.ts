import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";

/** The machine a figure was measured on: a benchmark figure means nothing without it. */
export function machine() {
  const cpu = cpus();
  return {
    node: process.version,
    cpus: cpu.length,
    cpuModel: cpu[0]?.model ?? "unknown",
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    at: new Date().toISOString(),
  };
}

/**
 * Prints a bench's table and writes bench/results/<name>.json (the figures BENCHMARKS.md quotes),
 * with each target and whether it was met.
 *
 * @example
 * writeResults("render", { rows, targets: [{ name: "3 tiers warm", target: "≤ 150 ms", value: 12, met: true }] });
 */
export function writeResults(
  name: string,
  results: {
    rows: Record<string, unknown>[];
    targets: { name: string; target: string; value: number | string; met: boolean }[];
    [k: string]: unknown;
  },
) {
  console.log(`\n== ${name} ==`);
  console.table(results.rows);
  console.table(
    results.targets.map((t) => ({ target: t.name, wanted: t.target, measured: t.value, met: t.met ? "yes" : "NO" })),
  );
  mkdirSync("bench/results", { recursive: true });
  writeFileSync(`bench/results/${name}.json`, `${JSON.stringify({ machine: machine(), ...results }, null, 2)}\n`);
}

/** Milliseconds since `start` (performance.now()), to two decimals. */
export const since = (start: number) => Math.round((performance.now() - start) * 100) / 100;

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}
