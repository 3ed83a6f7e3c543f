// Benchmark: sending through the whole local pipeline — API, DynamoDB (DynamoDB Local), SQS (fauxqs),
// the sender, SES (aws-ses-v2-local) — paced at a configured rate and unpaced, against a bare SES v2
// SendEmail loop of the same emails on the same emulator in the same run. A proxy in a process of
// its own, in front of SES, records when each message was accepted (a SendBulkEmail call counts once
// per destination), so the rate and the busiest 1-s window are SES's view; the sends themselves are
// timed where the sender lets each call go. A second such proxy in front of DynamoDB, and the SES
// one, count the requests each email cost.
import { readdirSync, readFileSync } from "node:fs";
import { SendEmailCommand, SESv2Client } from "@aws-sdk/client-sesv2";
import { buildOutgoingEmail, importIssue } from "@bulletin/core";
import { startStackProcess } from "./lib/stack-runner.ts";
import { MjmlRenderer } from "@bulletin/mjml";
import { toSendEmailInput } from "@bulletin/ses";
import { startRecordingProxy } from "./lib/recording-proxy.ts";
import { recordReleases } from "./lib/release-recorder.ts";
import { benchService, maxInAnySecond } from "./lib/service.ts";
import { writeResults } from "./lib/report.ts";

const RECIPIENTS = Number(process.env.BENCH_SEND_RECIPIENTS ?? 4000);
const PACED_RATE = Number(process.env.BENCH_PACED_RATE ?? 50);
const UNPACED = 10_000;

/** Rate from first to last arrival, and the busiest 1-s window, of what SES accepted. */
function measured(arrivals: number[]) {
  const seconds = (arrivals[arrivals.length - 1]! - arrivals[0]!) / 1000;
  return {
    sent: arrivals.length,
    achievedRate: Math.round(((arrivals.length - 1) / seconds) * 10) / 10,
    maxInAnySecond: maxInAnySecond(arrivals),
  };
}

const releases = recordReleases();

const sum = (ops: Record<string, number>) => Object.values(ops).reduce((a, b) => a + b, 0);

async function pipelineRun(label: string, rate: number) {
  // The emulators in a process of their own, as AWS's services are apart from the service (and as
  // the bare loop's are): the service's one thread is then the service's, not SES's too.
  const stack = await startStackProcess();
  const proxy = await startRecordingProxy(stack.endpoints.ses);
  const dynamo = await startRecordingProxy(stack.endpoints.dynamodb);
  const b = await benchService({
    recipients: RECIPIENTS,
    env: {
      LOCAL_EMULATORS: "off",
      SEND_RATE: String(rate),
      BULLETIN_SES_ENDPOINT: proxy.url,
      BULLETIN_DYNAMODB_ENDPOINT: dynamo.url,
      BULLETIN_SQS_ENDPOINT: stack.endpoints.sqs,
    },
  });
  try {
    releases.take();
    await proxy.take();
    await dynamo.take();
    const started = Date.now();
    const { sendId } = await b.startSend();
    // Polled once a second: each poll's reads (the token, the send, its counters) are counted too.
    await b.waitFinished(sendId, 1000);
    const atSender = maxInAnySecond(releases.take());
    const ses = await proxy.take();
    const db = (await dynamo.take()).operations;
    const sent = ses.accepted.length;
    const requests = {
      dynamodb: db,
      ses: ses.operations,
      dynamodbPerEmail: round(sum(db) / sent, 3),
      sesPerEmail: round(sum(ses.operations) / sent, 3),
    };
    return {
      label,
      configuredRate: rate,
      wallSeconds: (Date.now() - started) / 1000,
      ...measured(ses.accepted),
      maxInAnySecondAtSender: atSender,
      requests,
    };
  } finally {
    await b.stop();
    await proxy.stop();
    await dynamo.stop();
    await stack.stop();
  }
}

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

/**
 * SendEmail in a plain loop, one call at a time, with no pipeline: the emulator's own pace for the
 * same emails (the sample issue's 发 tier, personalised, with the same headers and tags) through
 * the same recording proxy. A loop of tiny messages would measure a different workload: the
 * emulator and the SDK's serializer take several times longer over 60 KB than over 5 bytes.
 */
