import type { SendBatch } from "../send/send-model.ts";
import type { SendQueue } from "../send/send-ports.ts";

/**
 * A SendQueue that collects batches in order, for tests to deliver by hand (`take`), drain, or
 * deliver again to play SQS's at-least-once redelivery.
 *
 * @example
 * const queue = new InMemoryQueue();
 * await queue.enqueue([{ sendId: "s1", emails: ["a@example.cn"] }]);
 * queue.take(); // { sendId: "s1", emails: ["a@example.cn"] }
 */
export class InMemoryQueue implements SendQueue {
  private readonly pending: SendBatch[] = [];
  /** Every batch ever enqueued, in order. */
  readonly enqueued: SendBatch[] = [];
  /** The delay asked for each enqueued batch (0 when none), in the same order as `enqueued`. */
  readonly delays: number[] = [];

  async enqueue(batches: readonly SendBatch[], options: { delaySeconds?: number } = {}): Promise<void> {
    for (const b of batches) {
      this.delays.push(options.delaySeconds ?? 0);
      this.pending.push(copyOf(b));
      this.enqueued.push(copyOf(b));
    }
  }

  /** The oldest waiting batch, removed from the queue; undefined when empty. */
  take(): SendBatch | undefined {
    return this.pending.shift();
  }

  /** All waiting batches, removed from the queue. */
  drain(): SendBatch[] {
    return this.pending.splice(0, this.pending.length);
  }

  /** Puts a batch back at the end, as SQS does with a failed message. */
  redeliver(batch: SendBatch): void {
    this.pending.push(copyOf(batch));
  }

  get size(): number {
    return this.pending.length;
  }
}

/** A copy, as a message body is: the slot a held-back call booked travels with it. */
function copyOf(b: SendBatch): SendBatch {
  return { sendId: b.sendId, emails: [...b.emails], ...(b.slot ? { slot: { ...b.slot } } : {}) };
}
