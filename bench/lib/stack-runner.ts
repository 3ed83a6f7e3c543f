import { spawn } from "node:child_process";
import { createInterface } from "node:readline";

/**
 * Starts bench/lib/stack-process.ts: the emulators (DynamoDB Local, fauxqs, aws-ses-v2-local) in a
 * process of their own, as AWS's services are apart from the service. Resolves with their endpoints;
 * `stop` reports that process's peak RSS in MB (DynamoDB Local's JVM is a child of it, measured apart).
 *
 * @example
 * const stack = await startStackProcess();
 * // … LOCAL_EMULATORS=off, BULLETIN_*_ENDPOINT=stack.endpoints.* …
 * await stack.stop();
 */
export async function startStackProcess() {
  const child = spawn(process.execPath, ["--import", "tsx", "bench/lib/stack-process.ts"], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const first = JSON.parse((await lines.next()).value as string) as {
    endpoints: Record<"dynamodb" | "sqs" | "ses" | "sns", string>;
    dynamoPid: number;
  };
  return {
    endpoints: first.endpoints,
    dynamoPid: first.dynamoPid,
    async stop(): Promise<{ peakRssMb: number | null; dynamoPeakRssMb: number | null }> {
      if (child.exitCode !== null || child.signalCode !== null) return { peakRssMb: null, dynamoPeakRssMb: null };
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      const report = (await lines.next()).value as string | undefined;
      await exited;
      return report
        ? (JSON.parse(report) as { peakRssMb: number | null; dynamoPeakRssMb: number | null })
        : { peakRssMb: null, dynamoPeakRssMb: null };
    },
  };
}
