import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { expect } from "vitest";
import {
  DELIVERY_STATUSES,
  emptyTotals,
  TIERS,
  type Delivery,
  type Send,
  type Tier,
  type Totals,
} from "@bulletin/core";
import { createDocumentClient, DynamoDeliveryLedger, DynamoRecipientRepo, DynamoSendRepo } from "@bulletin/dynamo";
import { awsClientConfig, readSentEmails, type SentEmail, type StackConnection } from "@bulletin/emulators";
import { readLocalConfig, startLocalService, type LocalService } from "@bulletin/local";
import {
  type Fault,
  type FaultProxy,
  type FaultService,
  type FaultStats,
  startFaultProxy,
} from "../support/fault-proxy.ts";
import { freePort } from "../support/free-port.ts";

export const TABLE = "bulletin";
const SERVICES: readonly FaultService[] = ["ses", "sqs", "dynamodb"];
/** Where a delivery may end: the sender's outcomes, skipped, and what SES events make of "sent". */
const ENDED = new Set(["sent", "delivered", "bounced", "complained", "failed", "skipped", "unknown"]);
const MAILED = new Set(["sent", "delivered", "bounced", "complained"]);

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** `count` generated recipients as CSV (tests/support/gen-recipients.mjs). */
export function recipientsCsv(count: number, seed: number): string {
  const out = spawnSync(process.execPath, ["tests/support/gen-recipients.mjs", String(count), "--seed", String(seed)], {
    encoding: "utf8",
  });
  if (out.status !== 0) throw new Error(`gen-recipients failed: ${out.stderr}`);
  return out.stdout;
}

/** What a send left behind, read straight from DynamoDB Local and the SES emulator (never through a proxy). */
export interface SendEvidence {
  send: Send | null;
  /** Every delivery record of the send. */
  deliveries: Delivery[];
  /** What the counters say. */
  counters: { totals: Totals; byTier: Record<Tier, Totals> };
  /** The records, counted. */
  recount: { totals: Totals; byTier: Record<Tier, Totals> };
  /** The emails the SES emulator accepted. */
  received: SentEmail[];
}

/** Every delivery of a send, following cursors. */
async function listAll(ledger: DynamoDeliveryLedger, sendId: string): Promise<Delivery[]> {
  const out: Delivery[] = [];
  let cursor: string | undefined;
  do {
    const page = await ledger.list(sendId, { limit: 100, ...(cursor ? { cursor } : {}) });
    out.push(...page.items);
    cursor = page.cursor;
  } while (cursor);
  return out;
}

/** The addresses of every active recipient: the audience of a send to all three tiers. */
export async function activeAudience(client: DynamoDBDocumentClient): Promise<string[]> {
  const repo = new DynamoRecipientRepo({ client, tableName: TABLE });
  const out: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await repo.list({ status: "active", limit: 100, ...(cursor ? { cursor } : {}) });
    out.push(...page.items.map((r) => r.email));
    cursor = page.cursor;
  } while (cursor);
  return out;
}

/**
 * Reads the evidence of one send. `received` is passed in when it was collected across restarts of
 * an in-process SES emulator (whose store a restart clears).
 */
export async function readEvidence(
  client: DynamoDBDocumentClient,
  sendId: string,
  ses: Pick<StackConnection, "endpoints"> | SentEmail[],
): Promise<SendEvidence> {
  const ledger = new DynamoDeliveryLedger({ client, tableName: TABLE });
  const deliveries = await listAll(ledger, sendId);
  const recount = {
    totals: emptyTotals(),
    byTier: Object.fromEntries(TIERS.map((t) => [t, emptyTotals()])) as Record<Tier, Totals>,
  };
  for (const d of deliveries) {
    recount.totals[d.status]++;
    recount.byTier[d.tier][d.status]++;
  }
  return {
    send: await new DynamoSendRepo({ client, tableName: TABLE }).get(sendId),
    deliveries,
    counters: await ledger.totals(sendId),
    recount,
    received: Array.isArray(ses) ? ses : await readSentEmails(ses),
  };
}

