import { type Clock, type DeliveryLedger, enqueueQueued, finishIfDone, type SendQueue, type SendRepo } from "@bulletin/core";

export interface SendWatchdogDeps {
  sends: SendRepo;
  deliveries: DeliveryLedger;
  queue: SendQueue;
  clock: Clock;
  /** Starts (or restarts) a send's dispatch in this process. */
  dispatch(sendId: string): void;
  /** Whether a dispatch of this send is running in this process right now. */
  isDispatching(sendId: string): boolean;
  log(line: string): void;
}

/**
 * The local stand-in for the AWS sweeper, for the sends running in this process: every `tick` (the
 * pipeline runs it every few seconds) looks at each watched send and
 *
 * - runs a dispatch again that did not finish (SQS or DynamoDB kept refusing): dispatch is safe to
 *   repeat. Found by the fault tests (SQS throttling);
 * - finishes a send whose deliveries are all settled but which is still "sending": the finish after
 *   its last batch was lost (that DynamoDB call failed, or a counter update owed by a failed step
 *   landed only later). Found by the 100,000-recipient benchmark, which never ended;
 * - re-enqueues the queued deliveries of a send that made no progress since the last tick: their
 *   messages were lost (dead-lettered while paused, lost in a crash). Harmless if one survives
 *   somewhere: a claim lets each delivery out only once.
 *
 * @example
 * const watchdog = sendWatchdog({ sends, deliveries, queue, clock, dispatch, isDispatching, log });
 * watchdog.watch(sendId);
 * setInterval(() => void watchdog.tick(), 5_000);
 */
export function sendWatchdog(deps: SendWatchdogDeps) {
  // What each watched send had done at the last tick (-1: not looked at yet).
  const active = new Map<string, number>();
  return {
    watch(sendId: string): void {
      active.set(sendId, -1);
    },
    /** The sends being watched. */
    watched(): string[] {
      return [...active.keys()];
    },
    async tick(): Promise<void> {
      for (const [sendId, before] of active) {
        const send = await deps.sends.get(sendId);
        if (!send || send.status === "finished" || send.status === "cancelled") {
          active.delete(sendId);
          continue;
        }
        if (send.status === "dispatching" && !deps.isDispatching(sendId)) {
          deps.log(`send ${sendId}: its dispatch did not finish; dispatching again`);
          deps.dispatch(sendId);
          continue;
        }
        if (send.status !== "sending") continue;
        const { totals } = await deps.deliveries.totals(sendId);
        if (totals.queued === 0 && totals.sending === 0) {
          if (await finishIfDone(sendId, deps)) deps.log(`send ${sendId}: every delivery is settled; finished`);
          continue;
        }
        const done = totals.sent + totals.failed + totals.unknown;
        if (done === before && totals.queued > 0) deps.log(`send ${sendId}: no progress; ${await enqueueQueued(sendId, deps)} queued re-enqueued`);
        active.set(sendId, done);
      }
    },
  };
}
