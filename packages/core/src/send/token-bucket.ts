import { InvalidInputError } from "../errors/errors.ts";
import type { SendQuota } from "./send-ports.ts";

/**
 * What the sender needs of a rate limiter, in two steps around claiming a call's recipients: `pace`
 * gives a call of n recipients its turn on the even schedule (before they are claimed), and `admit`,
 * right before the call goes on the wire, makes sure no 1-second window ever holds more than the
 * rate, counted when the calls really go. SES counts recipients, so a call of n takes n.
 *
 * A turn lasts from `pace` until `admit` (or `yieldTurn`, for a call that will not go): the next call
 * is not given its turn, and so claims nothing, while one is claimed and not yet on the wire. A crash
 * then finds at most one call claimed and not sent, however slow the claims are.
 */
export interface RateLimiter {
  /** The most recipients one call may carry: what one second allows (at least 1). */
  readonly capacity: number;
  pace(n: number): Promise<void>;
  admit(n: number): Promise<void>;
  /**
   * Ends the current turn without a call (nothing was claimed, or the call cannot go): its place on
   * the schedule goes to the next call, so a call that did not go costs the others no rate.
   */
  yieldTurn(): void;
}

export interface TokenBucketOptions {
  /** Sends per second. May be fractional (14 / 4 senders = 3.5). */
  ratePerSecond: number;
  /** Sends allowed back to back after a pause; default 1 (evenly spaced, never a burst). */
  burst?: number;
  /**
   * The send that would make a full second waits this much longer, so that no window of 1000 ms plus
   * this margin holds more than the limit. Why: SES counts when a call *arrives*, and calls reach it
   * a few ms after the bucket lets them go, unevenly. With the margin, delays on the way that differ
   * by less than it cannot squeeze one call too many into one of SES's seconds. It costs
   * margin/1000 of the rate. Default DEFAULT_WINDOW_MARGIN_MS; at least 1, so the limit also holds
   * however a second's ends are counted ([t, t+1000) or [t, t+1000]).
   */
  windowMarginMs?: number;
  /** Milliseconds on any monotonic-enough scale (Date.now, performance.now, a test clock). */
  clock: { nowMs(): number };
  sleep: (ms: number) => Promise<void>;
}

/** The SES sending rate when neither the configuration nor the account says: the usual production default. */
export const DEFAULT_SEND_RATE = 14;

/**
 * The default of TokenBucketOptions.windowMarginMs. 10 ms covers an event-loop turn or a short GC
 * pause between the bucket and SES (measured on the local stack: p99 about 7 ms) for 1 % of the rate.
 */
export const DEFAULT_WINDOW_MARGIN_MS = 10;
const WINDOW_MS = 1000;
const EARLY_WAKE_MS = 5;

/**
 * A token bucket for the SES sending rate, built from two rules, one per step of RateLimiter:
 *
 * - Pacing (`pace`; GCRA, the "virtual scheduling" form of a token bucket): sends are spaced
 *   1000/rate ms apart (a call of n takes n slots), with `burst` sends allowed back to back after an
 *   idle spell. A caller that had to wait takes the slot it waited for rather than the moment its
 *   timer fired, so timer lateness (a ms or two per setTimeout) does not pile up into lost rate.
 * - A hard cap (`admit`): no window of 1 s plus `windowMarginMs` ever holds more than
 *   floor(rate) + burst − 1 sends (at least 1), counted at the moment each call is admitted, i.e.
 *   when it goes. Whatever happened between pacing and the wire (claiming the recipients, building
 *   the request, the event loop's other work) cannot squeeze one send too many into a second, and
 *   the margin keeps it holding where SES counts, after the trip there.
 *
 * With the default burst of 1 and a whole-number rate, the achieved rate is the configured one less
 * the margin's share (1 % at the default 10 ms). A fractional rate is capped at its floor in any single second (3.5/s → at most 3
 * in any second): the limit wins over throughput. Concurrent callers are served in call order.
 *
 * @example
 * const bucket = new TokenBucket({ ratePerSecond: 14, clock: { nowMs: () => Date.now() }, sleep: (ms) => new Promise((r) => setTimeout(r, ms)) });
 * await bucket.pace(14); // this call's turn
 * await bucket.admit(14); // right before the wire: counted now
 */
