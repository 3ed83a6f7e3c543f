import { MAX_PAGE_SIZE } from "../paging.ts";
import { InvalidInputError } from "../errors/errors.ts";
import type { SendBatch } from "./send-model.ts";
import type { DeliveryLedger, SendQueue } from "./send-ports.ts";

/** Addresses per queue message when the caller does not say. */
export const DEFAULT_BATCH_SIZE = 50;
const PAGE_SIZE = MAX_PAGE_SIZE;

/**
 * Splits addresses into queue batches of at most `batchSize`.
 *
 * @example
 * toBatches("s1", ["a", "b", "c"], 2); // [{ sendId: "s1", emails: ["a", "b"] }, { sendId: "s1", emails: ["c"] }]
 */
export function toBatches(sendId: string, emails: readonly string[], batchSize = DEFAULT_BATCH_SIZE): SendBatch[] {
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new InvalidInputError(
      "send.batch-size",
      `the batch size must be a whole number of at least 1, not ${batchSize}`,
    );
  }
  const batches: SendBatch[] = [];
  for (let i = 0; i < emails.length; i += batchSize) batches.push({ sendId, emails: emails.slice(i, i + batchSize) });
  return batches;
}

/**
 * Enqueues every delivery of the send that is still queued, as the ledger says now — not as some
 * earlier list said — so a re-run never enqueues a delivery that has moved on. An address that is
 * already in the queue may be enqueued again: harmless, because the sender's claim (queued →
 * sending) is conditional and only one copy of the message can win it. Returns how many addresses
 * were enqueued.
 *
 * @example
 * await enqueueQueued("s1", { deliveries, queue }); // 300
 */
export async function enqueueQueued(
  sendId: string,
  deps: { deliveries: DeliveryLedger; queue: SendQueue; batchSize?: number },
): Promise<number> {
  // A page at a time, so that a long send never holds all its addresses; a full page of 100 makes
  // whole batches of 50.
  let count = 0;
  let cursor: string | undefined;
  do {
    const page = await deps.deliveries.list(sendId, {
      status: "queued",
      limit: PAGE_SIZE,
      ...(cursor === undefined ? {} : { cursor }),
    });
    const batches = toBatches(
      sendId,
      page.items.map((d) => d.email),
      deps.batchSize,
    );
    if (batches.length > 0) await deps.queue.enqueue(batches);
    count += page.items.length;
    cursor = page.cursor;
  } while (cursor !== undefined);
  return count;
}
