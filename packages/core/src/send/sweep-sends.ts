import { MAX_PAGE_SIZE } from "../paging.ts";
import type { Clock } from "../clock.ts";
import type { IssueRepo } from "../issue/issue-repo.ts";
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
        const sends = await deps.sends.listByIssue(issue.id, {
          limit: MAX_PAGE_SIZE,
          ...(sendCursor ? { cursor: sendCursor } : {}),
        });
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
  /** A claim older than this is a dead sender's; default recoverStale's (15 minutes, Lambda's limit). */
  staleAfterMs?: number;
  /** A send left "dispatching" this long lost its dispatcher; default 10 minutes. */
  dispatchTimeoutMs?: number;
  /**
   * Whether a dispatch of the send is running right now, when the caller can tell (locally: in this
   * process). A "dispatching" send that is not is dispatched again at once, without waiting out
   * dispatchTimeoutMs.
   */
  isDispatching?(sendId: string): boolean;
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
 * The one crash-recovery path, the cron's sweeper on AWS and a timer of the local service: for every
 * send in progress it
 *
 * - re-dispatches a send whose dispatcher died (dispatch is safe to repeat);
 * - turns dead senders' claims into "unknown" (claimed longer ago than staleAfterMs: a call that
 *   long on the wire has lost its sender; locally, at start, every claim is a dead one);
 * - finishes a send whose deliveries are all settled but which is still "sending": its last finish
 *   was lost (that write failed, or its batches were done while it was still "dispatching");
 * - and, only when the send queue is completely empty, so no message is merely in flight, puts
 *   still-queued deliveries back on the queue (their messages were lost, e.g. dead-lettered while
 *   the send was paused). Re-enqueuing is harmless even if a message survives somewhere: the
 *   sender's conditional claim lets each delivery out once.
 *
 * A paused send is only recovered, never re-queued: resume does that.
 *
 * @example
 * const report = await sweepSends({ issues, sends, deliveries, queue, clock, dispatch, queueIsEmpty });
 */
export async function sweepSends(deps: SweepDeps): Promise<SweepReport> {
  const report: SweepReport = { redispatched: [], unknown: 0, requeued: {} };
  const now = deps.clock.now().getTime();
  const active = await listActiveSends(deps);
  let queueEmpty: boolean | undefined;
  for (const send of active) {
    // Senders may be at work on a send still "dispatching" (its batches go out before dispatch ends).
    // Also finishes a "sending" send when nothing is left queued or sending (a lost finish).
    report.unknown += await recoverStale(send.id, deps, deps.staleAfterMs);
    if (send.status === "dispatching") {
      const running = deps.isDispatching?.(send.id);
      const lost =
        running === undefined
          ? now - Date.parse(send.startedAt ?? send.createdAt) > (deps.dispatchTimeoutMs ?? 10 * 60_000)
          : !running;
      if (lost) {
        await deps.dispatch(send.id);
        report.redispatched.push(send.id);
      }
      continue;
    }
    if (send.status !== "sending") continue;
    const { totals } = await deps.deliveries.totals(send.id);
    if (totals.queued === 0) continue;
    queueEmpty ??= await deps.queueIsEmpty();
    if (queueEmpty) report.requeued[send.id] = await enqueueQueued(send.id, deps);
  }
  return report;
}
