// Benchmark: load. 50 concurrent clients for 30 s against the local server — API reads and the
// admin dashboard — while a 10,000-recipient send runs. Every answer must be a success; the
// latencies are reported (p50/p99) per kind of request.
import { benchService, percentile } from "./lib/service.ts";
import { writeResults } from "./lib/report.ts";

const RECIPIENTS = Number(process.env.BENCH_LOAD_RECIPIENTS ?? 10_000);
const CLIENTS = Number(process.env.BENCH_LOAD_CLIENTS ?? 50);
const SECONDS = Number(process.env.BENCH_LOAD_SECONDS ?? 30);

const b = await benchService({ recipients: RECIPIENTS, env: { SEND_RATE: "10000" } });
try {
  const signIn = await fetch(`${b.service.url}/admin/login`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ token: b.token }),
  });
  const cookie = signIn.headers.get("set-cookie")!.split(";")[0]!;
  const { sendId } = await b.startSend();
  // The load starts once the send is really sending (its dispatch over), so the two overlap.
  for (let s = ""; s !== "sending" && s !== "finished"; await new Promise((r) => setTimeout(r, 200))) {
    s = ((await (await b.call(`/api/sends/${sendId}`)).json()) as { status: string }).status;
  }
  const kinds: Record<string, () => Promise<Response>> = {
    "GET /api/sends/:id": () => b.call(`/api/sends/${sendId}`),
    "GET /api/sends/:id/deliveries": () => b.call(`/api/sends/${sendId}/deliveries?status=sent&limit=50`),
    "GET /api/recipients": () => b.call("/api/recipients?tier=distribute&limit=50"),
    "GET /admin/sends/:id": () => fetch(`${b.service.url}/admin/sends/${sendId}`, { headers: { cookie } }),
    "GET /healthz": () => fetch(`${b.service.url}/healthz`),
  };
  const names = Object.keys(kinds);
  const latencies = new Map<string, number[]>(names.map((n) => [n, []]));
  const errors: string[] = [];
  const until = Date.now() + SECONDS * 1000;
  const sentAtStart =
    ((await (await b.call(`/api/sends/${sendId}`)).json()) as { totals: Record<string, number> }).totals.sent ?? 0;
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, c) => {
      for (let i = c; Date.now() < until; i++) {
        const name = names[i % names.length]!;
        const t = performance.now();
        try {
          const res = await kinds[name]!();
          await res.arrayBuffer();
          if (res.status !== 200) errors.push(`${name}: ${res.status}`);
        } catch (e) {
          errors.push(`${name}: ${(e as Error).message}`);
        }
        latencies.get(name)!.push(performance.now() - t);
      }
    }),
  );
  const progress = (await (await b.call(`/api/sends/${sendId}`)).json()) as {
    status: string;
    totals: Record<string, number>;
  };
  const sentDuring = (progress.totals.sent ?? 0) - sentAtStart;
  const all = [...latencies.values()].flat();
  const round = (x: number) => Math.round(x * 10) / 10;
  const rows = names.map((n) => {
    const xs = latencies.get(n)!;
    return { request: n, count: xs.length, "p50 ms": round(percentile(xs, 50)), "p99 ms": round(percentile(xs, 99)) };
  });
  rows.push({
    request: "all",
    count: all.length,
    "p50 ms": round(percentile(all, 50)),
    "p99 ms": round(percentile(all, 99)),
  });
  writeResults("load", {
    clients: CLIENTS,
    seconds: SECONDS,
    recipients: RECIPIENTS,
    rows,
    requestsPerSecond: Math.round(all.length / SECONDS),
    sentDuringLoad: sentDuring,
    errors: errors.slice(0, 20),
    targets: [
      {
        name: `${CLIENTS} clients for ${SECONDS} s during a ${RECIPIENTS}-recipient send`,
        target: "no errors",
        value: errors.length,
        met: errors.length === 0,
      },
      { name: "the send kept going", target: "> 0 sent during the load", value: sentDuring, met: sentDuring > 0 },
    ],
  });
  await b.call(`/api/sends/${sendId}/cancel`, { method: "POST" });
} finally {
  await b.stop();
}
process.exit(0);