/**
 * The promises of docs/sending.md, checked on the evidence of one finished send; returns every
 * violation found (empty: all hold), so a failing scenario says everything that is wrong at once.
 *
 * - the send finished, and every address of the audience has exactly one delivery (none lost);
 * - every delivery ended sent / failed / skipped / unknown, and failed, skipped and unknown say why;
 * - the counters equal a recount of the records, per tier;
 * - nobody was mailed twice (the SES emulator holds at most one email per address);
 * - every address SES accepted is recorded sent (with that very message id) or unknown, and every
 *   delivery recorded sent was really accepted by SES.
 */
export function violations(e: SendEvidence, audience: readonly string[]): string[] {
  const out: string[] = [];
  if (e.send?.status !== "finished") out.push(`the send is ${e.send?.status ?? "missing"}, not finished`);
  const byEmail = new Map<string, Delivery>();
  for (const d of e.deliveries) {
    if (byEmail.has(d.email)) out.push(`two deliveries for ${d.email}`);
    byEmail.set(d.email, d);
    if (!ENDED.has(d.status)) out.push(`${d.email} is still ${d.status}`);
    if ((d.status === "failed" || d.status === "skipped" || d.status === "unknown") && !d.reason?.trim())
      out.push(`${d.email} is ${d.status} without a reason`);
  }
  const expected = new Set(audience);
  for (const email of expected) if (!byEmail.has(email)) out.push(`${email} has no delivery (lost)`);
  for (const email of byEmail.keys())
    if (!expected.has(email)) out.push(`${email} has a delivery but is not in the audience`);
  for (const status of DELIVERY_STATUSES) {
    if (e.counters.totals[status] !== e.recount.totals[status])
      out.push(`counter ${status} says ${e.counters.totals[status]}, the records ${e.recount.totals[status]}`);
    for (const tier of TIERS) {
      if (e.counters.byTier[tier][status] !== e.recount.byTier[tier][status])
        out.push(
          `counter ${tier}/${status} says ${e.counters.byTier[tier][status]}, the records ${e.recount.byTier[tier][status]}`,
        );
    }
  }
  const mailed = new Map<string, SentEmail[]>();
  for (const m of e.received) for (const to of m.destination.to) mailed.set(to, [...(mailed.get(to) ?? []), m]);
  for (const [to, copies] of mailed) {
    if (copies.length > 1) out.push(`${to} was mailed ${copies.length} times`);
    const d = byEmail.get(to);
    if (!d || !(MAILED.has(d.status) || d.status === "unknown"))
      out.push(`${to} was mailed but is recorded ${d?.status ?? "nowhere"}`);
  }
  for (const d of e.deliveries) {
    if (!MAILED.has(d.status)) continue;
    const copies = mailed.get(d.email) ?? [];
    if (!copies.some((m) => m.messageId === d.sesMessageId))
      out.push(`${d.email} is recorded ${d.status} (${d.sesMessageId}) but SES holds no such email`);
  }
  return out;
}

/** A one-line summary of how a send ended, for the test log. */
export function summary(e: SendEvidence): string {
  const t = e.recount.totals;
  const why = new Map<string, number>();
  for (const d of e.deliveries) {
    if (d.status !== "unknown" && d.status !== "failed") continue;
    // The reason without its variable details (error codes and messages after the first colon).
    const reason = `${d.status}: ${(d.reason ?? "").split(/[:(]/)[0]!.trim()}`;
    why.set(reason, (why.get(reason) ?? 0) + 1);
  }
  const reasons = [...why].map(([r, n]) => `${n} ${r}`).join(", ");
  return `sent ${t.sent}, failed ${t.failed}, skipped ${t.skipped}, unknown ${t.unknown}${reasons ? ` (${reasons})` : ""}; SES accepted ${e.received.length}`;
}

