import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, expect, it } from "vitest";
import { seededRandom } from "@bulletin/core/testing";
import { createDocumentClient, DynamoDeliveryLedger } from "@bulletin/dynamo";
import {
  clearSentEmails,
  localCredentials,
  readSentEmails,
  startLocalStack,
  type LocalStack,
} from "@bulletin/emulators";
import { startFaultProxy, type FaultProxy } from "../support/fault-proxy.ts";
import { freePort } from "../support/free-port.ts";
import { recipientsCsv } from "./harness.ts";
import { activeAudience, readEvidence, summary, TABLE, violations } from "./send-evidence.ts";

// The outside check's scenario: `npm start`'s process (the app and the sender) killed with SIGKILL
// three times at random points of a 1,500-recipient send, started again on the same DATA_DIR each
// time, then a plain second send of the same issue. Its DynamoDB is the test run's DynamoDB Local
// (it outlives the kills, as DynamoDB would), its SES this test's emulator behind a fault proxy that
// loses the answers to a few calls SES accepted. Nobody may be mailed twice
// across both sends, nobody lost, the counters equal to the records; and a kill may leave "unknown"
// only the calls in flight. Claims are made right before each call, after its rate wait, and the
// next call is given its turn only once this one is on the wire; so what a kill leaves "sending" is
// the calls between their claim and their settlement: on the wire, or answered and being recorded,
// and at most one call of 50 claimed and not yet written. (Before, a kill left up to 200 claimed
// ahead of the rate limiter, and 57-75% of them never reached SES.)
const RECIPIENTS = 1472;
const TOTAL = RECIPIENTS + 28;
const NOT_ON_THE_WIRE_AT_MOST = 50;
let ses: LocalStack;
let proxy: FaultProxy;
const children = new Set<ChildProcess>();

beforeAll(async () => {
  ses = await startLocalStack({
    dataDir: mkdtempSync(join(tmpdir(), "bulletin-kill-ses-")),
    dynamoUrl: process.env.LOCAL_DYNAMODB_URL!,
  });
  // Answers lost after SES accepted a call (a call of 50 left unknown), but no throttling or 5xx: a
  // call being retried holds its claims through its backoff, which the other fault tests cover, and
  // here the count of what a kill leaves claimed and unsent must be the kill's alone.
  proxy = await startFaultProxy({
    target: ses.endpoints.ses,
    service: "ses",
    rate: 0.03,
    faults: ["reset-after"],
    operations: ["SendBulkEmail"],
  });
});
afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
  await proxy?.stop();
  await ses?.stop();
});

interface Running {
  child: ChildProcess;
  /** The API URL and admin token, once the service says it is ready. */
  ready: Promise<{ url: string; token: string }>;
  exited: Promise<void>;
  log: () => string;
}

