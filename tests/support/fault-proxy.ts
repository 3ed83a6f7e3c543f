import { seededRandom } from "@bulletin/core/testing";
import { Agent, createServer, request, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { ERRORS, type ErrorAnswer, type FaultService, operationOf } from "./fault-proxy-services.ts";

/**
 * What the proxy does instead of simply forwarding:
 * - `throttle`, `error500`, `error503`: answers with the service's own error, as AWS would
 *   (throttling as the service names it, an internal error, an unmodelled 503), without forwarding;
 * - `timeout`: reads the request and never answers (the client's own timeout fires, or `holdMs` drops it);
 * - `reset`: a TCP reset before anything reached the emulator;
 * - `timeout-after`, `reset-after`: the request is forwarded and the emulator handles it, then the
 *   answer is withheld (held, or the connection reset): the dangerous "the call may have succeeded" case.
 */
export type Fault = "throttle" | "error500" | "error503" | "timeout" | "reset" | "timeout-after" | "reset-after";

export interface FaultProxyOptions {
  /** The emulator to forward to; must be a loopback URL (127.0.0.1, ::1 or localhost). */
  target: string;
  /** Whose error format to answer with: SES v2 (REST-JSON, the default), SQS or DynamoDB (JSON 1.0). */
  service?: FaultService;
  /** Share of requests answered with a fault, 0..1. Default 0 (forward everything). */
  rate?: number;
  /** Faults to pick from (uniformly, with the seeded random). Default: all of them. */
  faults?: readonly Fault[];
  /** Seed of the random that picks which requests fail and how. Default 1. */
  seed?: number;
  /**
   * Only these operations are faulted (e.g. "TransactWriteItems", "ReceiveMessage", "SendBulkEmail"); the rest
   * are forwarded, though they still draw from the random, so the sequence stays the seed's. Default: all.
   */
  operations?: readonly string[];
  /** At most this many faults are injected, then everything is forwarded. Default: no limit. */
  budget?: number;
  /**
   * The first this many faultable requests fail whatever the roll, so a scenario with only a handful
   * of faultable calls still sees a fault. Default 0.
   */
  atLeast?: number;
  /**
   * How long a `timeout`/`timeout-after` request is held before the proxy drops the connection (a
   * reset, as an idle-timeout in between would). Default: held until the client gives up or stop().
   * Needed for clients without a request timeout, which would otherwise wait forever.
   */
  holdMs?: number;
}

export interface FaultStats {
  requests: number;
  /** Answered by the emulator and passed back unchanged. */
  forwarded: number;
  /** Reached the emulator, whatever the client then got (forwarded, or a `*-after` fault). */
  upstream: number;
  /** Requests at the emulator right now, not yet answered by it. */
  inFlight: number;
  faults: Record<Fault, number>;
  /** Per operation (see FaultProxyOptions.operations): requests, and how many were faulted. */
  byOperation: Record<string, { requests: number; faults: number }>;
}

export interface FaultProxy {
  /** e.g. http://127.0.0.1:40123: give it to an SDK client as `endpoint`. */
  url: string;
  /** Live counters. */
  stats: FaultStats;
  /**
   * Changes the rate, the faults, the operations (null: all), holdMs (null: none), the budget
   * (faults still to inject; null: no limit) and/or `skip` (faultable requests to let through first)
   * from now on; the random sequence continues.
   */
  configure(opts: {
    rate?: number;
    faults?: readonly Fault[];
    operations?: readonly string[] | null;
    holdMs?: number | null;
    budget?: number | null;
    skip?: number;
    atLeast?: number;
  }): void;
  /** Closes the listener, every client socket (held timeouts too) and the upstream agent. */
  stop(): Promise<void>;
}

export const ALL_FAULTS: readonly Fault[] = [
  "throttle",
  "error500",
  "error503",
  "timeout",
  "reset",
  "timeout-after",
  "reset-after",
];
const LOOPBACK = new Map([
  ["127.0.0.1", "127.0.0.1"],
  ["localhost", "127.0.0.1"],
  ["[::1]", "::1"],
  ["::1", "::1"],
]);

/**
 * Starts an HTTP proxy on 127.0.0.1 (a free port) in front of a local emulator that injects faults
 * at `rate`, chosen by a seeded random so a failing run can be replayed (given the same order of
 * requests).
 *
 * @example
 * const proxy = await startFaultProxy({ target: stack.endpoints.dynamodb, service: "dynamodb", rate: 0.05, faults: ["throttle", "reset-after"] });
 * const ddb = new DynamoDBClient({ ...awsClientConfig(stack, "dynamodb"), endpoint: proxy.url });
 * await proxy.stop();
 */
export async function startFaultProxy(opts: FaultProxyOptions): Promise<FaultProxy> {
  const target = loopbackTarget(opts.target);
  const service = opts.service ?? "ses";
  if (!(service in ERRORS)) throw new Error(`fault proxy: service must be ses, sqs or dynamodb, got ${service}`);
  const random = seededRandom(opts.seed ?? 1);
  let rate = checkRate(opts.rate ?? 0);
  let faults = checkFaults(opts.faults ?? ALL_FAULTS);
  let operations: ReadonlySet<string> | null = opts.operations ? new Set(opts.operations) : null;
  let holdMs = checkHold(opts.holdMs);
  let budget = opts.budget ?? Number.POSITIVE_INFINITY;
  let skip = 0;
  let atLeast = opts.atLeast ?? 0;
  const stats: FaultStats = {
    requests: 0,
    forwarded: 0,
    upstream: 0,
    inFlight: 0,
    faults: Object.fromEntries(ALL_FAULTS.map((f) => [f, 0])) as Record<Fault, number>,
    byOperation: {},
  };
  const agent = new Agent({ keepAlive: false });
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();

  /** Drops a held connection after holdMs (when set); stop() clears what is still pending. */
  const hold = (socket: Socket) => {
    if (holdMs === undefined) return;
    const timer = setTimeout(() => {
      timers.delete(timer);
      if (!socket.destroyed) socket.resetAndDestroy();
    }, holdMs);
    timers.add(timer);
  };

  const server = createServer((req, res) => {
    stats.requests += 1;
    // Always draw both numbers, so the fault sequence depends only on the seed and the request count.
    const roll = random();
    const pick = random();
    const operation = operationOf(service, req);
    let faultable = operation !== undefined && (operations === null || operations.has(operation));
    if (faultable && skip > 0) [faultable, skip] = [false, skip - 1];
    const forced = faultable && atLeast > 0;
    if (forced) atLeast -= 1;
    const fault =
      faultable && (roll < rate || forced) && budget > 0
        ? faults[Math.min(faults.length - 1, Math.floor(pick * faults.length))]
        : undefined;
    if (fault) budget -= 1;
    if (operation !== undefined) {
      const op = (stats.byOperation[operation] ??= { requests: 0, faults: 0 });
      op.requests += 1;
      if (fault) op.faults += 1;
    }
    if (fault === undefined) {
      stats.forwarded += 1;
      stats.upstream += 1;
      forward(req, res, target, agent, stats, "answer");
      return;
    }
    stats.faults[fault] += 1;
    switch (fault) {
      case "reset":
        // RST instead of FIN: the client sees ECONNRESET, as when a load balancer drops the connection.
        req.socket.resetAndDestroy();
        return;
      case "timeout":
        // Read the request and never answer: only the client's timeout, holdMs or stop() ends it.
        req.resume();
        hold(req.socket);
        return;
      case "reset-after":
      case "timeout-after":
        stats.upstream += 1;
        forward(req, res, target, agent, stats, fault === "reset-after" ? "reset" : "hold", hold);
        return;
      default:
        answer(req, res, ERRORS[service][fault](stats.faults[fault]));
    }
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
      if (next.operations !== undefined) operations = next.operations === null ? null : new Set(next.operations);
      if (next.holdMs !== undefined) holdMs = checkHold(next.holdMs ?? undefined);
      if (next.budget !== undefined) budget = next.budget ?? Number.POSITIVE_INFINITY;
      if (next.skip !== undefined) skip = next.skip;
      if (next.atLeast !== undefined) atLeast = next.atLeast;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
        agent.destroy();
      }),
  };
}

