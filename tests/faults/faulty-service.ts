import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { createDocumentClient } from "@bulletin/dynamo";
import { awsClientConfig, readSentEmails, type SentEmail } from "@bulletin/emulators";
import { readLocalConfig, startLocalService, type LocalService } from "@bulletin/local";
import { type Fault, type FaultProxy, startFaultProxy } from "../support/fault-proxy.ts";
import type { FaultService } from "../support/fault-proxy-services.ts";
import { freePort } from "../support/free-port.ts";

/** The services a faulty service has a fault proxy in front of. */
export const SERVICES: readonly FaultService[] = ["ses", "sqs", "dynamodb"];

/** The faults one proxy injects (see FaultProxyOptions for each setting). */
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