export class TokenBucket implements RateLimiter {
  private readonly intervalMs: number;
  private readonly toleranceMs: number;
  private readonly marginMs: number;
  private readonly clock: { nowMs(): number };
  private readonly sleep: (ms: number) => Promise<void>;
  /** Times of the last `cap` sends, oldest first once full (a ring). */
  private readonly recent: number[];
  private next = 0;
  /** GCRA's theoretical arrival time: when the next send is due on the even schedule. */
  private tat = Number.NEGATIVE_INFINITY;
  /** Callers are chained, so they are served in order and never race for the same slot. */
  private paceTail: Promise<void> = Promise.resolve();
  private admitTail: Promise<void> = Promise.resolve();
  /** A call holds the lane from its pace to its admit: claimed and not on the wire, one at a time. */
  private laneHeld = false;
  private readonly laneWaiters: (() => void)[] = [];
  /** The schedule before the current turn's call took its slots: given back if the call does not go. */
  private tatBeforeTurn: number | undefined;

  constructor(options: TokenBucketOptions) {
    const { ratePerSecond, burst = 1, windowMarginMs = DEFAULT_WINDOW_MARGIN_MS } = options;
    if (!Number.isFinite(ratePerSecond) || ratePerSecond <= 0) {
      throw new InvalidInputError("send.rate", `the sending rate must be a positive number, not ${ratePerSecond}`);
    }
    if (!Number.isInteger(burst) || burst < 1) {
      throw new InvalidInputError("send.burst", `the burst must be a whole number of at least 1, not ${burst}`);
    }
    if (!Number.isFinite(windowMarginMs) || windowMarginMs < 1 || windowMarginMs > WINDOW_MS) {
      throw new InvalidInputError(
        "send.window-margin",
        `the window margin must be between 1 and 1000 ms, not ${windowMarginMs}`,
      );
    }
    this.marginMs = windowMarginMs;
    this.intervalMs = WINDOW_MS / ratePerSecond;
    this.toleranceMs = (burst - 1) * this.intervalMs;
    this.recent = new Array<number>(Math.max(1, Math.floor(ratePerSecond) + burst - 1)).fill(Number.NEGATIVE_INFINITY);
    this.clock = options.clock;
    this.sleep = options.sleep;
  }

  get capacity(): number {
    return this.recent.length;
  }

  /** pace and admit at once, for a send with nothing to do in between: one turn of both queues. */
  take(n = 1): Promise<void> {
    this.check(n);
    const turn = Promise.all([this.paceTail, this.admitTail]).then(async () => {
      await this.holdLane();
      try {
        await this.waitTurn(n);
        await this.waitRoom(n);
      } finally {
        this.releaseLane();
      }
    });
    this.paceTail = this.admitTail = turn.catch(() => undefined);
    return turn;
  }

  /** Waits for a call of n sends' turn on the even schedule; the turn lasts until admit or yieldTurn. */
  pace(n: number): Promise<void> {
    this.check(n);
    const turn = this.paceTail.then(async () => {
      await this.holdLane();
      try {
        const before = this.tat;
        await this.waitTurn(n);
        this.tatBeforeTurn = before;
      } catch (error) {
        this.releaseLane();
        throw error;
      }
    });
    // A failed sleep fails that caller only; the queue behind it goes on.
    this.paceTail = turn.catch(() => undefined);
    return turn;
  }

  /** Waits until n more sends fit into every window, then counts them as made now; ends the turn. */
  admit(n: number): Promise<void> {
    this.check(n);
    const turn = this.admitTail.then(async () => {
      await this.waitRoom(n);
      this.releaseLane();
    });
    this.admitTail = turn.catch(() => undefined);
    return turn;
  }

