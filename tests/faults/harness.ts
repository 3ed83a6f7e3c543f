import { spawnSync } from "node:child_process";
import { setTimeout as sleep } from "node:timers/promises";
import { expect } from "vitest";
import { DynamoDeliveryLedger, DynamoSendRepo } from "@bulletin/dynamo";
import type { FaultStats } from "../support/fault-proxy.ts";
import type { FaultService } from "../support/fault-proxy-services.ts";
import { type FaultPlan, type FaultyService, SERVICES, startFaultyService } from "./faulty-service.ts";
import { activeAudience, readEvidence, type SendEvidence, summary, TABLE, violations } from "./send-evidence.ts";

/** `count` generated recipients as CSV (tests/support/gen-recipients.mjs). */
export function recipientsCsv(count: number, seed: number): string {
  const out = spawnSync(process.execPath, ["tests/support/gen-recipients.mjs", String(count), "--seed", String(seed)], {
    encoding: "utf8",
  });
  if (out.status !== 0) throw new Error(`gen-recipients failed: ${out.stderr}`);
  return out.stdout;
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
