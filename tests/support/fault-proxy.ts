import { seededRandom } from "../../packages/core/src/testing/manual-clock.ts";
import { Agent, createServer, request, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";

/**
 * What the proxy does instead of forwarding: an SES-style throttling error (429 TooManyRequestsException),
 * a 500 or 503, a request that is never answered (the client's own timeout fires), or a TCP reset.
 */
export type Fault = "throttle" | "error500" | "error503" | "timeout" | "reset";

export interface FaultProxyOptions {
  /** The emulator to forward to; must be a loopback URL (127.0.0.1, ::1 or localhost). */
  target: string;
  /** Share of requests answered with a fault, 0..1. Default 0 (forward everything). */
  rate?: number;
  /** Faults to pick from (uniformly, with the seeded random). Default: all five. */
  faults?: readonly Fault[];
  /** Seed of the random that picks which requests fail and how. Default 1. */
  seed?: number;
}

export interface FaultStats {
  requests: number;
  forwarded: number;
  faults: Record<Fault, number>;
}

export interface FaultProxy {
  /** e.g. http://127.0.0.1:40123: give it to an SDK client as `endpoint`. */
  url: string;
  /** Live counters. */
  stats: FaultStats;
  /** Changes the rate and/or the faults from now on (the random sequence continues). */
  configure(opts: { rate?: number; faults?: readonly Fault[] }): void;
  /** Closes the listener, every client socket (held timeouts too) and the upstream agent. */
  stop(): Promise<void>;
}

const ALL_FAULTS: readonly Fault[] = ["throttle", "error500", "error503", "timeout", "reset"];
const LOOPBACK = new Map([["127.0.0.1", "127.0.0.1"], ["localhost", "127.0.0.1"], ["[::1]", "::1"], ["::1", "::1"]]);

// The body and header the AWS SDK's restJson1 deserializer maps to SES v2's TooManyRequestsException.
const THROTTLE_BODY = JSON.stringify({ message: "Maximum sending rate exceeded." });
const SERVER_ERROR_BODY = JSON.stringify({ message: "Internal failure injected by the fault proxy." });

/**
 * Starts an HTTP proxy on 127.0.0.1 (a free port) in front of a local emulator that injects faults
 * at `rate`, chosen by a seeded random so a failing run can be replayed.
 *
 * @example
 * const proxy = await startFaultProxy({ target: stack.endpoints.ses, rate: 1, faults: ["throttle"] });
 * const ses = new SESv2Client({ ...awsClientConfig(stack, "ses"), endpoint: proxy.url, maxAttempts: 1 });
 * await expect(new SesMailer({ client: ses }).send(email)).rejects.toMatchObject({ kind: "throttled" });
 * await proxy.stop();
 */
export async function startFaultProxy(opts: FaultProxyOptions): Promise<FaultProxy> {
  const target = loopbackTarget(opts.target);
  const random = seededRandom(opts.seed ?? 1);
  let rate = checkRate(opts.rate ?? 0);
  let faults = checkFaults(opts.faults ?? ALL_FAULTS);
  const stats: FaultStats = { requests: 0, forwarded: 0, faults: { throttle: 0, error500: 0, error503: 0, timeout: 0, reset: 0 } };
  const agent = new Agent({ keepAlive: false });
  const sockets = new Set<Socket>();

  const server = createServer((req, res) => {
    stats.requests += 1;
    // Always draw both numbers, so the fault sequence depends only on the seed and the request count.
    const roll = random();
    const pick = random();
    const fault = roll < rate ? faults[Math.min(faults.length - 1, Math.floor(pick * faults.length))] : undefined;
    if (fault === undefined) {
      stats.forwarded += 1;
      forward(req, res, target, agent);
      return;
    }
    stats.faults[fault] += 1;
    inject(fault, req, res);
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    stats,
    configure(next) {
      if (next.rate !== undefined) rate = checkRate(next.rate);
      if (next.faults !== undefined) faults = checkFaults(next.faults);
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
        agent.destroy();
      }),
  };
}

function inject(fault: Fault, req: IncomingMessage, res: ServerResponse): void {
  switch (fault) {
    case "reset":
      // RST instead of FIN: the client sees ECONNRESET, as when a load balancer drops the connection.
      req.socket.resetAndDestroy();
      return;
    case "timeout":
      // Read the request and never answer: only the client's requestTimeout (or stop()) ends it.
      req.resume();
      return;
    case "throttle":
      answer(req, res, 429, { "x-amzn-ErrorType": "TooManyRequestsException" }, THROTTLE_BODY);
      return;
    case "error500":
      answer(req, res, 500, { "x-amzn-ErrorType": "InternalServiceErrorException" }, SERVER_ERROR_BODY);
      return;
    case "error503":
      // No error type: the SDK sees an unmodelled 503 (as from a load balancer in front of SES).
      answer(req, res, 503, {}, SERVER_ERROR_BODY);
  }
}

function answer(req: IncomingMessage, res: ServerResponse, status: number, headers: Record<string, string>, body: string): void {
  req.resume();
  req.once("end", () => {
    res.writeHead(status, { "content-type": "application/json", "x-amzn-RequestId": "fault-proxy", ...headers });
    res.end(body);
  });
}

function forward(req: IncomingMessage, res: ServerResponse, target: { host: string; port: number }, agent: Agent): void {
  const upstream = request(
    { host: target.host, port: target.port, method: req.method, path: req.url, headers: req.headers, agent },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.once("error", () => res.destroy());
      answer.pipe(res);
    },
  );
  // The emulator unreachable or gone: the client sees its connection dropped.
  upstream.once("error", () => res.destroy());
  // The client gone (or stop()): drop the upstream request too.
  res.once("close", () => upstream.destroy());
  req.pipe(upstream);
}

/** The target's host and port; refuses anything that is not loopback, so the proxy never leaves the machine. */
function loopbackTarget(url: string): { host: string; port: number } {
  const parsed = new URL(url);
  const host = LOOPBACK.get(parsed.hostname);
  if (parsed.protocol !== "http:" || host === undefined || parsed.port === "") {
    throw new Error(`fault proxy: target must be http://<loopback>:<port>, got ${url}`);
  }
  return { host, port: Number(parsed.port) };
}

function checkRate(rate: number): number {
  if (!(rate >= 0 && rate <= 1)) throw new Error(`fault proxy: rate must be within 0..1, got ${rate}`);
  return rate;
}

function checkFaults(faults: readonly Fault[]): readonly Fault[] {
  if (faults.length === 0 || faults.some((f) => !ALL_FAULTS.includes(f))) {
    throw new Error(`fault proxy: faults must be a non-empty subset of ${ALL_FAULTS.join(", ")}`);
  }
  return [...faults];
}

