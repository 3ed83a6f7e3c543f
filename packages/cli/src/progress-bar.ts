/** What the progress line shows: from GET /api/sends/:id. */
export interface ProgressSnapshot {
  status: string;
  pauseReason?: string;
  total: number;
  done: number;
  sent: number;
  failed: number;
  skipped: number;
  unknown: number;
  rate: number;
}

/**
 * One line of progress: a bar, counts, the rate and the time left.
 *
 * @example
 * progressLine({ status: "sending", total: 100, done: 50, sent: 48, failed: 1, skipped: 1, unknown: 0, rate: 14 }, 30);
 * // "[###############...............]  50/100  sent 48  failed 1  skipped 1  14.0/s  ETA 4s"
 */
export function progressLine(p: ProgressSnapshot, width = 30): string {
  const fraction = p.total === 0 ? 1 : Math.min(1, p.done / p.total);
  const filled = Math.round(fraction * width);
  const left = p.total - p.done;
  const eta = p.status !== "sending" ? p.status : p.rate > 0 ? `ETA ${formatSeconds(left / p.rate)}` : "ETA —";
  const unknown = p.unknown ? `  unknown ${p.unknown}` : "";
  return `[${"#".repeat(filled)}${".".repeat(width - filled)}] ${String(p.done).padStart(String(p.total).length)}/${p.total}  sent ${p.sent}  failed ${p.failed}  skipped ${p.skipped}${unknown}  ${p.rate.toFixed(1)}/s  ${eta}`;
}

function formatSeconds(s: number): string {
  const secs = Math.ceil(s);
  return secs < 60 ? `${secs}s` : `${Math.floor(secs / 60)}m${String(secs % 60).padStart(2, "0")}s`;
}
