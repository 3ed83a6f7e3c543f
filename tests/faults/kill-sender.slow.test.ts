import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { seededRandom } from "../../packages/core/src/testing/manual-clock.ts";
import { createDocumentClient } from "../../packages/dynamo/src/index.ts";
import { clearSentEmails, localCredentials, readSentEmails, startLocalStack, type LocalStack } from "../../packages/local-stack/src/index.ts";
import { startFaultProxy, type FaultProxy } from "../support/fault-proxy.ts";
import { freePort } from "../support/free-port.ts";
import { activeAudience, readEvidence, recipientsCsv, sleep, summary, violations } from "./harness.ts";

// `npm start`'s process (the app, the sender, and its own dynalite and fauxqs) killed with SIGKILL
// mid-send, then started again on the same DATA_DIR. Its SES is this test's emulator, behind a
// fault proxy (8% throttling, 500s and resets, before and after SES accepted the message), so it
// outlives the kills and counts what really went out. After the last start the send must finish,
// and the ledger (read from the DATA_DIR's dynalite once the process is gone) and SES must agree:
// nobody mailed twice, nobody lost, counters equal to the records, every address SES accepted
// recorded sent or unknown (violations() in harness.ts).
const RECIPIENTS = 200;
const TOTAL = RECIPIENTS + 28;
let ses: LocalStack;
let proxy: FaultProxy;
const children = new Set<ChildProcess>();

beforeAll(async () => {
  ses = await startLocalStack({ dataDir: mkdtempSync(join(tmpdir(), "bulletin-kill-ses-")), dynamoUrl: process.env.LOCAL_DYNAMODB_URL! });
  proxy = await startFaultProxy({ target: ses.endpoints.ses, service: "ses", rate: 0.08, faults: ["throttle", "error500", "reset", "reset-after"], operations: ["SendEmail"] });
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
    env: { ...process.env, PORT: "0", LOCAL_SES_PORT: "0", DATA_DIR: dataDir, SEND_RATE: "100", LOCAL_SES_EVENTS: "off", BULLETIN_SES_ENDPOINT: proxy.url, ...env },
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

async function kill(r: Running): Promise<void> {
  r.child.kill("SIGKILL");
  await r.exited;
}

const accepted = async () => (await readSentEmails(ses)).length;
async function untilAccepted(n: number, timeoutMs = 30_000): Promise<void> {
  for (const end = Date.now() + timeoutMs; Date.now() < end; await sleep(25)) if ((await accepted()) >= n) return;
  throw new Error(`SES did not reach ${n} emails in time (has ${await accepted()})`);
}

const api = (url: string, token: string) => (path: string, init: RequestInit = {}) =>
  fetch(`${url}${path}`, { ...init, headers: { authorization: `Bearer ${token}`, "content-type": "application/json", ...(init.headers as Record<string, string> | undefined) } });

/** A fresh service with RECIPIENTS generated recipients besides the samples, and a send to all of them. */
async function startSend(seed: number, env: Record<string, string> = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), "bulletin-kill-"));
  await clearSentEmails(ses);
  const spawned = Date.now();
  const running = spawnService(dataDir, env);
  const { url, token } = await running.ready;
  const startupMs = Date.now() - spawned;
  const call = api(url, token);
  const imported = await call("/api/recipients/import", { method: "POST", headers: { "content-type": "text/csv" }, body: recipientsCsv(RECIPIENTS, seed) });
  expect(imported.status).toBe(200);
  const issueId = ((await (await call("/api/issues")).json()) as { items: { id: string }[] }).items[0]!.id;
  const posted = await call(`/api/issues/${issueId}/sends`, { method: "POST", body: "{}" });
  expect(posted.status).toBe(202);
  const { sendId } = (await posted.json()) as { sendId: string };
  return { dataDir, running, sendId, startupMs };
}

