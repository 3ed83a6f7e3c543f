import type { Clock } from "../clock.ts";

/**
 * A clock that only moves when told: `sleep(ms)` advances it by `ms` at once instead of waiting.
 * It is a Clock (for the domain), a `{ nowMs }` (for the token bucket) and a sleep function, so one
 * object drives a whole simulated run. Sleeps add up even when callers sleep concurrently — fine
 * for counting and ordering, not for measuring wall-clock overlap.
 *
 * @example
 * const clock = new ManualClock("2025-05-20T08:00:00.000Z");
 * await clock.sleep(1500);
 * clock.now().toISOString(); // "2025-05-20T08:00:01.500Z"
 */
export class ManualClock implements Clock {
  private ms: number;
  /** Every sleep asked for, in order: for asserting backoff bounds. */
  readonly sleeps: number[] = [];

  constructor(start: string | number = "2025-05-20T08:00:00.000Z") {
    this.ms = typeof start === "number" ? start : Date.parse(start);
    if (Number.isNaN(this.ms)) throw new Error(`not a time: ${String(start)}`);
  }

  now(): Date {
    return new Date(Math.floor(this.ms));
  }

  nowMs(): number {
    return this.ms;
  }

  /** The current time as ISO 8601. */
  iso(): string {
    return this.now().toISOString();
  }

  advance(ms: number): void {
    this.ms += ms;
  }

  /** Arrow, so it can be passed around unbound: `{ sleep: clock.sleep }`. */
  readonly sleep = async (ms: number): Promise<void> => {
    this.sleeps.push(ms);
    this.ms += Math.max(0, ms);
  };
}

/**
 * A small seeded generator (mulberry32) returning numbers in [0, 1): the same seed, the same run.
 *
 * @example
 * const random = seededRandom(42);
 * random() === seededRandom(42)(); // true
 */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
