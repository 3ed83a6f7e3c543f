import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { hashToken, newTokenSecret } from "@bulletin/api";
import { readLocalConfig, startLocalService, type LocalService } from "@bulletin/local";

/**
 * The whole local service for a benchmark, in a temp DATA_DIR, with an admin token and `extra`
 * generated recipients on top of the 28 samples (tests/support/gen-recipients.mjs, fixed seed).
 *
 * @example
 * const b = await benchService({ recipients: 4000, env: { SEND_RATE: "50" } });
 * const { sendId } = await b.startSend();
 */
export async function benchService(opts: { recipients: number; env?: Record<string, string> }) {
  const service: LocalService = await startLocalService(
    readLocalConfig(
      {
        PORT: "0",
        LOCAL_SES_PORT: "0",
        DATA_DIR: mkdtempSync(join(tmpdir(), "bench-")),
        LOCAL_SES_EVENTS: "off",
        ...opts.env,
      },
      [],
    ),
  );
  const token = newTokenSecret();
  await service.deps.tokens.create({
    hash: hashToken(token),
    role: "admin",
    label: "bench",
    createdAt: new Date().toISOString(),
  });
  const call = (path: string, init: RequestInit = {}) =>
    fetch(`${service.url}${path}`, {
      ...init,
      headers: {
        authorization: `Bearer ${token}`,
        "content-type": "application/json",
        ...(init.headers as Record<string, string>),
      },
    });
  const extra = opts.recipients - 28;
  if (extra > 0) {
    const csv = spawnSync(process.execPath, ["tests/support/gen-recipients.mjs", String(extra), "--seed", "11"], {
      encoding: "utf8",
      maxBuffer: 1 << 30,
    }).stdout;
    // Uploads of 10,000 rows: one of 100,000 takes longer (some 5 minutes on DynamoDB Local, a
    // write per row with its two index entries) than fetch waits for an answer's headers.
    const [header, ...rows] = csv.trimEnd().split("\n");
    let created = 0;
    for (let i = 0; i < rows.length; i += 10_000) {
      const res = await call("/api/recipients/import", {
        method: "POST",
        headers: { "content-type": "text/csv" },
        body: `${[header, ...rows.slice(i, i + 10_000)].join("\n")}\n`,
      });
      created += ((await res.json()) as { created: number }).created;
    }
    if (created !== extra) throw new Error(`bench: imported ${created} of ${extra} recipients`);
  }
  let stopping: Promise<void> | undefined;
  const issueId = ((await (await call("/api/issues")).json()) as { items: { id: string }[] }).items[0]!.id;
  return {
    service,
    token,
    call,
    issueId,
    async startSend(body: Record<string, unknown> = {}): Promise<{ sendId: string }> {
      return (await (
        await call(`/api/issues/${issueId}/sends`, { method: "POST", body: JSON.stringify(body) })
      ).json()) as { sendId: string };
    },
    /** Polls the send every `everyMs` until it is finished; returns its last status. */
    async waitFinished(sendId: string, everyMs = 250): Promise<{ status: string; totals: Record<string, number> }> {
      for (;;) {
        const s = (await (await call(`/api/sends/${sendId}`)).json()) as {
          status: string;
          totals: Record<string, number>;
        };
        if (s.status === "finished" || s.status === "cancelled") return s;
        await new Promise((r) => setTimeout(r, everyMs));
      }
    },
    /** Stops the service; a second call waits for the first. */
    stop: () => (stopping ??= service.stop()),
  };
}

/**
 * This process's peak RSS in MB from now until `stop()`: the kernel's own high-water mark (VmHWM,
 * reset here through /proc/self/clear_refs), so a spike between two samples is not missed. Where
 * that is not available, RSS sampled every `everyMs`.
 */
export function rssSampler(everyMs = 200) {
  let kernelPeak = false;
  try {
    writeFileSync("/proc/self/clear_refs", "5");
    kernelPeak = true;
  } catch {
    // Not Linux, or not allowed: sample instead.
  }
  if (kernelPeak) {
    return {
      stop: () => Math.round(Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync("/proc/self/status", "utf8"))![1]) / 1024),
    };
  }
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), everyMs);
  return {
    stop: () => {
      clearInterval(timer);
      return Math.round(peak / 2 ** 20);
    },
  };
}

/** The most events in any 1-second window of `times` (ms). */
export function maxInAnySecond(times: number[]): number {
  const t = [...times].sort((a, b) => a - b);
  let best = 0;
  for (let i = 0, j = 0; i < t.length; i++) {
    while (t[i]! - t[j]! >= 1000) j++;
    best = Math.max(best, i - j + 1);
  }
  return best;
}

export function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0;
}
