// Benchmark: sending through the whole local pipeline — API, DynamoDB (dynalite), SQS (fauxqs), the
// sender, SES (aws-ses-v2-local) — paced at a configured rate and unpaced, against a bare SES v2
// SendEmail loop on the same emulator in the same run. A proxy in front of SES records when each
// message was accepted, so the rate and the busiest 1-s window are SES's view, not ours.
import { mkdtempSync } from "node:fs";
import { createServer, request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SendEmailCommand, SESv2Client } from "@aws-sdk/client-sesv2";
import { awsClientConfig, startLocalStack } from "../packages/local-stack/src/index.ts";
import { benchService, maxInAnySecond } from "./lib/service.ts";
import { writeResults } from "./lib/report.ts";

const RECIPIENTS = Number(process.env.BENCH_SEND_RECIPIENTS ?? 4000);
const PACED_RATE = Number(process.env.BENCH_PACED_RATE ?? 50);
const UNPACED = 10_000;

async function freePort(): Promise<number> {
  return new Promise((r) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => r(p));
    });
  });
}

/**
 * A loopback proxy in front of SES that records when each SendEmail that SES accepted *arrived*
 * (ms): the moment the sender let it go, which is what pacing governs. (When it was answered
 * depends on how busy the machine is: answers queue up and come back in clumps.)
 */
async function recordingProxy(target: string) {
  const accepted: number[] = [];
  const server = createServer((req, res) => {
    const arrived = Date.now();
    const up = request(new URL(req.url ?? "/", target), { method: req.method, headers: req.headers }, (upRes) => {
      if (upRes.statusCode === 200 && req.url?.includes("/outbound-emails")) accepted.push(arrived);
      res.writeHead(upRes.statusCode ?? 502, upRes.headers);
      upRes.pipe(res);
    });
    req.pipe(up);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, accepted, stop: () => new Promise<void>((r) => server.close(() => r())) };
}

async function pipelineRun(label: string, rate: number) {
  const sesPort = await freePort();
  const proxy = await recordingProxy(`http://127.0.0.1:${sesPort}`);
  const b = await benchService({ recipients: RECIPIENTS, env: { LOCAL_SES_PORT: String(sesPort), SEND_RATE: String(rate), BULLETIN_SES_ENDPOINT: proxy.url } });
  try {
    const started = Date.now();
    const { sendId } = await b.startSend();
    await b.waitFinished(sendId);
    const t = proxy.accepted;
    const seconds = (t[t.length - 1]! - t[0]!) / 1000;
    return { label, configuredRate: rate, sent: t.length, wallSeconds: (Date.now() - started) / 1000, achievedRate: Math.round((t.length - 1) / seconds * 10) / 10, maxInAnySecond: maxInAnySecond(t) };
  } finally {
    await b.stop();
    await proxy.stop();
  }
}

/** SendEmail in a plain loop, one call at a time, with no pipeline: the emulator's own pace. */
async function bareLoop() {
  const stack = await startLocalStack({ dataDir: mkdtempSync(join(tmpdir(), "bench-bare-")) });
  const ses = new SESv2Client({ ...awsClientConfig(stack, "ses"), maxAttempts: 1 });
  try {
    const started = Date.now();
    let next = 0;
    const worker = async () => {
      while (next < RECIPIENTS) {
        const i = next++;
        await ses.send(new SendEmailCommand({ FromEmailAddress: "bulletin@example.org", Destination: { ToAddresses: [`user${i}@m.example.com`] }, Content: { Simple: { Subject: { Data: "bench" }, Body: { Text: { Data: "bench" } } } } }));
      }
    };
    await worker();
    return { label: "bare SES v2 SendEmail loop", sent: RECIPIENTS, achievedRate: Math.round(RECIPIENTS / ((Date.now() - started) / 1000)) };
  } finally {
    ses.destroy();
    await stack.stop();
  }
}

const paced = await pipelineRun(`pipeline paced at ${PACED_RATE}/s`, PACED_RATE);
const unpaced = await pipelineRun("pipeline unpaced", UNPACED);
const bare = await bareLoop();
const ofConfigured = paced.achievedRate / PACED_RATE;
const ratio = unpaced.achievedRate / bare.achievedRate;
writeResults("send", {
  recipients: RECIPIENTS,
  rows: [
    { run: paced.label, sent: paced.sent, "achieved /s": paced.achievedRate, "max in any 1 s": paced.maxInAnySecond, note: `${(ofConfigured * 100).toFixed(1)}% of configured` },
    { run: unpaced.label, sent: unpaced.sent, "achieved /s": unpaced.achievedRate, "max in any 1 s": unpaced.maxInAnySecond, note: `${ratio.toFixed(2)}× the bare loop` },
    { run: bare.label, sent: bare.sent, "achieved /s": bare.achievedRate, "max in any 1 s": "", note: "" },
  ],
  paced: { ...paced, ofConfigured },
  unpaced: { ...unpaced, ratioToBareLoop: ratio },
  bare,
  targets: [
    { name: `paced at ${PACED_RATE}/s`, target: "≥ 97.5% of the configured rate", value: `${(ofConfigured * 100).toFixed(1)}%`, met: ofConfigured >= 0.975 },
    { name: "paced: busiest 1-s window", target: `≤ ${PACED_RATE}`, value: paced.maxInAnySecond, met: paced.maxInAnySecond <= PACED_RATE },
    { name: "unpaced vs the bare SES loop", target: "≥ 0.8×", value: `${ratio.toFixed(2)}×`, met: ratio >= 0.8 },
  ],
});
process.exit(0);
