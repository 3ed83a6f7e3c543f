// The local stack's emulators in a process of their own, for benchmarks that measure the service
// without the emulators (DynamoDB Local's JVM, the SES emulator's store of every email): prints the
// endpoints and the JVM's pid as one JSON line, then on SIGTERM its own peak RSS and the JVM's.
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startLocalStack } from "@bulletin/emulators";

/** A process's peak RSS in MB (the kernel's high-water mark), or null. */
const peakOf = (pid: number | "self") => {
  try {
    const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
    return kb ? Math.round(Number(kb) / 1024) : null;
  } catch {
    return null;
  }
};

const stack = await startLocalStack({ dataDir: mkdtempSync(join(tmpdir(), "bench-stack-")) });
// Emptied twice a second: aws-ses-v2-local keeps every email it receives in memory.
const clear = setInterval(
  () =>
    void fetch(`${stack.endpoints.ses}/clear-store`, { method: "POST" })
      .then((r) => r.arrayBuffer())
      .catch(() => {}),
  500,
);
const dynamoPid = stack.dynamoPid;
console.log(JSON.stringify({ endpoints: stack.endpoints, dynamoPid }));
process.on("SIGTERM", () => {
  clearInterval(clear);
  console.log(JSON.stringify({ peakRssMb: peakOf("self"), dynamoPeakRssMb: dynamoPid ? peakOf(dynamoPid) : null }));
  void stack.stop().then(() => process.exit(0));
});