export interface FaultPlan {
  rate: number;
  faults: readonly Fault[];
  /** Only these operations (e.g. "SendMessageBatch"); default all. */
  operations?: readonly string[];
  /** At most this many faults; default no limit. */
  budget?: number;
  /** The first this many faultable calls (after each start of the service) fail whatever the roll; default 0. */
  atLeast?: number;
}

/**
 * The real local service in this process (DynamoDB Local, aws-ses-v2-local, fauxqs, the app and the send
 * pipeline) with a fault proxy in front of each of SES, SQS and DynamoDB: the service's clients talk
 * to the proxies (BULLETIN_*_ENDPOINT), the proxies to the emulators on fixed ports (LOCAL_*_PORT).
 * The test reads the ledger and the SES store directly. restart() stops and starts the service on
 * the same DATA_DIR and ports, as the local recovery path; the proxies stay.
 */
export interface FaultyService {
  service: LocalService;
  proxies: Record<FaultService, FaultProxy>;
  /** A document client straight to DynamoDB Local. */
  direct: DynamoDBDocumentClient;
  /** The service's API with the admin token (through the DynamoDB proxy, as any request is). */
  api(path: string, init?: RequestInit): Promise<Response>;
  /** Applies a fault plan per service (services left out are set to rate 0). */
  setFaults(plan: Partial<Record<FaultService, FaultPlan>>): void;
  /** Emails SES accepted so far, across restarts. */
  received(): Promise<SentEmail[]>;
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export async function startFaultyService(opts: {
  seed: number;
  sendRate?: number;
  /** How long the DynamoDB and SQS proxies hold a timed-out request before dropping it; default 1.5 s. */
  holdMs?: number;
  /** The same for SES; default: until the SES client's own 10 s timeout. */
  sesHoldMs?: number;
  log?: (line: string) => void;
}): Promise<FaultyService> {
  const dataDir = mkdtempSync(join(tmpdir(), "bulletin-faults-"));
  const ports = { ses: await freePort(), sqs: await freePort(), dynamodb: await freePort() };
  const proxies = {} as Record<FaultService, FaultProxy>;
  for (const [i, service] of SERVICES.entries()) {
    proxies[service] = await startFaultProxy({
      // DynamoDB is the run's DynamoDB Local (tests/support/dynamodb-global-setup.ts); the others run in the service.
      target:
        service === "dynamodb" && process.env.LOCAL_DYNAMODB_URL
          ? process.env.LOCAL_DYNAMODB_URL
          : `http://127.0.0.1:${ports[service]}`,
      service,
      seed: opts.seed * 10 + i,
      // A held DynamoDB or SQS request is dropped after holdMs, as an idle timeout in between would,
      // well before those clients' own 10 s request timeout. SES's client times out by itself.
      ...(service === "ses" ? (opts.sesHoldMs ? { holdMs: opts.sesHoldMs } : {}) : { holdMs: opts.holdMs ?? 1_500 }),
    });
  }
  const env = {
    LOCAL_DYNAMODB_URL: process.env.LOCAL_DYNAMODB_URL ?? "",
    PORT: "0",
    DATA_DIR: dataDir,
    SEND_RATE: String(opts.sendRate ?? 100),
    LOCAL_SES_EVENTS: "off",
    LOCAL_SES_PORT: String(ports.ses),
    LOCAL_SQS_PORT: String(ports.sqs),
    LOCAL_DYNAMODB_PORT: String(ports.dynamodb),
    BULLETIN_SES_ENDPOINT: proxies.ses.url,
    BULLETIN_SQS_ENDPOINT: proxies.sqs.url,
    BULLETIN_DYNAMODB_ENDPOINT: proxies.dynamodb.url,
  };
  const log = opts.log ?? (() => {});
  let plan: Partial<Record<FaultService, FaultPlan>> = {};
  const apply = (p: Partial<Record<FaultService, FaultPlan>>) => {
    for (const service of SERVICES) {
      const f = p[service];
      proxies[service].configure(
        f
          ? {
              rate: f.rate,
              faults: f.faults,
              operations: f.operations ?? null,
              budget: f.budget ?? null,
              atLeast: f.atLeast ?? 0,
            }
          : { rate: 0, atLeast: 0 },
      );
    }
  };
  // Starts happen without faults: the local recovery runs once, at start (see send-pipeline.ts).
  const boot = async () => {
    apply({});
    const s = await startLocalService(readLocalConfig(env, []), log);
    apply(plan);
    return s;
  };
  let service = await boot();
  const direct = createDocumentClient(awsClientConfig(service.stack, "dynamodb"));
  // aws-ses-v2-local keeps its store in the process and a start clears it: what earlier runs of the
  // service had accepted is kept here.
  let before: SentEmail[] = [];
  const self: FaultyService = {
    get service() {
      return service;
    },
    proxies,
    direct,
    api: (path, init = {}) =>
      fetch(`${service.url}${path}`, {
        ...init,
        headers: {
          authorization: `Bearer ${service.adminToken}`,
          "content-type": "application/json",
          ...(init.headers as Record<string, string> | undefined),
        },
      }),
    setFaults(p) {
      plan = p;
      apply(plan);
    },
    received: async () => [...before, ...(await readSentEmails(service.stack))],
    async restart() {
      // Quiesce SES first: every new call is throttled at the proxy (certainly not sent, so the
      // sender releases it), and what was already forwarded is awaited. Only then is the store
      // snapshot complete.
      proxies.ses.configure({ rate: 1, faults: ["throttle"], operations: ["SendEmail", "SendBulkEmail"] });
      for (let i = 0; i < 200 && proxies.ses.stats.inFlight > 0; i++) await sleep(25);
      before = [...before, ...(await readSentEmails(service.stack))];
      await service.stop();
      service = await boot();
    },
    async stop() {
      await service.stop();
      direct.destroy();
      for (const p of Object.values(proxies)) await p.stop();
    },
  };
  return self;
}

export interface ScenarioResult {
  sendId: string;
  evidence: SendEvidence;
  audience: string[];
  /** Restarts needed because the send made no progress (the local recovery path). */
  restarts: number;
  seconds: number;
  /** What each proxy saw and injected. */
  stats: Record<FaultService, FaultStats>;
}

/**
 * One scenario: imports `recipients` generated recipients (besides the 28 samples), starts a send of
 * the sample issue to all three tiers, turns the faults on, and waits until the send finishes. A send
 * that makes no progress for `stallMs` is recovered as the local service recovers: by a restart on
 * the same DATA_DIR (deliveries cut off in "sending" become unknown, queued ones are enqueued again).
 * The faults are then turned off and the evidence read.
 */
export async function runScenario(
  fs: FaultyService,
  opts: {
    recipients: number;
    seed: number;
    faults: Partial<Record<FaultService, FaultPlan>>;
    stallMs?: number;
    maxRestarts?: number;
    timeoutMs?: number;
    log?: (line: string) => void;
  },
): Promise<ScenarioResult> {
  const started = Date.now();
  const log = opts.log ?? (() => {});
  fs.setFaults({});
  const imported = await fs.api("/api/recipients/import", {
    method: "POST",
    headers: { "content-type": "text/csv" },
    body: recipientsCsv(opts.recipients, opts.seed),
  });
  if (imported.status !== 200) throw new Error(`import answered ${imported.status}: ${await imported.text()}`);
  const issueId = ((await (await fs.api("/api/issues")).json()) as { items: { id: string }[] }).items[0]!.id;
  const audience = await activeAudience(fs.direct);
  const res = await fs.api(`/api/issues/${issueId}/sends`, { method: "POST", body: "{}" });
  if (res.status !== 202) throw new Error(`the send answered ${res.status}: ${await res.text()}`);
  const { sendId } = (await res.json()) as { sendId: string };
  fs.setFaults(opts.faults);

  const sends = new DynamoSendRepo({ client: fs.direct, tableName: TABLE });
  const ledger = new DynamoDeliveryLedger({ client: fs.direct, tableName: TABLE });
  const stallMs = opts.stallMs ?? 15_000;
  const deadline = started + (opts.timeoutMs ?? 170_000);
  let restarts = 0;
  let last = "";
  let lastChange = Date.now();
  for (;;) {
    const send = await sends.get(sendId);
    if (send?.status === "finished") break;
    const { totals } = await ledger.totals(sendId);
    const progress = JSON.stringify([send?.status, totals]);
    if (progress !== last) [last, lastChange] = [progress, Date.now()];
    if (Date.now() > deadline) throw new Error(`send ${sendId} did not finish in time: ${progress}`);
    if (Date.now() - lastChange > stallMs) {
      if (restarts >= (opts.maxRestarts ?? 2))
        throw new Error(`send ${sendId} made no progress after ${restarts} restarts: ${progress}`);
      log(`no progress for ${stallMs} ms (${progress}): restarting the service`);
      restarts += 1;
      await fs.restart();
      lastChange = Date.now();
    }
    await sleep(200);
  }
  fs.setFaults({});
  const evidence = await readEvidence(fs.direct, sendId, await fs.received());
  const stats = Object.fromEntries(SERVICES.map((s) => [s, structuredClone(fs.proxies[s].stats)])) as Record<
    FaultService,
    FaultStats
  >;
  return { sendId, evidence, audience, restarts, seconds: (Date.now() - started) / 1000, stats };
}

/**
 * A whole scenario as a test: a send of the sample issue to 28 + `recipients` addresses with
 * `faults` injected, on a service of its own; asserts every violation away, that faults were
 * injected, and (unless `restartsAllowed`) that the send finished without the restart fallback.
 * Returns the result for further checks. aws-ses-v2-local's store is one per process, so scenarios
 * of one test file must run one after the other (different files run in different workers).
 */
export async function expectSendSurvives(opts: {
  name: string;
  seed: number;
  recipients: number;
  faults: Partial<Record<FaultService, FaultPlan>>;
  holdMs?: number;
  sesHoldMs?: number;
  stallMs?: number;
  restartsAllowed?: number;
}): Promise<ScenarioResult> {
  const running = await startFaultyService({
    seed: opts.seed,
    ...(opts.holdMs ? { holdMs: opts.holdMs } : {}),
    ...(opts.sesHoldMs ? { sesHoldMs: opts.sesHoldMs } : {}),
  });
  try {
    const result = await runScenario(running, {
      recipients: opts.recipients,
      seed: opts.seed,
      faults: opts.faults,
      // A lost ReceiveMessage hides its batch for the 30 s visibility timeout, after which SQS hands
      // it out again (the sweeper only re-enqueues onto an empty queue): a stall is declared after 40 s.
      stallMs: opts.stallMs ?? 40_000,
      maxRestarts: opts.restartsAllowed ?? 0,
    });
    const faulted = SERVICES.filter((s) => opts.faults[s]);
    const injected = faulted.map(
      (s) => `${s} ${JSON.stringify(nonZero(result.stats[s].faults))} in ${result.stats[s].requests} calls`,
    );
    console.log(
      `${opts.name}: ${summary(result.evidence)}; faults: ${injected.join("; ")}; ${result.restarts} restarts; ${result.seconds} s`,
    );
    expect(violations(result.evidence, result.audience)).toEqual([]);
    expect(result.evidence.deliveries).toHaveLength(28 + opts.recipients);
    for (const s of faulted) expect(Object.values(result.stats[s].faults).some((n) => n > 0)).toBe(true);
    return result;
  } finally {
    await running.stop();
  }
}

function nonZero(counts: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(counts).filter(([, n]) => n > 0));
}
