// The local stack's emulators in a process of their own, for benchmarks that measure the service's
// memory without the emulators' (dynalite's LevelDB, the SES emulator's store of every email):
// prints the endpoints as one JSON line, then reports its own peak RSS on SIGTERM.
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startLocalStack } from "../../packages/local-stack/src/index.ts";

const stack = await startLocalStack({ dataDir: mkdtempSync(join(tmpdir(), "bench-stack-")) });
// Emptied twice a second: aws-ses-v2-local keeps every email it receives in memory.
const clear = setInterval(() => void fetch(`${stack.endpoints.ses}/clear-store`, { method: "POST" }).then((r) => r.arrayBuffer()).catch(() => {}), 500);
console.log(JSON.stringify({ endpoints: stack.endpoints }));
process.on("SIGTERM", () => {
  clearInterval(clear);
  const peak = /VmHWM:\s+(\d+) kB/.exec(readFileSync("/proc/self/status", "utf8"))?.[1];
  console.log(JSON.stringify({ peakRssMb: peak ? Math.round(Number(peak) / 1024) : null }));
  void stack.stop().then(() => process.exit(0));
});
