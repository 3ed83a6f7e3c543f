import type { Server } from "node:http";
import { createRequire } from "node:module";
import { createServer, type AddressInfo } from "node:net";
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
