import { ConflictError } from "../errors/errors.ts";
import type { Clock } from "../clock.ts";
import type { DeliveryLedger, SendRepo } from "./send-ports.ts";

/**
 * Moves a "sending" send to "finished" when its counters show nothing queued and nothing being sent.
 * Whoever changes the last delivery calls it — the sender after a batch, the dispatcher after its
 * last step, resume and retry-failed after enqueuing — so whichever of them acts last sees the
 * final counts. The transition is conditional: losing a race to another finisher (or finding the
 * send paused or cancelled) is not an error. Returns true when this call finished the send.
 *
 * @example
 * await finishIfDone(send.id, { sends, deliveries, clock }); // true once the last delivery settled
 */
export async function finishIfDone(
  sendId: string,
  deps: { sends: SendRepo; deliveries: DeliveryLedger; clock: Clock },
): Promise<boolean> {
  const { totals } = await deps.deliveries.totals(sendId);
  if (totals.queued > 0 || totals.sending > 0) return false;
  try {
    await deps.sends.transition(sendId, ["sending"], "finished", { finishedAt: deps.clock.now().toISOString() });
    return true;
  } catch (error) {
    if (error instanceof ConflictError) return false;
    throw error;
  }
}
