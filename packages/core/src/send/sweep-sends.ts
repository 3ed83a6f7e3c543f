import { MAX_PAGE_SIZE, type Clock, type IssueRepo } from "../storage/ports.ts";
import { enqueueQueued } from "./enqueue-queued.ts";
import { recoverStale } from "./send-controls.ts";
import type { Send, SendStatus } from "./send-model.ts";
import type { DeliveryLedger, SendQueue, SendRepo } from "./send-ports.ts";

/** Sends that are not over: dispatch may still be due, or deliveries may still be queued or in flight. */
const ACTIVE: readonly SendStatus[] = ["dispatching", "sending", "paused"];

/**
 * Every send still in progress (dispatching, sending or paused), across issues, newest issue first.
 * Issues come a dozen a year and sends a few per issue, so reading them all stays small.
 *
 * @example
 * for (const send of await listActiveSends({ issues, sends })) console.log(send.id, send.status);
 */
export async function listActiveSends(deps: { issues: IssueRepo; sends: SendRepo }): Promise<Send[]> {
  const active: Send[] = [];
  let cursor: string | undefined;
  do {
    const page = await deps.issues.list({ limit: MAX_PAGE_SIZE, ...(cursor ? { cursor } : {}) });
    for (const issue of page.items) {
      let sendCursor: string | undefined;
      do {
        const sends = await deps.sends.listByIssue(issue.id, { limit: MAX_PAGE_SIZE, ...(sendCursor ? { cursor: sendCursor } : {}) });
        active.push(...sends.items.filter((s) => ACTIVE.includes(s.status)));
        sendCursor = sends.cursor;
      } while (sendCursor);
    }
    cursor = page.cursor;
  } while (cursor);
  return active;
}

export interface SweepDeps {
  issues: IssueRepo;
  sends: SendRepo;
  deliveries: DeliveryLedger;
  queue: SendQueue;
  clock: Clock;
  /** Starts (again) the dispatch of a send; dispatch is safe to repeat. */
  dispatch(sendId: string): Promise<void> | void;
  /** True when the send queue holds no message at all (visible, in flight or delayed). */
  queueIsEmpty(): Promise<boolean>;
  /** Finishes counter updates a dead writer left half-done (safe with other writers running). */
  repairCounters(sendId: string): Promise<unknown>;
  /** A claim older than this is a dead sender's; default recoverStale's (15 minutes, Lambda's limit). */
  staleAfterMs?: number;
  /** A send left "dispatching" this long lost its dispatcher; default 10 minutes. */
  dispatchTimeoutMs?: number;
}

export interface SweepReport {
  /** Sends whose dispatch was started again. */
  redispatched: string[];
  /** Deliveries turned "unknown" (claimed by a sender that died before recording the result). */
  unknown: number;
  /** Queued deliveries put back on an empty queue, by send. */
  requeued: Record<string, number>;
}

/**
 * The cron's sweeper on AWS, where many senders run at once: for every send in progress it
 * finishes half-done counter updates, turns dead senders' claims into "unknown" (finishing the send
 * when nothing is left), re-dispatches a send whose dispatcher died, and — only when the send queue
 * is completely empty, so no message is merely in flight — puts still-queued deliveries back on the
 * queue (their messages were lost, e.g. dead-lettered while the send was paused). Re-enqueuing is
 * harmless even if a message survives somewhere: the sender's conditional claim lets each delivery
 * out once. A paused send is only repaired, never re-queued: resume does that.
 *
 * @example
 * const report = await sweepSends({ issues, sends, deliveries, queue, clock, dispatch, queueIsEmpty, repairCounters });
 */
export async function sweepSends(deps: SweepDeps): Promise<SweepReport> {
  const report: SweepReport = { redispatched: [], unknown: 0, requeued: {} };
  const now = deps.clock.now().getTime();
  const active = await listActiveSends(deps);
  let queueEmpty: boolean | undefined;
  for (const send of active) {
    if (send.status === "dispatching") {
      if (now - Date.parse(send.startedAt ?? send.createdAt) > (deps.dispatchTimeoutMs ?? 10 * 60_000)) {
        await deps.dispatch(send.id);
        report.redispatched.push(send.id);
      }
      continue;
    }
    await deps.repairCounters(send.id);
    report.unknown += await recoverStale(send.id, deps, deps.staleAfterMs);
    if (send.status !== "sending") continue;
    const { totals } = await deps.deliveries.totals(send.id);
    if (totals.queued === 0) continue;
    queueEmpty ??= await deps.queueIsEmpty();
    if (queueEmpty) report.requeued[send.id] = await enqueueQueued(send.id, deps);
  }
  return report;
}
