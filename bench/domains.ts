// Benchmark: pacing per recipient domain (DOMAIN_RATES) on the whole local pipeline — API, DynamoDB
// Local, fauxqs SQS (its message delays bring held-back recipients back), the sender,
// aws-ses-v2-local. A QQ-heavy list goes out with two domain groups limited well below the account's
// rate, and the bench measures from the actual send times of every recipient:
// - per group, the most recipients in any sliding window of the limit's length (closed at both ends,
//   as the pacer counts), which must never exceed the limit, and the rate the group achieved;
// - the ungrouped recipients' rate and when they were all out, against the account's rate and the
//   groups' end: they must not wait for the groups;
// - every recipient mailed exactly once;
// - how many of each group the send page counts as waiting, sampled once a second.
// Two clocks, as in the send bench: "at the wire" is when the sender's SES call passed `ready`
// (the account's admit and the group's deadline) and went on the wire, recorded by wrapping
// SesMailer.sendBulk in this process; "at SES" is when the call arrived at a recording proxy in a
// process of its own in front of the SES emulator, per destination SES accepted. (The emulator's own
// store only keeps whole seconds.)
import {
  groupCallSize,
  groupDeadlineMs,
  groupSpacingMs,
  parseDomainRates,
  domainGroupOf,
  type DomainGroup,
} from "@bulletin/core";
import { SesMailer } from "@bulletin/ses";
import { startRecordingProxy } from "./lib/recording-proxy.ts";
import { benchService, maxInAnySecond } from "./lib/service.ts";
import { startStackProcess } from "./lib/stack-runner.ts";
import { writeResults } from "./lib/report.ts";

const RECIPIENTS = Number(process.env.BENCH_DOMAINS_RECIPIENTS ?? 2000);
const ACCOUNT_RATE = Number(process.env.BENCH_DOMAINS_RATE ?? 40);
// Scaled down from the receivers' 3000/h so the run takes minutes, and per minute, not per second:
// a group's deadline is at least 10 s (domain-pacer.ts), so a per-second limit would spend most of
// its rate on it. The run lasts a few of each group's windows, so the window rule is really tested.
const DOMAIN_RATES =
  process.env.BENCH_DOMAIN_RATES ?? "qq.com,foxmail.com,vip.qq.com=600/min;163.com,126.com,yeah.net=300/min";
const groups = parseDomainRates(DOMAIN_RATES);

/** Deterministic, so every run mails the same list: 60% QQ (qq.com, foxmail.com), 20% NetEase (163.com, 126.com), 20% others. */
function recipientsCsv(count: number): { csv: string; emails: string[] } {
  let s = 7;
  const rand = () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
  const rows = ["email,name,organization,tier,role"];
  const emails: string[] = [];
  for (let i = 0; i < count; i++) {
    const d = rand();
    const domain =
      d < 0.45
        ? "qq.com"
        : d < 0.6
          ? "foxmail.com"
          : d < 0.72
            ? "163.com"
            : d < 0.8
              ? "126.com"
              : `m${i % 53}.example.com`;
    const t = rand();
    const [tier, role] =
      t < 0.05 ? ["report", "各处室"] : t < 0.75 ? ["distribute", "团体会员单位"] : ["copy", "相关单位"];
    const email = `bench${i}@${domain}`;
    emails.push(email);
    rows.push(`${email},联系人${i},会员单位,${tier},${role}`);
  }
  return { csv: `${rows.join("\n")}\n`, emails };
}

/** When each recipient's call went on the wire, as the sender let it go (ms, this process's clock). */
function recordWire() {
  const sends: { at: number; to: string }[] = [];
  const sendBulk = SesMailer.prototype.sendBulk;
  SesMailer.prototype.sendBulk = function (this: SesMailer, email, options = {}) {
    const { ready } = options;
    return sendBulk.call(this, email, {
      ...options,
      ready: async () => {
        await ready?.();
        const at = Date.now();
        for (const e of email.entries) sends.push({ at, to: e.to });
      },
    });
  };
  return sends;
}

/** The most recipients in any window [t, t + windowMs] (closed at both ends, as the pacer's guarantee is stated). */
function busiestWindow(times: number[], windowMs: number): number {
  const t = [...times].sort((a, b) => a - b);
  let best = 0;
  for (let i = 0, j = 0; j < t.length; j++) {
    while (t[j]! - t[i]! > windowMs) i++;
    best = Math.max(best, j - i + 1);
  }
  return best;
}

