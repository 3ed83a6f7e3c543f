import type { Server } from "node:http";
import { createRequire } from "node:module";
import { createServer, type AddressInfo } from "node:net";
import { Worker } from "node:worker_threads";
import { startFauxqs } from "fauxqs";

// aws-ses-v2-local is CommonJS with `exports.default`: Node's ESM import yields module.exports while
// vitest's interop yields the function itself. require() gives the same object under node, tsx and vitest.
const sesLocal = createRequire(import.meta.url)("aws-ses-v2-local") as {
  default: (config: { host: string; port: number }) => Promise<Server>;
};

/** One emulator running inside this Node process. */
export interface RunningEmulator {
  /** Base URL, e.g. http://127.0.0.1:4567 */
  url: string;
  stop(): Promise<void>;
}

// Loopback only: the emulators accept any credentials, so they must not be reachable from the network.
const HOST = "127.0.0.1";

/**
 * Starts dynalite, persisting to LevelDB under `path`, in a worker thread: every email costs a few
 * DynamoDB writes, and on the app's own event loop dynalite would halve what the sender can do.
 *
 * @example
 * const ddb = await startDynalite({ path: ".data/dynamodb", port: 0 });
 * await ddb.stop();
 */
export async function startDynalite(opts: { path: string; port: number }): Promise<RunningEmulator> {
  // dynalite opens LevelDB before listening and cannot close it if listen fails, which would keep the
  // directory locked for the rest of the process: so find a taken port before opening anything.
  await assertPortFree(opts.port, HOST);
  const worker = new Worker(new URL("./dynalite-worker.mjs", import.meta.url), { workerData: { path: opts.path, port: opts.port, host: HOST } });
  const reply = () =>
    new Promise<{ port?: number; error?: string; stopped?: boolean }>((resolve, reject) => {
      worker.once("message", resolve);
      worker.once("error", reject);
    });
  const started = await reply();
  if (started.error || !started.port) {
    await worker.terminate();
    throw new Error(`dynalite could not listen on ${HOST}:${opts.port}: ${started.error ?? "no port"}`);
  }
  let stopped: Promise<void> | undefined;
  return {
    url: `http://${HOST}:${started.port}`,
    stop: () =>
      (stopped ??= (async () => {
        const done = reply();
        worker.postMessage("stop");
        await done;
        await worker.terminate();
      })()),
  };
}

/**
 * Starts aws-ses-v2-local (SES v1 + v2 API, inbox web UI at `/`, stored emails at `GET /store`).
 *
 * @example
 * const ses = await startSesLocal({ port: 8005 });
 * console.log(`inbox: ${ses.url}/`);
 */
export async function startSesLocal(opts: { port: number }): Promise<RunningEmulator> {
  await assertPortFree(opts.port, HOST);
  const server = await sesLocal.default({ host: HOST, port: opts.port });
  // Its listen callback ignores errors and resolves with a server that is not listening.
  if (!server.listening) throw new Error(`could not listen on ${HOST}:${opts.port}`);
  const url = urlOf(server);
  // Its email store is module-global, so an in-process restart would keep old emails;
  // clear it so a restart behaves like a fresh emulator process (SES mail never persists).
  const res = await fetch(`${url}/clear-store`, { method: "POST" });
  await res.arrayBuffer();
  return { url, stop: () => closeServer(server) };
}

/**
 * Starts fauxqs, which serves SQS and SNS (and S3, unused here) on one port.
 *
 * @example
 * const mq = await startFauxqsServer({ port: 0 });
 * await mq.stop();
 */
export async function startFauxqsServer(opts: { port: number }): Promise<RunningEmulator> {
  // fauxqs always binds 0.0.0.0 (its `host` option only names queue URLs); logger off keeps test output clean.
  await assertPortFree(opts.port, "0.0.0.0");
  const server = await startFauxqs({ port: opts.port, logger: false });
  return { url: `http://${HOST}:${server.port}`, stop: () => server.stop() };
}

/** Fails with EADDRINUSE if `port` is taken; port 0 always succeeds. */
async function assertPortFree(port: number, host: string): Promise<void> {
  if (port === 0) return;
  const probe = createServer();
  await new Promise<void>((resolve, reject) => {
    probe.once("error", reject);
    probe.listen(port, host, () => resolve());
  });
  await new Promise<void>((resolve) => probe.close(() => resolve()));
}

function urlOf(server: Server): string {
  const { port } = server.address() as AddressInfo;
  return `http://${HOST}:${port}`;
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((err) => (err ? reject(err) : resolve()));
    // SDK clients keep sockets alive; without this close() waits for them and the test run hangs.
    server.closeAllConnections();
  });
}
