// Benchmark: SES event ingest. A send to N recipients, then one Delivery event per recipient (and a
// Bounce for 1 in 50) replayed through POST /api/events — the same applySesEvent as the live
// handler — timed end to end: events/s including HTTP, parsing, DynamoDB and the suppression list.
import { readFileSync } from "node:fs";
import { benchService } from "./lib/service.ts";
import { writeResults } from "./lib/report.ts";

const RECIPIENTS = Number(process.env.BENCH_INGEST_RECIPIENTS ?? 2000);
const fixture = (name: string) =>
  JSON.parse(readFileSync(`packages/core/src/events/fixtures/${name}.json`, "utf8")) as Record<string, any>;

const b = await benchService({ recipients: RECIPIENTS, env: { SEND_RATE: "10000" } });
try {
  const { sendId } = await b.startSend();
  await b.waitFinished(sendId);
  const events: string[] = [];
  let cursor: string | undefined;
  do {
    const page = (await (
      await b.call(`/api/sends/${sendId}/deliveries?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`)
    ).json()) as { items: { email: string; tier: string; sesMessageId?: string }[]; cursor?: string };
    for (const [i, d] of page.items.entries()) {
      const bounce = (events.length + i) % 50 === 0;
      const e = fixture(bounce ? "bounce-permanent" : "delivery");
      e.mail = {
        ...e.mail,
        messageId: d.sesMessageId,
        destination: [d.email],
        tags: { send: [sendId], tier: [d.tier] },
      };
      if (bounce)
        e.bounce.bouncedRecipients = [{ emailAddress: d.email, diagnosticCode: "smtp; 550 5.1.1 user unknown" }];
      else e.delivery.recipients = [d.email];
      events.push(JSON.stringify(e));
    }
    cursor = page.cursor;
  } while (cursor);
  // Firehose-style JSON lines, 500 events a request.
  const started = performance.now();
  const report = { applied: 0, duplicate: 0, unmatched: 0, invalid: 0 };
  for (let i = 0; i < events.length; i += 500) {
    const r = (await (
      await b.call("/api/events", {
        method: "POST",
        headers: { "content-type": "application/x-ndjson" },
        body: events.slice(i, i + 500).join("\n"),
      })
    ).json()) as { applied: number; duplicate: number; unmatched: number; invalid: unknown[] };
    report.applied += r.applied;
    report.duplicate += r.duplicate;
    report.unmatched += r.unmatched;
    report.invalid += r.invalid.length;
  }
  const seconds = (performance.now() - started) / 1000;
  const perSecond = Math.round(events.length / seconds);
  const after = (await (await b.call(`/api/sends/${sendId}`)).json()) as { totals: Record<string, number> };
  writeResults("ingest", {
    rows: [
      {
        events: events.length,
        seconds: Math.round(seconds * 10) / 10,
        "events/s": perSecond,
        ...report,
        delivered: after.totals.delivered,
        bounced: after.totals.bounced,
      },
    ],
    eventsPerSecond: perSecond,
    targets: [
      {
        name: "every event applied once",
        target: `${events.length} applied`,
        value: report.applied,
        met: report.applied === events.length && after.totals.delivered! + after.totals.bounced! === events.length,
      },
    ],
  });
} finally {
  await b.stop();
}
process.exit(0);