const round = (x: number, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;

const wire = recordWire();
const { csv, emails: listed } = recipientsCsv(RECIPIENTS);
const stack = await startStackProcess();
const proxy = await startRecordingProxy(stack.endpoints.ses);
const b = await benchService({
  recipients: 28,
  env: {
    LOCAL_EMULATORS: "off",
    SEND_RATE: String(ACCOUNT_RATE),
    DOMAIN_RATES,
    BULLETIN_SES_ENDPOINT: proxy.url,
    BULLETIN_DYNAMODB_ENDPOINT: stack.endpoints.dynamodb,
    BULLETIN_SQS_ENDPOINT: stack.endpoints.sqs,
  },
});
try {
  const imported = (await (
    await b.call("/api/recipients/import", { method: "POST", headers: { "content-type": "text/csv" }, body: csv })
  ).json()) as { created: number };
  if (imported.created !== RECIPIENTS)
    throw new Error(`bench: imported ${imported.created} of ${RECIPIENTS} recipients`);
  const everyone: string[] = [];
  for (let cursor: string | undefined, first = true; first || cursor; first = false) {
    const page = await b.service.deps.recipients.list({ limit: 100, ...(cursor ? { cursor } : {}) });
    everyone.push(...page.items.filter((r) => r.status === "active").map((r) => r.email));
    cursor = page.cursor;
  }
  await proxy.take();
  wire.length = 0;

  const started = Date.now();
  const { sendId } = await b.startSend();
  // What the send page shows (it reads the same counters), once a second until the send finishes.
  const waiting: { t: number; byGroup: Record<string, number> }[] = [];
  let final: { status: string; totals: Record<string, number> };
  for (;;) {
    final = (await (await b.call(`/api/sends/${sendId}`)).json()) as { status: string; totals: Record<string, number> };
    waiting.push({
      t: round((Date.now() - started) / 1000, 1),
      byGroup: await b.service.deps.deliveries.queuedByGroup(sendId),
    });
    if (waiting.length % 15 === 1)
      console.log(
        `${waiting.at(-1)!.t} s: ${final.status}, sent ${final.totals.sent ?? 0}; waiting ${JSON.stringify(waiting.at(-1)!.byGroup)}`,
      );
    if (final.status === "finished" || final.status === "cancelled" || final.status === "paused") break;
    await new Promise((r) => setTimeout(r, 1000));
  }
  const wallSeconds = (Date.now() - started) / 1000;
  const ses = await proxy.take();
  const arrivals = ses.accepted.map((at, i) => ({ at, to: ses.acceptedTo[i]! }));

  const groupOf = (email: string) => domainGroupOf(groups, email)?.name ?? "others";
  const names = [...groups.map((g) => g.name), "others"];
  const rel = (t: number) => round((t - started) / 1000, 1);
  const perGroup = names.map((name) => {
    const g: DomainGroup | undefined = groups.find((x) => x.name === name);
    const atWire = wire.filter((s) => groupOf(s.to) === name).map((s) => s.at);
    const atSes = arrivals.filter((s) => groupOf(s.to) === name).map((s) => s.at);
    const first = Math.min(...atSes);
    const last = Math.max(...atSes);
    const span = (last - first) / 1000;
    const windowMs = g?.windowMs ?? 1000;
    return {
      name,
      domains: g?.domains ?? ["(every other domain)"],
      limit: g ? g.rate : `${ACCOUNT_RATE}/s (the account)`,
      limitPerSecond: g ? round(g.limit / (g.windowMs / 1000)) : ACCOUNT_RATE,
      // The pacer's own ceiling: calls of up to callSize, spaced so that a window plus the deadline holds the limit.
      pacerCeilingPerSecond: g ? round(1000 / groupSpacingMs(g, g.limit)) : ACCOUNT_RATE,
      callSize: g ? groupCallSize(g.limit) : Math.min(50, ACCOUNT_RATE),
      deadlineMs: g ? groupDeadlineMs(g) : null,
      recipients: listed.filter((e) => groupOf(e) === name).length + (name === "others" ? 28 : 0),
      sent: atSes.length,
      firstAtSeconds: rel(first),
      lastAtSeconds: rel(last),
      achievedPerSecond: round(atSes.length / span),
      windowMs,
      maxInWindowAtWire: busiestWindow(atWire, windowMs),
      maxInWindowAtSes: busiestWindow(atSes, windowMs),
      maxWaiting: Math.max(0, ...waiting.map((w) => w.byGroup[name] ?? 0)),
    };
  });

  const counts = new Map<string, number>();
  for (const a of arrivals) counts.set(a.to, (counts.get(a.to) ?? 0) + 1);
  const twice = [...counts].filter(([, n]) => n > 1).map(([e]) => e);
  const missing = everyone.filter((e) => !counts.has(e));
  const strangers = [...counts.keys()].filter((e) => !everyone.includes(e));
  const accountMaxAtWire = maxInAnySecond(wire.map((s) => s.at));
  const accountMaxAtSes = maxInAnySecond(arrivals.map((s) => s.at));
  const others = perGroup.find((g) => g.name === "others")!;
  const groupRows = perGroup.filter((g) => g.name !== "others");
  const lastGroupEnd = Math.max(...groupRows.map((g) => g.lastAtSeconds));

  writeResults("domains", {
    recipients: everyone.length,
    accountRate: ACCOUNT_RATE,
    domainRates: DOMAIN_RATES,
    wallSeconds: round(wallSeconds, 1),
    status: final.status,
    totals: final.totals,
    rows: perGroup.map((g) => ({
      group: g.name,
      limit: g.limit,
      recipients: g.recipients,
      sent: g.sent,
      window: `${g.windowMs / 1000} s`,
      "max in a window (wire / SES)": `${g.maxInWindowAtWire} / ${g.maxInWindowAtSes}`,
      "achieved /s": g.achievedPerSecond,
      "limit /s": g.limitPerSecond,
      "pacer ceiling /s": g.pacerCeilingPerSecond,
      "sent from–to (s)": `${g.firstAtSeconds}–${g.lastAtSeconds}`,
      "most waiting": g.maxWaiting,
    })),
    groups: perGroup,
    exactlyOnce: {
      recipients: everyone.length,
      mailed: counts.size,
      twice: twice.length,
      missing: missing.length,
      notOnTheList: strangers.length,
    },
    account: { maxInAnySecondAtWire: accountMaxAtWire, maxInAnySecondAtSes: accountMaxAtSes },
    waiting,
    targets: [
      ...groupRows.flatMap((g) => [
        {
          name: `${g.name} group: most in any ${g.windowMs / 1000}-s window, at the wire`,
          target: `≤ ${g.limit.split("/")[0]}`,
          value: g.maxInWindowAtWire,
          met: g.maxInWindowAtWire <= Number(g.limit.split("/")[0]),
        },
        {
          name: `${g.name} group: the same, as SES saw the calls arrive`,
          target: `≤ ${g.limit.split("/")[0]}`,
          value: g.maxInWindowAtSes,
          met: g.maxInWindowAtSes <= Number(g.limit.split("/")[0]),
        },
        {
          name: `${g.name} group: achieved rate`,
          target: `≤ ${g.limitPerSecond}/s (pacer ceiling ${g.pacerCeilingPerSecond}/s)`,
          value: `${g.achievedPerSecond}/s`,
          met: g.achievedPerSecond <= g.limitPerSecond,
        },
      ]),
      {
        name: "others: all out before the groups' end",
        target: `< ${lastGroupEnd} s`,
        value: `${others.lastAtSeconds} s`,
        met: others.lastAtSeconds < lastGroupEnd,
      },
      {
        name: "others: achieved rate",
        target: `(account ${ACCOUNT_RATE}/s)`,
        value: `${others.achievedPerSecond}/s`,
        met: true,
      },
      {
        name: "whole send: most in any 1 s, at the wire",
        target: `≤ ${ACCOUNT_RATE}`,
        value: accountMaxAtWire,
        met: accountMaxAtWire <= ACCOUNT_RATE,
      },
      {
        name: "every recipient mailed exactly once",
        target: `${everyone.length} once, 0 twice, 0 missing`,
        value: `${counts.size} mailed, ${twice.length} twice, ${missing.length} missing, ${strangers.length} not listed`,
        met: twice.length === 0 && missing.length === 0 && strangers.length === 0 && counts.size === everyone.length,
      },
      {
        name: "the send page counts the waiting",
        target: "> 0 per group during the send",
        value: groupRows.map((g) => `${g.name} ${g.maxWaiting}`).join(", "),
        met: groupRows.every((g) => g.maxWaiting > 0),
      },
    ],
  });
} finally {
  await b.stop();
  await proxy.stop();
  await stack.stop();
}
process.exit(0);
