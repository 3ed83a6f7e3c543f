// Benchmark (not a test): send 4,000 recipients through the whole local pipeline — API, DynamoDB
// (dynalite), SQS (fauxqs), the sender, SES (aws-ses-v2-local) — paced at 200/s and unpaced, and
// compare with a bare SES v2 SendEmail loop against the same emulator in the same run.
// Run: npm run bench. Prints a table and writes bench/results/send.json.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { createServer, request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SendEmailCommand, SESv2Client } from "@aws-sdk/client-sesv2";
import { hashToken, newTokenSecret } from "../packages/api/src/index.ts";
import { readLocalConfig, startLocalService } from "../packages/local/src/index.ts";

const RECIPIENTS = 4000;
const PACED_RATE = 200;

/** A loopback proxy in front of SES that records when each SendEmail was accepted (ms). */
async function recordingProxy(target: string) {
  const accepted: number[] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", target);
    const up = request(url, { method: req.method, headers: req.headers }, (upRes) => {
      if (upRes.statusCode === 200 && req.url?.includes("/outbound-emails")) accepted.push(Date.now());
      res.writeHead(upRes.statusCode ?? 502, upRes.headers);
      upRes.pipe(res);
    });
    req.pipe(up);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, accepted, stop: () => new Promise<void>((r) => server.close(() => r())) };
}

function maxInAnySecond(times: number[]): number {
  const t = [...times].sort((a, b) => a - b);
  let best = 0;
  for (let i = 0, j = 0; i < t.length; i++) {
    while (t[i]! - t[j]! >= 1000) j++;
    best = Math.max(best, i - j + 1);
  }
  return best;
}

async function pipelineRun(label: string, sendRate: number) {
  const sesPort = await new Promise<number>((r) => { const s = createServer().listen(0, "127.0.0.1", () => { const p = (s.address() as { port: number }).port; s.close(() => r(p)); }); });
  const proxy = await recordingProxy(`http://127.0.0.1:${sesPort}`);
  const service = await startLocalService(readLocalConfig({ PORT: "0", LOCAL_SES_PORT: String(sesPort), DATA_DIR: mkdtempSync(join(tmpdir(), "bench-send-")), SEND_RATE: String(sendRate), LOCAL_SES_EVENTS: "off", BULLETIN_SES_ENDPOINT: proxy.url }, []));
  try {
    const token = newTokenSecret();
    await service.deps.tokens.create({ hash: hashToken(token), role: "admin", label: "bench", createdAt: new Date().toISOString() });
    const call = (path: string, init: RequestInit = {}) => fetch(`${service.url}${path}`, { ...init, headers: { authorization: `Bearer ${token}`, "content-type": "application/json", ...(init.headers as Record<string, string>) } });
    const csv = spawnSync(process.execPath, ["tests/support/gen-recipients.mjs", String(RECIPIENTS - 28), "--seed", "11"], { encoding: "utf8" }).stdout;
    await call("/api/recipients/import", { method: "POST", headers: { "content-type": "text/csv" }, body: csv });
    const issueId = ((await (await call("/api/issues")).json()) as { items: { id: string }[] }).items[0]!.id;
    const started = Date.now();
    const { sendId } = (await (await call(`/api/issues/${issueId}/sends`, { method: "POST", body: "{}" })).json()) as { sendId: string };
    let status = "";
    while (status !== "finished") {
      await new Promise((r) => setTimeout(r, 250));
      status = ((await (await call(`/api/sends/${sendId}`)).json()) as { status: string }).status;
    }
    const t = proxy.accepted;
    const sendingSeconds = (t[t.length - 1]! - t[0]!) / 1000;
    return { label, configuredRate: sendRate, sent: t.length, wallSeconds: (Date.now() - started) / 1000, achievedRate: t.length / sendingSeconds, maxInAnySecond: maxInAnySecond(t) };
  } finally {
    await service.stop();
    await proxy.stop();
  }
}

async function bareLoop() {
  const { startLocalStack, awsClientConfig } = await import("../packages/local-stack/src/index.ts");
  const stack = await startLocalStack({ dataDir: mkdtempSync(join(tmpdir(), "bench-bare-")) });
  const ses = new SESv2Client({ ...awsClientConfig(stack, "ses"), maxAttempts: 1 });
  try {
    const started = Date.now();
    let next = 0;
    // The same concurrency the pipeline's sender has: one message at a time per sender.
    const worker = async () => {
      while (next < RECIPIENTS) {
        const i = next++;
        await ses.send(new SendEmailCommand({ FromEmailAddress: "bulletin@example.org", Destination: { ToAddresses: [`user${i}@m.example.com`] }, Content: { Simple: { Subject: { Data: "bench" }, Body: { Text: { Data: "bench" } } } } }));
      }
    };
    await worker();
    return { label: "bare SES v2 SendEmail loop", sent: RECIPIENTS, achievedRate: RECIPIENTS / ((Date.now() - started) / 1000) };
  } finally {
    ses.destroy();
    await stack.stop();
  }
}

const paced = await pipelineRun(`pipeline at ${PACED_RATE}/s`, PACED_RATE);
const unpaced = await pipelineRun("pipeline unpaced", 10_000);
const bare = await bareLoop();
const results = {
  machine: { node: process.version, cpus: (await import("node:os")).cpus().length },
  recipients: RECIPIENTS,
  paced: { ...paced, ofConfigured: paced.achievedRate / PACED_RATE },
  unpaced: { ...unpaced, ratioToBareLoop: unpaced.achievedRate / bare.achievedRate },
  bare,
};
console.table([
  { run: paced.label, sent: paced.sent, "achieved /s": paced.achievedRate.toFixed(1), "max in any 1 s": paced.maxInAnySecond, note: `${(results.paced.ofConfigured * 100).toFixed(1)}% of configured` },
  { run: unpaced.label, sent: unpaced.sent, "achieved /s": unpaced.achievedRate.toFixed(1), "max in any 1 s": unpaced.maxInAnySecond, note: `${results.unpaced.ratioToBareLoop.toFixed(2)}× the bare loop` },
  { run: bare.label, sent: bare.sent, "achieved /s": bare.achievedRate.toFixed(1), "max in any 1 s": "", note: "" },
]);
mkdirSync("bench/results", { recursive: true });
writeFileSync("bench/results/send.json", `${JSON.stringify(results, null, 2)}\n`);
process.exit(0);