async function bareLoop() {
  const stack = await startStackProcess();
  const proxy = await startRecordingProxy(stack.endpoints.ses);
  const ses = new SESv2Client({
    region: "us-east-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
    endpoint: proxy.url,
    maxAttempts: 1,
  });
  const file = readdirSync("samples/bulletins")
    .filter((f) => f.endsWith(".txt"))
    .sort()
    .at(-1)!;
  const prepared = await new MjmlRenderer().prepare(
    importIssue(readFileSync(`samples/bulletins/${file}`, "utf8")).issue,
    "distribute",
  );
  try {
    for (let i = 0; i < RECIPIENTS; i++) {
      const to = `user${i}@m.example.com`;
      const links = {
        viewOnlineUrl: "https://bulletin.example.org/archive/bench",
        unsubscribeUrl: `https://bulletin.example.org/u/${i.toString(36)}.${"s".repeat(43)}`,
      };
      const rendered = prepared.personalise({ email: to, name: `联系人${i}`, organization: "会员单位" }, links);
      const email = await buildOutgoingEmail({
        issueId: "bench",
        sendId: "bench",
        test: false,
        tier: "distribute",
        to,
        rendered,
        links,
        from: "bulletin@example.org",
        unsubscribeMailto: "unsubscribe@example.org",
      });
      await ses.send(new SendEmailCommand(toSendEmailInput(email)));
    }
    return { label: "bare SES v2 SendEmail loop, same emails", ...measured(await proxy.takeAccepted()) };
  } finally {
    ses.destroy();
    await proxy.stop();
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
    {
      run: paced.label,
      sent: paced.sent,
      "achieved /s": paced.achievedRate,
      "max in any 1 s": `${paced.maxInAnySecondAtSender} sent, ${paced.maxInAnySecond} at SES`,
      note: `${(ofConfigured * 100).toFixed(1)}% of configured`,
    },
    {
      run: unpaced.label,
      sent: unpaced.sent,
      "achieved /s": unpaced.achievedRate,
      "max in any 1 s": `${unpaced.maxInAnySecondAtSender} sent, ${unpaced.maxInAnySecond} at SES`,
      note: `${ratio.toFixed(2)}× the bare loop; ${unpaced.requests.dynamodbPerEmail} DynamoDB and ${unpaced.requests.sesPerEmail} SES requests per email`,
    },
    {
      run: bare.label,
      sent: bare.sent,
      "achieved /s": bare.achievedRate,
      "max in any 1 s": bare.maxInAnySecond,
      note: "",
    },
  ],
  paced: { ...paced, ofConfigured },
  unpaced: { ...unpaced, ratioToBareLoop: ratio },
  bare,
  targets: [
    {
      name: `paced at ${PACED_RATE}/s`,
      target: "≥ 97.5% of the configured rate",
      value: `${(ofConfigured * 100).toFixed(1)}%`,
      met: ofConfigured >= 0.975,
    },
    {
      name: "paced: busiest 1-s window of sends",
      target: `≤ ${PACED_RATE}`,
      value: paced.maxInAnySecondAtSender,
      met: paced.maxInAnySecondAtSender <= PACED_RATE,
    },
    // Not a target: SES's view adds the trip's jitter on this machine (BENCHMARKS.md says how much).
    {
      name: "paced: busiest 1-s window of arrivals at SES",
      target: `(≤ ${PACED_RATE} wanted)`,
      value: paced.maxInAnySecond,
      met: paced.maxInAnySecond <= PACED_RATE,
    },
    { name: "unpaced vs the bare SES loop", target: "≥ 1.5×", value: `${ratio.toFixed(2)}×`, met: ratio >= 1.5 },
    {
      name: "unpaced: DynamoDB requests per email",
      target: "≤ 0.3",
      value: unpaced.requests.dynamodbPerEmail,
      met: unpaced.requests.dynamodbPerEmail <= 0.3,
    },
    {
      name: "unpaced: SES requests per email",
      target: "≤ 0.1",
      value: unpaced.requests.sesPerEmail,
      met: unpaced.requests.sesPerEmail <= 0.1,
    },
  ],
});
process.exit(0);
