// Benchmark: a 100,000-recipient send in the local stack — the peak RSS of the whole process (app,
// sender, dynalite in its worker, fauxqs, the SES emulator) while importing, dispatching and
// sending, and the latency of the send's summary (GET /api/sends/:id) at 100,000 deliveries.
// aws-ses-v2-local keeps every email it receives in memory (6 GB for 100,000 bulletins), which is
// the emulator's cost, not ours: its store is emptied twice a second during the run.
import { benchService, percentile, rssSampler } from "./lib/service.ts";
import { writeResults } from "./lib/report.ts";

const RECIPIENTS = Number(process.env.BENCH_SCALE_RECIPIENTS ?? 100_000);
const rss = rssSampler();
const t0 = performance.now();
const b = await benchService({ recipients: RECIPIENTS, env: { SEND_RATE: "10000" } });
const importSeconds = (performance.now() - t0) / 1000;
const clear = setInterval(() => void fetch(`${b.service.stack.endpoints.ses}/clear-store`, { method: "POST" }).then((r) => r.arrayBuffer()).catch(() => {}), 500);
try {
  const t1 = performance.now();
  const { sendId } = await b.startSend();
  const done = await b.waitFinished(sendId, 2000).finally(() => clearInterval(clear));
  const sendSeconds = (performance.now() - t1) / 1000;
  const peakMb = rss.stop();
  const latencies: number[] = [];
  for (let i = 0; i < 100; i++) {
    const t = performance.now();
    const res = await b.call(`/api/sends/${sendId}`);
    await res.json();
    latencies.push(performance.now() - t);
  }
  const p50 = Math.round(percentile(latencies, 50) * 10) / 10;
  const p99 = Math.round(percentile(latencies, 99) * 10) / 10;
  const sent = done.totals.sent ?? 0;
  writeResults("scale", {
    rows: [{ recipients: RECIPIENTS, "import s": Math.round(importSeconds), "send s": Math.round(sendSeconds), "sent /s": Math.round(sent / sendSeconds), sent, "peak RSS MB": peakMb, "summary p50 ms": p50, "summary p99 ms": p99 }],
    recipients: RECIPIENTS,
    peakRssMb: peakMb,
    summaryMs: { p50, p99 },
    targets: [
      { name: `${RECIPIENTS} sent, each once`, target: `${RECIPIENTS} sent`, value: sent, met: sent === RECIPIENTS },
      { name: "peak RSS of the send", target: "< 300 MB", value: `${peakMb} MB`, met: peakMb < 300 },
      { name: "send summary at 100,000 deliveries", target: "< 50 ms", value: `p50 ${p50} ms, p99 ${p99} ms`, met: p99 < 50 },
    ],
  });
} finally {
  clearInterval(clear);
  await b.stop();
}
process.exit(0);
