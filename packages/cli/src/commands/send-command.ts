import { parseArgs } from "node:util";
import { TIER_ALIASES, TIER_LABELS, type Tier } from "@bulletin/core";
import { readServiceConfig, type ServiceConfig } from "../cli-config.ts";
import { type CliIo, UsageError } from "../cli-io.ts";
import { type ProgressSnapshot, progressLine } from "../progress-bar.ts";
import { callService } from "../service-client.ts";

export const sendUsage = `usage: bulletin send ISSUE [--tiers report,distribute,copy] [--test-to a@x,b@y] [--dry-run] [--include-maybe-received] [--at TIME] [--no-follow] [--without-number] [--wait-events SECONDS]

Sends an issue (its id from POST /api/issues or GET /api/issues) to the active recipients of the tiers
(default: all three; 报,发,送 work too), following it to the end with a progress bar.
  --test-to LIST   a test send to these addresses only, marked 【测试】, not counted as the real send;
                   each gets the email of the first of --tiers (default 报)
  --dry-run        resolve the audience and render, send nothing: counts per tier, who would be skipped,
                   and the pre-send checks (HTML size, links, placeholders, alt text, subject, DKIM)
  --include-maybe-received
                   also mail who maybe received the issue (an earlier send's delivery ended unknown):
                   they may get it twice; without it they are skipped
  --at TIME        schedule it (ISO 8601, e.g. 2026-12-01T09:00:00+08:00)
  --without-number send an issue that has no issue number (期号); refused otherwise
  --wait-events S  once sent, wait up to S seconds (default 15; 0: not at all) for SES's reports
                   (delivered, bounced, complained) before the summary
Acts on the running service: BULLETIN_URL and BULLETIN_TOKEN.`;

/** GET /api/sends/:id */
interface Progress {
  status: string;
  pauseReason?: string;
  total: number;
  totals: Record<string, number>;
  rate: number;
}

/**
 * `bulletin send ISSUE`: starts the send and follows it, printing a progress bar.
 *
 * @example
 * await sendCommand(["9f0c…", "--tiers", "report"], io);
 */
export async function sendCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      tiers: { type: "string" },
      "test-to": { type: "string" },
      "dry-run": { type: "boolean", default: false },
      "include-maybe-received": { type: "boolean", default: false },
      at: { type: "string" },
      "no-follow": { type: "boolean", default: false },
      "without-number": { type: "boolean", default: false },
      "wait-events": { type: "string", default: "15" },
    },
  });
  if (!/^\d{1,4}$/.test(values["wait-events"])) throw new UsageError("--wait-events must be a number of seconds");
  if (positionals.length !== 1) throw new UsageError("give the ISSUE id to send");
  const tiers = values.tiers?.split(/[,，、]/).map((t) => {
    const tier = TIER_ALIASES[t.trim().toLowerCase()];
    if (!tier) throw new UsageError(`unknown tier "${t}": use report, distribute, copy (or 报, 发, 送)`);
    return tier;
  });
  const only = values["test-to"]
    ?.split(",")
    .map((e) => e.trim())
    .filter(Boolean);
  if (values.at !== undefined && Number.isNaN(Date.parse(values.at)))
    throw new UsageError(`--at must be a date and time, e.g. 2026-12-01T09:00:00+08:00`);
  const body = {
    ...(tiers ? { tiers } : {}),
    ...(only ? { only, test: true } : {}),
    ...(values["dry-run"] ? { dryRun: true } : {}),
    ...(values["include-maybe-received"] ? { includeMaybeReceived: true } : {}),
    ...(values.at ? { scheduledAt: new Date(values.at).toISOString() } : {}),
    ...(values["without-number"] ? { confirmNoNumber: true } : {}),
  };
  const config = readServiceConfig(io.env);
  const res = await callService(config, "POST", `/api/issues/${encodeURIComponent(positionals[0]!)}/sends`, {
    type: "application/json",
    data: JSON.stringify(body),
  });
  const answer = (await res.json()) as {
    sendId?: string;
    counts?: Record<Tier, number>;
    skipped?: { email: string; tier: string; reason: string }[];
    warnings?: string[];
    coverage?: Record<Tier, { missing: string[] }>;
    maybeReceived?: string[];
    checks?: { id: string; status: "pass" | "warn" | "fail"; reason: string }[];
  };
  if (values["dry-run"]) {
    const counts = answer.counts ?? { report: 0, distribute: 0, copy: 0 };
    io.out(
      `dry run: would send to 报 report ${counts.report}, 发 distribute ${counts.distribute}, 送 copy ${counts.copy} (${counts.report + counts.distribute + counts.copy} in all)\n`,
    );
    for (const s of answer.skipped ?? []) io.out(`  would skip ${s.email} (${s.tier}): ${s.reason}\n`);
    if (answer.warnings?.includes("send.no-issue-number"))
      io.out("warning: the issue has no number (期号): a real send needs --without-number\n");
    for (const [tier, c] of Object.entries(answer.coverage ?? {})) {
      if (c.missing.length)
        io.out(
          `warning: the printed ${TIER_LABELS[tier as Tier]} line names ${c.missing.join("、")}, but no active ${tier} recipient belongs to it\n`,
        );
    }
    const maybe = answer.maybeReceived ?? [];
    if (maybe.length > 0) {
      io.out(
        `${maybe.length} maybe received it already (an earlier send ended unknown): ${values["include-maybe-received"] ? "included, and they may get it twice" : "skipped; --include-maybe-received mails them too, and they may get it twice"}\n`,
      );
    }
    const checks = answer.checks ?? [];
    if (checks.length > 0) {
      const failed = checks.filter((c) => c.status === "fail").length;
      io.out(`pre-send checks${failed ? ` (${failed} failed: look before sending)` : ""}:\n`);
      for (const c of checks) io.out(`  ${c.status.padEnd(4)}  ${c.id.padEnd(14)}  ${c.reason}\n`);
    }
    return 0;
  }
  io.out(`send ${answer.sendId} ${values.at ? `scheduled for ${values.at}` : "started"}\n`);
  if (values["no-follow"] || values.at) return 0;
  return follow(config, answer.sendId!, io, Number(values["wait-events"]) * 1000);
}