function answer(req: IncomingMessage, res: ServerResponse, error: ErrorAnswer): void {
  req.resume();
  req.once("end", () => {
    res.writeHead(error.status, { "x-amzn-RequestId": "fault-proxy", ...error.headers });
    res.end(error.body);
  });
}

/**
 * Sends the request to the emulator. `answer` passes its answer back; `reset` and `hold` let the
 * emulator finish (read its whole answer, so the call has surely taken effect) and then reset the
 * client's connection, or hold it unanswered.
 */
function forward(
  req: IncomingMessage,
  res: ServerResponse,
  target: { host: string; port: number },
  agent: Agent,
  stats: FaultStats,
  mode: "answer" | "reset" | "hold",
  hold?: (socket: Socket) => void,
): void {
  stats.inFlight += 1;
  let settled = false;
  const done = () => {
    if (!settled) stats.inFlight -= 1;
    settled = true;
  };
  const upstream = request(
    { host: target.host, port: target.port, method: req.method, path: req.url, headers: req.headers, agent },
    (reply) => {
      done();
      reply.once("error", () => res.destroy());
      if (mode === "answer") {
        res.writeHead(reply.statusCode ?? 502, reply.headers);
        reply.pipe(res);
        return;
      }
      reply.resume();
      reply.once("end", () => {
        if (mode === "reset") req.socket.resetAndDestroy();
        else hold?.(req.socket);
      });
    },
  );
  // The emulator unreachable or gone: the client sees its connection dropped.
  upstream.once("error", () => {
    done();
    res.destroy();
  });
  upstream.once("close", done);
  // The client gone (or stop()): drop the upstream request too, unless it has been answered.
  res.once("close", () => {
    if (mode === "answer") upstream.destroy();
  });
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

function checkHold(holdMs: number | undefined): number | undefined {
  if (holdMs !== undefined && !(holdMs > 0)) throw new Error(`fault proxy: holdMs must be positive, got ${holdMs}`);
  return holdMs;
}

function checkFaults(faults: readonly Fault[]): readonly Fault[] {
  if (faults.length === 0 || faults.some((f) => !ALL_FAULTS.includes(f))) {
    throw new Error(`fault proxy: faults must be a non-empty subset of ${ALL_FAULTS.join(", ")}`);
  }
  return [...faults];
}
