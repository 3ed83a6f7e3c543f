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
  // Before dispatch has counted the recipients the total is 0: the bar starts empty, not full.
  const fraction = p.total === 0 ? (p.status === "finished" ? 1 : 0) : Math.min(1, p.done / p.total);
  const filled = Math.round(fraction * width);
  const left = p.total - p.done;
  const eta =
    p.status === "finished"
      ? "finished, average"
      : p.status !== "sending"
        ? p.status
        : p.rate > 0
          ? `ETA ${formatSeconds(left / p.rate)}`
          : "ETA —";
  const unknown = p.unknown ? `  unknown ${p.unknown}` : "";
  const rate = `${p.rate.toFixed(1)}/s`;
  const tail = p.status === "finished" ? `${eta} ${rate}` : `${rate}  ${eta}`;
  return `[${"#".repeat(filled)}${".".repeat(width - filled)}] ${String(p.done).padStart(String(p.total).length)}/${p.total}  sent ${p.sent}  failed ${p.failed}  skipped ${p.skipped}${unknown}  ${tail}`;
}

function formatSeconds(s: number): string {
  const secs = Math.ceil(s);
  return secs < 60 ? `${secs}s` : `${Math.floor(secs / 60)}m${String(secs % 60).padStart(2, "0")}s`;
}
