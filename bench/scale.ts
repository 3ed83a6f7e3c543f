// Benchmark: a 100,000-recipient send — the peak RSS of the service (API, dispatcher, sender, SDK
// clients) while importing, dispatching and sending, and the latency of the send's summary
// (GET /api/sends/:id) at 100,000 deliveries. The emulators the send talks to (DynamoDB Local,
// fauxqs, aws-ses-v2-local) run in a process of their own (bench/lib/stack-process.ts), reached through
// BULLETIN_DYNAMODB_ENDPOINT / BULLETIN_SQS_ENDPOINT / BULLETIN_SES_ENDPOINT with LOCAL_EMULATORS=off
// (so the service starts none of its own): on AWS those are
// managed services, and their memory here (DynamoDB Local's JVM, every email kept by the SES
// emulator) is reported apart, not charged to the service. `npm run bench -- scale` runs it with V8's heap capped
// at 160 MB (bench/index.ts says why); run directly, V8 keeps as much heap as it likes.
import { startStackProcess } from "./lib/stack-runner.ts";
import { benchService, percentile, rssSampler } from "./lib/service.ts";
import { writeResults } from "./lib/report.ts";

const RECIPIENTS = Number(process.env.BENCH_SCALE_RECIPIENTS ?? 100_000);
// The emulators' process runs without the heap cap this one may have (flags are not inherited).
const stack = await startStackProcess();
const { endpoints } = stack;

// Two phases, each with its own peak: importing the 100,000 recipients (one CSV upload through the
// API), then the send itself, which is what the target is about.
const importRss = rssSampler();
const t0 = performance.now();
const b = await benchService({
  recipients: RECIPIENTS,
  // LOCAL_EMULATORS=off: the service starts no emulators of its own (idle, they cost it ~70 MB).
  env: {
    SEND_RATE: "10000",
    LOCAL_EMULATORS: "off",
    BULLETIN_DYNAMODB_ENDPOINT: endpoints.dynamodb!,
    BULLETIN_SQS_ENDPOINT: endpoints.sqs!,
    BULLETIN_SES_ENDPOINT: endpoints.ses!,
  },
});
const importSeconds = (performance.now() - t0) / 1000;
const importPeakMb = importRss.stop();
const rss = rssSampler();
try {
  const t1 = performance.now();
  const { sendId } = await b.startSend();
  const done = await b.waitFinished(sendId, 2000);
  const sendSeconds = (performance.now() - t1) / 1000;
  const peakMb = rss.stop();
  const latencies: number[] = [];
  for (let i = 0; i < 100; i++) {
    const t = performance.now();
    await (await b.call(`/api/sends/${sendId}`)).json();
    latencies.push(performance.now() - t);
  }
  // The service first, then its emulators: stopped the other way round, its pollers would report
  // every refused connection on the way out.
  await b.stop();
  const emulators = await stack.stop();
  const p50 = Math.round(percentile(latencies, 50) * 10) / 10;
  const p99 = Math.round(percentile(latencies, 99) * 10) / 10;
  const sent = done.totals.sent ?? 0;
  writeResults("scale", {
    totals: done.totals,
    rows: [
      {
        recipients: RECIPIENTS,
        "import s": Math.round(importSeconds),
        "send s": Math.round(sendSeconds),
        "sent /s": Math.round(sent / sendSeconds),
        sent,
        "service peak RSS MB: import / send": `${importPeakMb} / ${peakMb}`,
        "emulators peak RSS MB (node / DynamoDB Local's JVM)": `${emulators.peakRssMb} / ${emulators.dynamoPeakRssMb}`,
        "summary p50 ms": p50,
        "summary p99 ms": p99,
      },
    ],
    recipients: RECIPIENTS,
    peakRssMb: peakMb,
    importPeakRssMb: importPeakMb,
    emulatorsPeakRssMb: emulators.peakRssMb,
    dynamoDbLocalPeakRssMb: emulators.dynamoPeakRssMb,
    summaryMs: { p50, p99 },
    targets: [
      // "unknown" is an SES call that got no answer in time: never resent, so never twice either.
      {
        name: `${RECIPIENTS} each sent once`,
        target: `${RECIPIENTS} sent`,
        value: `${sent} sent, ${done.totals.unknown ?? 0} unknown`,
        met: sent === RECIPIENTS,
      },
      { name: "the service's peak RSS during the send", target: "< 300 MB", value: `${peakMb} MB`, met: peakMb < 300 },
      {
        name: `send summary at ${RECIPIENTS} deliveries`,
        target: "< 50 ms",
        value: `p50 ${p50} ms, p99 ${p99} ms`,
        met: p99 < 50,
      },
    ],
  });
} finally {
  await b.stop();
  await stack.stop().catch(() => {});
}
process.exit(0);
