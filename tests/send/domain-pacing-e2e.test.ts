import { afterAll, describe, expect, it } from "vitest";
import { groupCallSize, groupDeadlineMs, groupSpacingMs, parseDomainRates } from "@bulletin/core";
import { freePort } from "../support/free-port.ts";
import { type Arrival, startSesArrivals } from "../support/ses-arrivals.ts";
import { startTestService } from "../support/service.ts";

// Per-second limits, so the test lasts seconds: each group's deadline is then its 10-s floor, and
// the pacer spaces a group's recipients T = (1 s + 10 s) / (limit − call size) apart.
const DOMAIN_RATES = "qq.com,foxmail.com=20/s;163.com,126.com=10/s";
const groups = parseDomainRates(DOMAIN_RATES);
const QQ = 25;
const NETEASE = 12;
const OTHERS = 163;

/** The most arrivals in any window [t, t + windowMs], closed at both ends as the pacer counts. */
function busiestWindow(times: number[], windowMs: number): number {
  const t = [...times].sort((a, b) => a - b);
  let best = 0;
  for (let i = 0, j = 0; j < t.length; j++) {
    while (t[j]! - t[i]! > windowMs) i++;
    best = Math.max(best, j - i + 1);
  }
  return best;
}

/** 200 recipients: the QQ and NetEase groups' addresses spread through the list, the rest on other domains. */
function listCsv(): string {
  const rows = ["email,name,organization,tier,role"];
  const domains = [
    ...Array.from({ length: QQ }, (_, i) => (i % 3 === 0 ? "foxmail.com" : "qq.com")),
    ...Array.from({ length: NETEASE }, (_, i) => (i % 2 ? "126.com" : "163.com")),
    ...Array.from({ length: OTHERS }, (_, i) => `org${i % 17}.example.com`),
  ];
  // Interleaved (a fixed shuffle), so that every queue batch carries some of each.
  const order = domains.map((d, i) => ({ d, i, k: (i * 7919) % domains.length })).sort((a, b) => a.k - b.k);
  for (const { d, i } of order)
    rows.push(
      `p${i}@${d},联系人${i},会员单位,${i % 4 === 0 ? "copy" : "distribute"},${i % 4 === 0 ? "相关单位" : "团体会员单位"}`,
    );
  return `${rows.join("\n")}\n`;
}

const stops: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const stop of stops.reverse()) await stop();
});

describe("pacing per recipient domain, end to end on the local stack", () => {
  it("keeps each domain group within its limit in every window while the rest goes at the account's rate; everyone mailed once; the send page counts who waits per group", async () => {
    const sesPort = await freePort();
    const ses = await startSesArrivals(`http://127.0.0.1:${sesPort}`);
    stops.push(ses.stop);
    // An account rate far above the groups', so that unpaced the groups would go out within a second.
    const ctx = await startTestService({
      LOCAL_SES_PORT: String(sesPort),
      BULLETIN_SES_ENDPOINT: ses.url,
      SEND_RATE: "500",
      DOMAIN_RATES,
    });
    stops.push(() => ctx.service.stop());
    const auth = { authorization: `Bearer ${ctx.tokens.secretariat}` };
    const imported = await ctx.api("/api/recipients/import", {
      method: "POST",
      role: "admin",
      headers: { "content-type": "text/csv" },
      body: listCsv(),
    });
    expect(await imported.json()).toMatchObject({ created: 200 });
    const issueId = ((await (await ctx.api("/api/issues", { headers: auth })).json()) as { items: { id: string }[] })
      .items[0]!.id;

    // The send page, as the secretariat sees it (signed in through the form).
    const login = await fetch(`${ctx.service.url}/admin/login`, {
      method: "POST",
      body: new URLSearchParams({ token: ctx.tokens.secretariat }),
      redirect: "manual",
    });
    const cookie = login.headers.get("set-cookie")!.split(";")[0]!;

    const started = await ctx.api(`/api/issues/${issueId}/sends`, {
      method: "POST",
      headers: { ...auth, "content-type": "application/json" },
      body: "{}",
    });
    expect(started.status).toBe(202);
    const { sendId } = (await started.json()) as { sendId: string };
    const mostWaiting: Record<string, number> = {};
    let send: { status: string; totals: Record<string, number>; total: number } | undefined;
    for (let i = 0; i < 240; i++) {
      const page = await (await fetch(`${ctx.service.url}/admin/sends/${sendId}`, { headers: { cookie } })).text();
      for (const m of page.matchAll(/data-group="([^"]+)" data-waiting="(\d+)"/g))
        mostWaiting[m[1]!] = Math.max(mostWaiting[m[1]!] ?? 0, Number(m[2]));
      send = (await (await ctx.api(`/api/sends/${sendId}`, { headers: auth })).json()) as typeof send;
      if (send!.status !== "sending" && send!.status !== "dispatching") break;
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(send!.status).toBe("finished");
    // Every delivery settled as sent (none unknown after a timed-out call, none failed).
    const notSent = async () => {
      const lists = await Promise.all(
        ["unknown", "failed"].map(async (status) =>
          (await ctx.api(`/api/sends/${sendId}/deliveries?status=${status}&limit=100`, { headers: auth })).json(),
        ),
      );
      return JSON.stringify({ totals: send!.totals, unknownAndFailed: lists });
    };
    expect(send!.totals.sent, send!.totals.sent === 228 ? "" : await notSent()).toBe(228);

    // Everyone once: the 28 sample recipients and the 200.
    const counts = new Map<string, number>();
    for (const a of ses.arrivals) counts.set(a.to, (counts.get(a.to) ?? 0) + 1);
    // A shortfall here with the totals above all sent means the recorder missed calls: say which.
    const missing = listCsv()
      .split("\n")
      .slice(1, -1)
      .map((row) => row.split(",")[0]!)
      .filter((email) => !counts.has(email));
    expect(counts.size, `not seen at SES: ${missing.join(" ")}`).toBe(228);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);

    const of = (domains: readonly string[]): Arrival[] =>
      ses.arrivals.filter((a) => domains.includes(a.to.slice(a.to.indexOf("@") + 1)));
    const others = ses.arrivals.filter(
      (a) => !groups.some((g) => g.domains.includes(a.to.slice(a.to.indexOf("@") + 1))),
    );
    expect(others).toHaveLength(OTHERS + 28);
    for (const [g, size] of [
      [groups[0]!, QQ],
      [groups[1]!, NETEASE],
    ] as const) {
      const sent = of(g.domains).map((a) => a.at);
      expect(sent).toHaveLength(size);
      // The rule itself: no window of the limit's length carries more than the limit.
      expect(busiestWindow(sent, g.windowMs)).toBeLessThanOrEqual(g.limit);
      // Paced, not merely lucky: calls of n are reserved n·T apart, so the group's first and last
      // reservations lie at least (size − call size)·T apart, and each call reaches SES within its
      // deadline D of its reservation.
      const spacing = groupSpacingMs(g, g.limit);
      expect(Math.max(...sent) - Math.min(...sent)).toBeGreaterThanOrEqual(
        (size - groupCallSize(g.limit)) * spacing - groupDeadlineMs(g),
      );
      // Not held back by the groups: every other recipient is out before the group's last call.
      expect(Math.max(...others.map((a) => a.at))).toBeLessThan(Math.max(...sent));
      // Who waits, per group, on the send page while the group is paced.
      expect(mostWaiting[g.name]).toBeGreaterThan(0);
    }
    // The page names no group that is not configured.
    expect(Object.keys(mostWaiting).sort()).toEqual(groups.map((g) => g.name).sort());
  }, 120_000);
});
