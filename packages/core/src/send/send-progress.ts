import type { Clock } from "../clock.ts";
import type { Send, SendProgress, Totals } from "./send-model.ts";
import type { DeliveryLedger } from "./send-ports.ts";

/**
 * A send's progress from the ledger's counters (never a scan of the deliveries).
 *
 * The rate is computed from counters, not tracked in memory: the messages SES accepted (sent, plus
 * what sent became: delivered, bounced, complained) divided by the seconds since `startedAt` — the
 * average since the start, standing in for "the last minute". At the even pace the token bucket
 * keeps the two agree; after a pause the average reads low until the send has run a while again.
 * A true sliding minute would need per-second counters in storage, which the ports do not have,
 * and an in-memory meter would only see one sender. A finished send reports its average rate, from
 * its start to its end. The rate is 0 otherwise (paused, scheduled…), and when no clock is given.
 *
 * @example
 * const progress = await sendProgress(send, deliveries, clock);
 * progress.totals.sent; // 120
 * progress.rate; // 13.9
 */
export async function sendProgress(send: Send, ledger: DeliveryLedger, clock?: Clock): Promise<SendProgress> {
  const { totals, byTier } = await ledger.totals(send.id);
  return { send, totals, byTier, rate: clock ? rateOf(send, totals, clock.now().getTime()) : 0 };
}

function rateOf(send: Send, totals: Totals, nowMs: number): number {
  const finished = send.status === "finished" && send.finishedAt !== undefined;
  if ((send.status !== "sending" && !finished) || send.startedAt === undefined) return 0;
  const elapsedMs = (finished ? Date.parse(send.finishedAt!) : nowMs) - Date.parse(send.startedAt);
  if (!(elapsedMs > 0)) return 0;
  const accepted = totals.sent + totals.delivered + totals.bounced + totals.complained;
  // Over at least one second, so the first few messages do not read as a huge rate.
  const rate = accepted / (Math.max(elapsedMs, 1000) / 1000);
  return Math.round(rate * 100) / 100;
}