/** The last start: the send must finish; then the evidence is read with the process gone, and checked. */
async function finishAndCheck(label: string, dataDir: string, sendId: string, env: Record<string, string> = {}) {
  const running = spawnService(dataDir, env);
  const call = api(...Object.values(await running.ready) as [string, string]);
  let status = "";
  for (let i = 0; i < 600 && status !== "finished"; i++) {
    const res = await call(`/api/sends/${sendId}`);
    if (res.ok) status = ((await res.json()) as { status: string }).status;
    if (status !== "finished") await sleep(100);
  }
  if (status !== "finished") {
    const totals = await (await call(`/api/sends/${sendId}`)).text();
    const sending = await (await call(`/api/sends/${sendId}/deliveries?status=sending&limit=20`)).text();
    console.log(`${label}: not finished after the last start\n${totals}\nsending: ${sending}\n${running.log()}`);
  }
  running.child.kill("SIGTERM");
  await running.exited;
  expect(status).toBe("finished");

  const received = await readSentEmails(ses);
  // The spawned services keep their data in the run's DynamoDB Local (LOCAL_DYNAMODB_URL), under their DATA_DIR's access key.
  const client = createDocumentClient({ region: "us-east-1", endpoint: process.env.LOCAL_DYNAMODB_URL!, credentials: localCredentials(dataDir) });
  try {
    const evidence = await readEvidence(client, sendId, received);
    console.log(`${label}: ${summary(evidence)}`);
    expect(violations(evidence, await activeAudience(client))).toEqual([]);
    expect(evidence.deliveries).toHaveLength(TOTAL);
  } finally {
    client.destroy();
  }
}

it.each([31, 32, 33])("killed three times at random points (seed %i): after the last start nobody is mailed twice and everyone is accounted for", async (seed) => {
  const random = seededRandom(seed);
  const points: string[] = [];
  const { dataDir, running: first, sendId, startupMs } = await startSend(seed);

  // 1. During the dispatch (a random few ms after the send was accepted) or mid-send.
  const n = Math.floor(random() * 0.4 * TOTAL);
  if (n < 10) await sleep(Math.floor(random() * 300));
  else await untilAccepted(n);
  points.push(`kill 1 at ${await accepted()} sent`);
  await kill(first);

  // 2. A random moment after a spawn, up to 1.2 times as long as the first start took: mostly while
  // it starts or recovers the send (the end of the start), sometimes once it sends again.
  let running = spawnService(dataDir);
  const delay = Math.floor(random() * 1.2 * startupMs);
  await Promise.race([sleep(delay), running.exited]);
  const phase = running.log().includes("Ctrl-C") ? "running" : running.log().includes("local-stack: ready") ? "emulators up, recovering" : "starting";
  points.push(`kill 2 ${delay} of ${startupMs} ms into a start (${phase}), at ${await accepted()}`);
  await kill(running);

  // 3. Mid-send again, if anything is left to send.
  running = spawnService(dataDir);
  await running.ready;
  const now = await accepted();
  await untilAccepted(Math.min(TOTAL - 5, now + Math.floor(random() * 0.5 * (TOTAL - now)))).catch(() => {});
  points.push(`kill 3 at ${await accepted()}`);
  await kill(running);

  await finishAndCheck(`seed ${seed} (${points.join("; ")})`, dataDir, sendId);
});

it("killed while the dispatcher waits for its enqueue's answer and the sender already works through the batches: the last start finishes the send", async () => {
  // The send queue's SQS behind a proxy that holds the answer to the dispatch's SendMessageBatch
  // (SQS has enqueued the batches) for 10 s: the sender mails while the send is still "dispatching",
  // and is killed there, with deliveries claimed. (Regression: a send found "dispatching" at start was
  // dispatched again but never recovered: its claimed deliveries stayed "sending" and the send
  // never finished.)
  const sqsPort = await freePort();
  const sqs = await startFaultProxy({ target: `http://127.0.0.1:${sqsPort}`, service: "sqs", rate: 0 });
  try {
    const env = { LOCAL_SQS_PORT: String(sqsPort), BULLETIN_SQS_ENDPOINT: sqs.url };
    sqs.configure({ rate: 1, faults: ["timeout-after"], operations: ["SendMessageBatch"], budget: 1, holdMs: 10_000 });
    const { dataDir, running, sendId } = await startSend(34, env);
    await untilAccepted(30);
    await kill(running);
    expect(sqs.stats.faults["timeout-after"]).toBe(1);
    await finishAndCheck("killed while dispatching", dataDir, sendId, env);
  } finally {
    await sqs.stop();
  }
});