/** Polls the send until it ends, redrawing the progress line (one line per update when not a terminal). */
async function follow(config: ServiceConfig, sendId: string, io: CliIo, waitEventsMs: number): Promise<number> {
  const tty = io.isTTY;
  const read = async () =>
    (await (await callService(config, "GET", `/api/sends/${encodeURIComponent(sendId)}`)).json()) as Progress;
  let last = "";
  for (;;) {
    let p = await read();
    const line = progressLine(snapshot(p));
    if (line !== last) io.err(tty ? `\r${line}` : `${line}\n`);
    last = line;
    if (p.status === "finished" || p.status === "cancelled") {
      if (tty) io.err("\n");
      // SES reports deliveries, bounces and complaints after the send: wait a little for them, so
      // the summary says what became of the emails, not only that they went out.
      const until = Date.now() + waitEventsMs;
      if ((p.totals.sent ?? 0) > 0 && waitEventsMs > 0)
        io.err(`waiting up to ${waitEventsMs / 1000} s for SES's reports (delivered, bounced, complained)…\n`);
      while ((p.totals.sent ?? 0) > 0 && Date.now() < until) {
        await new Promise((r) => setTimeout(r, 500));
        p = await read();
      }
      const s = snapshot(p);
      const waiting = (p.totals.sent ?? 0) > 0 ? ` (${p.totals.sent} without a report yet)` : "";
      io.out(
        `send ${sendId} ${p.status}: ${s.sent} sent${outcomes(p)}${waiting}, ${s.failed} failed, ${s.skipped} skipped, ${s.unknown} unknown; average ${p.rate.toFixed(1)}/s\n`,
      );
      return (p.totals.failed ?? 0) + (p.totals.unknown ?? 0) > 0 ? 1 : 0;
    }
    if (p.status === "paused") {
      if (tty) io.err("\n");
      io.out(
        `send ${sendId} paused: ${p.pauseReason ?? "no reason given"}\nresume with: npx bulletin sends resume ${sendId}\n`,
      );
      return 1;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** What SES has reported so far about the sent ones, e.g. " (29 delivered, 1 bounced)"; "" before any event. */
function outcomes(p: Progress): string {
  const parts = (["delivered", "bounced", "complained"] as const)
    .filter((k) => (p.totals[k] ?? 0) > 0)
    .map((k) => `${p.totals[k]} ${k}`);
  return parts.length ? ` (${parts.join(", ")})` : "";
}

function snapshot(p: Progress): ProgressSnapshot {
  const t = (k: string) => p.totals[k] ?? 0;
  const sentish = t("sent") + t("delivered") + t("bounced") + t("complained");
  return {
    status: p.status,
    ...(p.pauseReason ? { pauseReason: p.pauseReason } : {}),
    total: p.total,
    done: sentish + t("failed") + t("skipped") + t("unknown"),
    sent: sentish,
    failed: t("failed"),
    skipped: t("skipped"),
    unknown: t("unknown"),
    rate: p.rate,
  };
}
