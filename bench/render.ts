// Benchmark: rendering. Every tier of each sample issue, cold (a new renderer's first prepare, JIT
// and template compile included) and warm (median of 20), the HTML size of each email against
// Gmail's 102 KB clip, and personalisation (messages/s on one core: personalise + the message).
import { readdirSync, readFileSync } from "node:fs";
import { buildOutgoingEmail, importIssue, TIERS, type Issue } from "@bulletin/core";
import { GMAIL_CLIP_BYTES, MjmlRenderer } from "@bulletin/mjml";
import { median, since, writeResults } from "./lib/report.ts";

const samples = readdirSync("samples/bulletins")
  .filter((f) => f.endsWith(".txt"))
  .sort();
const issues: [string, Issue][] = samples.map((f) => [
  f,
  importIssue(readFileSync(`samples/bulletins/${f}`, "utf8")).issue,
]);
const rows: Record<string, unknown>[] = [];
let worstWarm = 0;
let largest = 0;

for (const [file, issue] of issues) {
  const renderer = new MjmlRenderer();
  let t = performance.now();
  const prepared = await Promise.all(TIERS.map((tier) => renderer.prepare(issue, tier)));
  const cold = since(t);
  const warm: number[] = [];
  for (let i = 0; i < 20; i++) {
    t = performance.now();
    await Promise.all(TIERS.map((tier) => renderer.prepare(issue, tier)));
    warm.push(since(t));
  }
  const sizes = prepared.map((p) =>
    Buffer.byteLength(
      p.personalise(
        { email: "recipient@example.org", name: "示例收件人", organization: "示例单位" },
        {
          viewOnlineUrl: "https://bulletin.example.org/archive/x",
          unsubscribeUrl: `https://bulletin.example.org/u/${"x".repeat(120)}`,
        },
      ).html,
    ),
  );
  worstWarm = Math.max(worstWarm, median(warm));
  largest = Math.max(largest, ...sizes);
  rows.push({
    issue: file,
    "3 tiers cold ms": cold,
    "3 tiers warm ms (median)": median(warm),
    "HTML KB report/distribute/copy": sizes.map((b) => (b / 1024).toFixed(1)).join(" / "),
  });
}

// Personalisation: one prepared tier, a new recipient and link each time, for two seconds.
const [, issue] = issues[issues.length - 1]!;
const prepared = await new MjmlRenderer().prepare(issue, "distribute");
let n = 0;
const start = performance.now();
while (performance.now() - start < 2000) {
  for (let i = 0; i < 200; i++, n++) {
    const email = `member${n}@example.org`;
    const links = {
      viewOnlineUrl: "https://bulletin.example.org/archive/x",
      unsubscribeUrl: `https://bulletin.example.org/u/${n.toString(36)}.${"s".repeat(43)}`,
    };
    const rendered = prepared.personalise({ email, name: `联系人${n}`, organization: "会员单位" }, links);
    await buildOutgoingEmail({
      issueId: "x",
      sendId: "s",
      test: false,
      tier: "distribute",
      to: email,
      rendered,
      links,
      from: "bulletin@example.org",
      unsubscribeMailto: "unsubscribe@example.org",
    });
  }
}
const perSecond = Math.round(n / ((performance.now() - start) / 1000));
rows.push({
  issue: "personalisation",
  "3 tiers cold ms": "",
  "3 tiers warm ms (median)": "",
  "HTML KB report/distribute/copy": `${perSecond} messages/s on one core`,
});

writeResults("render", {
  rows,
  personalisationPerSecond: perSecond,
  targets: [
    { name: "3 tiers rendered, warm", target: "≤ 150 ms", value: worstWarm, met: worstWarm <= 150 },
    { name: "personalisation", target: "≥ 20,000 messages/s", value: perSecond, met: perSecond >= 20_000 },
    {
      name: "largest sample email HTML",
      target: `< ${GMAIL_CLIP_BYTES / 1024} KB`,
      value: `${(largest / 1024).toFixed(1)} KB`,
      met: largest < GMAIL_CLIP_BYTES,
    },
  ],
});