  yieldTurn(): void {
    if (!this.laneHeld) return;
    // Nobody else moved the schedule during the turn (the lane was held), so this undoes only the
    // yielding call's slots: a domain group's call held back, or a chunk with nothing left to claim,
    // would otherwise leave its n slots empty and slow everyone behind it.
    if (this.tatBeforeTurn !== undefined) this.tat = this.tatBeforeTurn;
    this.releaseLane();
  }

  private releaseLane(): void {
    if (!this.laneHeld) return;
    this.tatBeforeTurn = undefined;
    this.laneHeld = false;
    this.laneWaiters.shift()?.();
  }

  private async holdLane(): Promise<void> {
    while (this.laneHeld) await new Promise<void>((resolve) => this.laneWaiters.push(resolve));
    this.laneHeld = true;
  }

  private check(n: number): void {
    if (!Number.isInteger(n) || n < 1 || n > this.recent.length) {
      throw new InvalidInputError(
        "send.rate",
        `a call may carry 1 to ${this.recent.length} sends at this rate, not ${n}`,
      );
    }
  }

  private async waitTurn(n: number): Promise<void> {
    let waited = false;
    for (;;) {
      const now = this.clock.nowMs();
      const wait = this.tat - this.toleranceMs - now;
      if (wait <= 0) {
        // Waiting callers keep their slot (at most one interval of timer lateness is forgiven);
        // a caller after an idle spell starts a fresh schedule from now.
        const slot = waited ? Math.max(this.tat, now - this.intervalMs) : Math.max(this.tat, now);
        this.tat = slot + n * this.intervalMs;
        return;
      }
      waited = true;
      await this.sleep(wait);
    }
  }

  private async waitRoom(n: number): Promise<void> {
    for (;;) {
      const now = this.clock.nowMs();
      // The ring holds the last `capacity` sends, oldest at `next`: n more fit when the n oldest
      // have left the window.
      const nthOldest = this.recent[(this.next + n - 1) % this.recent.length] ?? Number.NEGATIVE_INFINITY;
      const wait = nthOldest + WINDOW_MS + this.marginMs - now;
      if (wait <= 0) {
        for (let i = 0; i < n; i++) {
          this.recent[this.next] = now;
          this.next = (this.next + 1) % this.recent.length;
        }
        return;
      }
      // A long timer fires late on a busy event loop, and every ms late is a ms of rate lost (a call
      // of 50 at 50/s waits a whole second): wake a little early and wait out the rest in short steps.
      await this.sleep(wait > EARLY_WAKE_MS ? wait - EARLY_WAKE_MS : wait);
    }
  }
}

/**
 * The rate one sender should use: the configured rate, else the account's maxSendRate, else 14/s,
 * split evenly between the concurrent senders (AWS's advice for several senders on one account).
 * A configured rate wins over the account's even when higher: the operator may know the quota was
 * raised before GetAccount says so, and SES throttling is retried anyway.
 *
 * @example
 * sendRate({ maxSendRate: 14, max24HourSend: 50000, sentLast24Hours: 0 }, undefined, 2); // 7
 * sendRate(null, 10); // 10
 */
export function sendRate(quota: SendQuota | null | undefined, configured?: number, concurrency = 1): number {
  if (configured !== undefined && (!Number.isFinite(configured) || configured <= 0)) {
    throw new InvalidInputError(
      "send.rate",
      `the configured sending rate must be a positive number, not ${configured}`,
    );
  }
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new InvalidInputError(
      "send.concurrency",
      `the number of senders must be a whole number of at least 1, not ${concurrency}`,
    );
  }
  const account = quota && Number.isFinite(quota.maxSendRate) && quota.maxSendRate > 0 ? quota.maxSendRate : undefined;
  return (configured ?? account ?? DEFAULT_SEND_RATE) / concurrency;
}
