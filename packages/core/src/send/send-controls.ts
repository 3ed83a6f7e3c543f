import { ConflictError, InvalidInputError, NotFoundError } from "../errors/errors.ts";
import type { Clock } from "../clock.ts";
import { enqueueQueued, toBatches } from "./enqueue-queued.ts";
import { finishIfDone } from "./finish-send.ts";
import type { Send, SendStatus } from "./send-model.ts";
import type { DeliveryLedger, SendQueue, SendRepo } from "./send-ports.ts";

export interface SendControlDeps {
  sends: SendRepo;
  deliveries: DeliveryLedger;
  queue: SendQueue;
  clock: Clock;
  /** Addresses per queue message; default 50. */
  batchSize?: number;
}

/**
 * Pauses a send that is dispatching or sending. Senders see it before their next address and hand
 * the rest back to the queue; deliveries stay queued. ConflictError when the send is in any other
 * status (the API answers 409).
 *
 * @example
 * await pauseSend(send.id, "王丽", { sends }); // pauseReason: "paused by 王丽"
 */
export async function pauseSend(sendId: string, by: string, deps: { sends: SendRepo }): Promise<Send> {
  return deps.sends.transition(sendId, ["sending", "dispatching"], "paused", { pauseReason: `paused by ${by}` });
}

/**
 * Resumes a paused send: paused → sending (the pause reason goes), then every still-queued delivery
 * is enqueued again. Some may also still be in the queue from before the pause — harmless, the
 * sender's conditional claim keeps each address to one message. Finishes the send at once if
 * nothing was left to do.
 *
 * @example
 * const { enqueued } = await resumeSend(send.id, { sends, deliveries, queue, clock });
 */
export async function resumeSend(sendId: string, deps: SendControlDeps): Promise<{ send: Send; enqueued: number }> {
  await deps.sends.transition(sendId, ["paused"], "sending");
  const enqueued = await enqueueQueued(sendId, deps);
  await finishIfDone(sendId, deps);
  return { send: await current(deps.sends, sendId), enqueued };
}

/**
 * Cancels a send that has not finished. Queued deliveries stay queued (the record of who was not
 * mailed); senders drop the send's messages from then on. A message being sent at that moment
 * still goes out.
 *
 * @example
 * await cancelSend(send.id, { sends });
 */
export async function cancelSend(sendId: string, deps: { sends: SendRepo }): Promise<Send> {
  return deps.sends.transition(sendId, ["scheduled", "dispatching", "sending", "paused"], "cancelled");
}

const RETRYABLE_SEND: readonly SendStatus[] = ["finished", "sending", "paused"];

/**
 * Sends again to the deliveries that failed: failed → queued (sent ones are never touched), the
 * send back to "sending", and those addresses enqueued. When the send was paused this also resumes
 * it, so its still-queued deliveries are enqueued too. The re-queue happens before the send re-opens;
 * a sender meeting those addresses on a still-"finished" send sends them, so no order of events
 * leaves them stranded. With nothing failed, a finished send stays finished.
 *
 * @example
 * const { requeued } = await retryFailed(send.id, { sends, deliveries, queue, clock }); // 3
 */
export async function retryFailed(sendId: string, deps: SendControlDeps): Promise<{ send: Send; requeued: number }> {
  const before = await current(deps.sends, sendId);
  if (!RETRYABLE_SEND.includes(before.status)) {
    throw new ConflictError(
      "send.conflict",
      `send ${sendId} is ${before.status}; only a finished, sending or paused send can retry its failed deliveries`,
    );
  }
  const requeued = await deps.deliveries.requeueFailed(sendId, deps.clock.now().toISOString());
  if (requeued.length === 0 && before.status !== "paused") return { send: before, requeued: 0 };
  await deps.sends.transition(sendId, RETRYABLE_SEND, "sending");
  if (before.status === "paused") await enqueueQueued(sendId, deps);
  else await deps.queue.enqueue(toBatches(sendId, requeued, deps.batchSize));
  await finishIfDone(sendId, deps);
  return { send: await current(deps.sends, sendId), requeued: requeued.length };
}

/** How long a delivery may stay "sending" before it counts as stale; longer than any sender runs. */
export const DEFAULT_STALE_AFTER_MS = 15 * 60 * 1000;

/**
 * Closes the unknown window of a send: deliveries claimed longer than `olderThanMs` ago and never
 * settled (their sender died between the claim and the settle) become "unknown" — SES may or may
 * not have accepted them, so they are reported and never resent automatically. Then the send
 * finishes if nothing else is left. `olderThanMs` must exceed the longest a sender can hold a
 * claim (the queue consumer's timeout); the default is 15 minutes, Lambda's maximum.
 *
 * @example
 * await recoverStale(send.id, { sends, deliveries, clock }); // 2 deliveries now "unknown"
 */
export async function recoverStale(
  sendId: string,
  deps: { sends: SendRepo; deliveries: DeliveryLedger; clock: Clock },
  olderThanMs = DEFAULT_STALE_AFTER_MS,
): Promise<number> {
  if (!(olderThanMs >= 0)) throw new InvalidInputError("send.stale", "the stale limit must not be negative");
  const now = deps.clock.now();
  const marked = await deps.deliveries.markStale(
    sendId,
    new Date(now.getTime() - olderThanMs).toISOString(),
    now.toISOString(),
  );
  await finishIfDone(sendId, deps);
  return marked;
}

async function current(sends: SendRepo, sendId: string): Promise<Send> {
  const send = await sends.get(sendId);
  if (!send) throw new NotFoundError("send.not-found", `no send ${sendId}`);
  return send;
}