function spawnService(dataDir: string, env: Record<string, string> = {}): Running {
  const child = spawn(process.execPath, ["scripts/start.mjs"], {
    env: {
      ...process.env,
      PORT: "0",
      LOCAL_SES_PORT: "0",
      DATA_DIR: dataDir,
      SEND_RATE: "100",
      LOCAL_SES_EVENTS: "off",
      BULLETIN_SES_ENDPOINT: proxy.url,
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.add(child);
  let out = "";
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const ready = new Promise<{ url: string; token: string }>((resolve, reject) => {
    const onData = (d: Buffer) => {
      out += String(d);
      const url = /Health\s+(http:\/\/\S+)\/healthz/.exec(out)?.[1];
      const token = /Admin token\s+(\S+)/.exec(out)?.[1];
      if (url && token && out.includes("Ctrl-C")) resolve({ url, token });
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.once("exit", (code, signal) => reject(new Error(`exited (${code ?? signal}) before it was ready:\n${out}`)));
  });
  ready.catch(() => {}); // a kill before readiness is part of the plan
  return { child, ready, exited, log: () => out };
}

const accepted = async () => (await readSentEmails(ses)).length;
async function untilAccepted(n: number, timeoutMs = 60_000): Promise<void> {
  for (const end = Date.now() + timeoutMs; Date.now() < end; await sleep(25)) if ((await accepted()) >= n) return;
  throw new Error(`SES did not reach ${n} emails in time (has ${await accepted()})`);
}

const api =
  (url: string, token: string) =>
  (path: string, init: RequestInit = {}) =>
    fetch(`${url}${path}`, {
      ...init,
      headers: {
        authorization: `Bearer ${token}`,
        "content-type": "application/json",
        ...(init.headers as Record<string, string> | undefined),
      },
    });

/** The service's table, read straight from the run's DynamoDB Local (the process may be dead). */
function direct(dataDir: string): DynamoDBDocumentClient {
  return createDocumentClient({
    region: "us-east-1",
    endpoint: process.env.LOCAL_DYNAMODB_URL!,
    credentials: localCredentials(dataDir),
  });
}

/**
 * Kills the process; returns the deliveries it left "sending" (what the next start makes unknown),
 * and of those, the ones SES never received (read once what was on the wire has arrived).
 */
async function kill(
  r: Running,
  dataDir: string,
  sendId: string,
): Promise<{ sending: number; neverReachedSes: number }> {
  r.child.kill("SIGKILL");
  await r.exited;
  const client = direct(dataDir);
  try {
    const ledger = new DynamoDeliveryLedger({ client, tableName: TABLE });
    const sending: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await ledger.list(sendId, { status: "sending", limit: 100, ...(cursor ? { cursor } : {}) });
      sending.push(...page.items.map((d) => d.email));
      cursor = page.cursor;
    } while (cursor);
    // What was on the wire reaches SES through the proxy after the kill: wait for it to arrive.
    for (let i = 0; i < 150 && proxy.stats.inFlight > 0; i++) await sleep(100);
    await sleep(200);
    const mailed = new Set((await readSentEmails(ses)).flatMap((m) => m.destination.to));
    // The counters are exact; the status index the listing reads could lag: whatever it did not
    // list counts as never having reached SES.
    const counted = (await ledger.totals(sendId)).totals.sending;
    return {
      sending: counted,
      neverReachedSes: sending.filter((e) => !mailed.has(e)).length + Math.max(0, counted - sending.length),
    };
  } catch {
    return { sending: 0, neverReachedSes: 0 }; // killed before the table or the send existed
  } finally {
    client.destroy();
  }
}

async function waitFinished(call: ReturnType<typeof api>, sendId: string): Promise<string> {
  let status = "";
  for (let i = 0; i < 1200 && status !== "finished"; i++) {
    const res = await call(`/api/sends/${sendId}`);
    if (res.ok) status = ((await res.json()) as { status: string }).status;
    if (status !== "finished") await sleep(100);
  }
  return status;
}

it.each([31, 32])(
  "killed three times at random points of a 1,500-recipient send (seed %i), then a plain second send: nobody mailed twice, only calls in flight unknown",
  async (seed) => {
    const random = seededRandom(seed);
    const dataDir = mkdtempSync(join(tmpdir(), "bulletin-kill-"));
    await clearSentEmails(ses);
    let running = spawnService(dataDir);
    const first = await running.ready;
    let call = api(first.url, first.token);
    expect(
      (
        await call("/api/recipients/import", {
          method: "POST",
          headers: { "content-type": "text/csv" },
          body: recipientsCsv(RECIPIENTS, seed),
        })
      ).status,
    ).toBe(200);
    const issueId = ((await (await call("/api/issues")).json()) as { items: { id: string }[] }).items[0]!.id;
    const posted = await call(`/api/issues/${issueId}/sends`, { method: "POST", body: "{}" });
    expect(posted.status).toBe(202);
    const { sendId } = (await posted.json()) as { sendId: string };

    const points: string[] = [];
    const left: { sending: number; neverReachedSes: number }[] = [];
    for (let k = 0; k < 3; k++) {
      // Mid-send, at a random share of what is left.
      const now = await accepted();
      await untilAccepted(Math.min(TOTAL - 60, now + 20 + Math.floor(random() * 0.3 * (TOTAL - now)))).catch(() => {});
      const at = await accepted();
      left.push(await kill(running, dataDir, sendId));
      points.push(
        `kill ${k + 1} at ${at} accepted: ${left.at(-1)!.sending} sending, of which ${left.at(-1)!.neverReachedSes} never reached SES`,
      );
      running = spawnService(dataDir);
      await running.ready;
    }
    const last = await running.ready;
    call = api(last.url, last.token);
    expect(await waitFinished(call, sendId)).toBe("finished");

    // A plain second send of the same issue: everyone is "received" or "maybe received" by now.
    const second = (await (await call(`/api/issues/${issueId}/sends`, { method: "POST", body: "{}" })).json()) as {
      sendId: string;
    };
    expect(await waitFinished(call, second.sendId)).toBe("finished");
    running.child.kill("SIGTERM");
    await running.exited;

    const received = await readSentEmails(ses);
    const client = direct(dataDir);
    try {
      const evidence = await readEvidence(client, sendId, received);
      console.log(`seed ${seed} (${points.join("; ")}): ${summary(evidence)}`);
      expect(violations(evidence, await activeAudience(client))).toEqual([]);
      expect(evidence.deliveries).toHaveLength(TOTAL);
      for (const k of left) expect(k.neverReachedSes).toBeLessThanOrEqual(NOT_ON_THE_WIRE_AT_MOST);
      // Nobody mailed twice across both sends: the second mailed nobody the first may have reached.
      const perAddress = new Map<string, number>();
      for (const m of received) for (const to of m.destination.to) perAddress.set(to, (perAddress.get(to) ?? 0) + 1);
      expect([...perAddress].filter(([, n]) => n > 1)).toEqual([]);
      const again = await readEvidence(client, second.sendId, []);
      const maybe = evidence.deliveries.filter((d) => d.status === "unknown").length;
      expect(
        again.deliveries.filter((d) => d.reason === "maybe received this issue (an earlier send ended unknown)"),
      ).toHaveLength(maybe);
      expect(again.recount.totals.sent).toBe(0);
    } finally {
      client.destroy();
    }
  },
  600_000,
);

it("killed while the dispatcher waits for its enqueue's answer and the sender already works through the batches: the last start finishes the send", async () => {
  // The send queue's SQS behind a proxy that holds the answer to the dispatch's SendMessageBatch
  // (SQS has enqueued the batches) for 10 s: the sender mails while the send is still "dispatching",
  // and is killed there, with deliveries claimed.
  const sqsPort = await freePort();
  const sqs = await startFaultProxy({ target: `http://127.0.0.1:${sqsPort}`, service: "sqs", rate: 0 });
  try {
    const env = { LOCAL_SQS_PORT: String(sqsPort), BULLETIN_SQS_ENDPOINT: sqs.url };
    sqs.configure({ rate: 1, faults: ["timeout-after"], operations: ["SendMessageBatch"], budget: 1, holdMs: 10_000 });
    const dataDir = mkdtempSync(join(tmpdir(), "bulletin-kill-"));
    await clearSentEmails(ses);
    const running = spawnService(dataDir, env);
    const { url, token } = await running.ready;
    const call = api(url, token);
    expect(
      (
        await call("/api/recipients/import", {
          method: "POST",
          headers: { "content-type": "text/csv" },
          body: recipientsCsv(200, 34),
        })
      ).status,
    ).toBe(200);
    const issueId = ((await (await call("/api/issues")).json()) as { items: { id: string }[] }).items[0]!.id;
    const { sendId } = (await (await call(`/api/issues/${issueId}/sends`, { method: "POST", body: "{}" })).json()) as {
      sendId: string;
    };
    await untilAccepted(30);
    await kill(running, dataDir, sendId);
    expect(sqs.stats.faults["timeout-after"]).toBe(1);
    const again = spawnService(dataDir, env);
    const last = await again.ready;
    expect(await waitFinished(api(last.url, last.token), sendId)).toBe("finished");
    again.child.kill("SIGTERM");
    await again.exited;
    const client = direct(dataDir);
    try {
      const evidence = await readEvidence(client, sendId, await readSentEmails(ses));
      console.log(`killed while dispatching: ${summary(evidence)}`);
      expect(violations(evidence, await activeAudience(client))).toEqual([]);
      expect(evidence.deliveries).toHaveLength(228);
    } finally {
      client.destroy();
    }
  } finally {
    await sqs.stop();
  }
}, 300_000);
