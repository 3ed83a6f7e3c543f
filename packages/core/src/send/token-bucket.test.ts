import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { InvalidInputError } from "../errors/errors.ts";
import { ManualClock, seededRandom } from "../testing/manual-clock.ts";
import { DEFAULT_SEND_RATE, sendRate, TokenBucket } from "./token-bucket.ts";

/** The most events in any closed 1-second window [t, t + 1000] — the stricter way to count. */
function busiestSecond(times: readonly number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while (j < sorted.length && (sorted[j] as number) <= (sorted[i] as number) + 1000) j++;
    best = Math.max(best, j - i);
  }
  return best;
}

/** Starts `n` concurrent takes at once and records when each was let through. */
async function run(bucket: TokenBucket, clock: { nowMs(): number }, n: number): Promise<number[]> {
  const times: number[] = [];
  await Promise.all(Array.from({ length: n }, () => bucket.take().then(() => times.push(clock.nowMs()))));
  return times;
}

/** A clock whose timers fire late by up to `jitterMs`, as real ones do. */
function lateTimers(jitterMs: number, seed: number) {
  const clock = new ManualClock(0);
  const random = seededRandom(seed);
  return { clock, sleep: async (ms: number) => clock.advance(ms + random() * jitterMs) };
}

describe("TokenBucket", () => {
  it("never lets more than the rate into any 1-s window, and keeps ≥ 97.5 % of the rate over 10 s", async () => {
    const clock = new ManualClock(0);
    const bucket = new TokenBucket({ ratePerSecond: 14, clock, sleep: clock.sleep });
    const times = await run(bucket, clock, 200);
    expect(busiestSecond(times)).toBeLessThanOrEqual(14);
    const inTenSeconds = times.filter((t) => t < 10_000).length;
    expect(inTenSeconds).toBeGreaterThanOrEqual(0.975 * 14 * 10);
    // Evenly spaced with burst 1: never two sends at the same moment.
    expect(new Set(times).size).toBe(times.length);
  });

  it("property: the window limit holds for any rate and late timers; whole rates keep ≥ 97.5 %", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.integer({ min: 1, max: 100 }), fc.double({ min: 0.2, max: 60, noNaN: true })),
        fc.double({ min: 0, max: 3, noNaN: true }),
        fc.integer(),
        async (rate, jitterMs, seed) => {
          const { clock, sleep } = lateTimers(jitterMs, seed);
          const bucket = new TokenBucket({ ratePerSecond: rate, clock, sleep });
          const n = Math.ceil(rate * 10) + 5;
          const times = await run(bucket, clock, n);
          expect(busiestSecond(times)).toBeLessThanOrEqual(Math.max(1, Math.floor(rate)));
          if (Number.isInteger(rate) && rate <= 50) {
            expect(times.filter((t) => t < 10_000).length).toBeGreaterThanOrEqual(0.975 * rate * 10);
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it("property: calls that reach SES late, by different amounts under the margin, still fit the rate in every second at SES", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 100 }),
        fc.integer({ min: 1, max: 40 }),
        fc.integer(),
        async (rate, windowMarginMs, seed) => {
          const { clock, sleep } = lateTimers(2, seed);
          const bucket = new TokenBucket({ ratePerSecond: rate, windowMarginMs, clock, sleep });
          const released = await run(bucket, clock, rate * 5 + 3);
          const random = seededRandom(seed ^ 0x5e5);
          // Each call's own trip, anywhere in [0, margin): the sum of every kind of lateness on the way.
          const arrived = released.map((t) => t + random() * windowMarginMs * 0.999);
          expect(busiestSecond(arrived)).toBeLessThanOrEqual(rate);
        },
      ),
      { numRuns: 80 },
    );
  });

  it("without a margin for the trip, uneven trips do put one call too many into a second at SES", async () => {
    const clock = new ManualClock(0);
    const bucket = new TokenBucket({ ratePerSecond: 50, windowMarginMs: 1, clock, sleep: clock.sleep });
    const released = await run(bucket, clock, 120);
    // The first call is held up on its way by 15 ms, the rest arrive at once.
    const arrived = released.map((t, i) => (i === 0 ? t + 15 : t));
    expect(busiestSecond(released)).toBe(50);
    expect(busiestSecond(arrived)).toBe(51);
  });

  it("costs the margin's share of the rate, and no more", async () => {
    for (const windowMarginMs of [1, 10, 25]) {
      const clock = new ManualClock(0);
      const bucket = new TokenBucket({ ratePerSecond: 50, windowMarginMs, clock, sleep: clock.sleep });
      const times = await run(bucket, clock, 1001);
      const perSecond = 1000 / ((times.at(-1)! - times[0]!) / 1000);
      expect(perSecond).toBeGreaterThan(50 * (1000 / (1000 + windowMarginMs)) * 0.995);
      expect(perSecond).toBeLessThanOrEqual(50);
    }
  });

  it("serves concurrent callers in the order they called", async () => {
    const clock = new ManualClock(0);
    const bucket = new TokenBucket({ ratePerSecond: 5, clock, sleep: clock.sleep });
    const order: number[] = [];
    await Promise.all(Array.from({ length: 12 }, (_, i) => bucket.take().then(() => order.push(i))));
    expect(order).toEqual([...order].sort((a, b) => a - b));
  });

  it("lets `burst` sends through at once after an idle spell, and starts afresh after one", async () => {
    const clock = new ManualClock(0);
    const bucket = new TokenBucket({ ratePerSecond: 10, burst: 3, clock, sleep: clock.sleep });
    const first = await run(bucket, clock, 3);
    expect(first).toEqual([0, 0, 0]);
    const times = await run(bucket, clock, 40);
    expect(busiestSecond([...first, ...times])).toBeLessThanOrEqual(10 + 3 - 1);
    clock.advance(60_000);
    const start = clock.nowMs();
    await bucket.take();
    expect(clock.nowMs()).toBe(start); // an idle bucket does not make the next caller wait
  });

  it("a failed wait fails only its caller", async () => {
    const clock = new ManualClock(0);
    let calls = 0;
    const sleep = async (ms: number) => {
      if (++calls === 1) throw new Error("timer broke");
      clock.advance(ms);
    };
    const bucket = new TokenBucket({ ratePerSecond: 2, clock, sleep });
    const results = await Promise.allSettled([bucket.take(), bucket.take(), bucket.take()]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
  });

  it("refuses a rate or burst that makes no sense", () => {
    const clock = new ManualClock(0);
    for (const ratePerSecond of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => new TokenBucket({ ratePerSecond, clock, sleep: clock.sleep })).toThrow(InvalidInputError);
    }
    expect(() => new TokenBucket({ ratePerSecond: 1, burst: 0, clock, sleep: clock.sleep })).toThrow(InvalidInputError);
    expect(() => new TokenBucket({ ratePerSecond: 1, burst: 1.5, clock, sleep: clock.sleep })).toThrow(
      InvalidInputError,
    );
    for (const windowMarginMs of [0, -5, Number.NaN, 1001]) {
      expect(() => new TokenBucket({ ratePerSecond: 1, windowMarginMs, clock, sleep: clock.sleep })).toThrow(
        InvalidInputError,
      );
    }
  });
});

describe("sendRate", () => {
  const quota = { maxSendRate: 40, max24HourSend: 50_000, sentLast24Hours: 0 };
  it("prefers the configured rate, then the account's, then 14/s, split between senders", () => {
    expect(sendRate(quota, 10)).toBe(10);
    expect(sendRate(quota)).toBe(40);
    expect(sendRate(quota, undefined, 4)).toBe(10);
    expect(sendRate(null)).toBe(DEFAULT_SEND_RATE);
    expect(sendRate({ ...quota, maxSendRate: 0 })).toBe(DEFAULT_SEND_RATE);
    expect(sendRate(undefined, undefined, 2)).toBe(7);
  });
  it("refuses nonsense", () => {
    expect(() => sendRate(quota, 0)).toThrow(InvalidInputError);
    expect(() => sendRate(quota, undefined, 0)).toThrow(InvalidInputError);
  });
});

describe("TokenBucket: calls of many recipients", () => {
  it("paces calls of n, and admits them so that no window holds more than the rate, counted when each call goes", async () => {
    const clock = new ManualClock(0);
    const bucket = new TokenBucket({ ratePerSecond: 50, clock, sleep: clock.sleep });
    expect(bucket.capacity).toBe(50);
    const admitted: { at: number; n: number }[] = [];
    for (const n of [50, 50, 50, 50, 50, 50]) {
      await bucket.pace(n);
      clock.advance(7); // claiming the recipients and building the request take a while
      await bucket.admit(n);
      admitted.push({ at: clock.nowMs(), n });
    }
    for (const a of admitted)
      expect(
        admitted.filter((b) => b.at >= a.at && b.at <= a.at + 1000).reduce((sum, b) => sum + b.n, 0),
      ).toBeLessThanOrEqual(50);
    const span = admitted.at(-1)!.at - admitted[0]!.at;
    expect((300 - 50) / (span / 1000)).toBeGreaterThanOrEqual(0.975 * 50);
    expect(() => bucket.pace(51)).toThrow(InvalidInputError);
    expect(() => bucket.admit(0)).toThrow(InvalidInputError);
  });
});

describe("TokenBucket: one call claimed and not yet sent at a time", () => {
  it("gives the next call its turn only once the current one is admitted (on the wire) or yields", async () => {
    const clock = new ManualClock(0);
    const bucket = new TokenBucket({ ratePerSecond: 1000, clock, sleep: clock.sleep });
    const order: string[] = [];
    await bucket.pace(10);
    const second = bucket.pace(10).then(() => order.push("second paced"));
    await Promise.resolve();
    await new Promise((r) => setImmediate(r));
    expect(order).toEqual([]); // the first call holds its turn until it goes
    order.push("first admitted");
    await bucket.admit(10);
    await second;
    const third = bucket.pace(10).then(() => order.push("third paced"));
    await new Promise((r) => setImmediate(r));
    order.push("second yields");
    bucket.yieldTurn();
    await third;
    expect(order).toEqual(["first admitted", "second paced", "second yields", "third paced"]);
    bucket.yieldTurn();
    bucket.yieldTurn(); // a second yield is nothing
  });
});

describe("TokenBucket: a turn that ends without a call", () => {
  it("gives its slots back: a call held back (a domain group at its limit) or with nothing to claim costs the next call no wait", async () => {
    const clock = new ManualClock(0);
    const bucket = new TokenBucket({ ratePerSecond: 10, clock, sleep: clock.sleep });
    await bucket.pace(10);
    bucket.yieldTurn(); // e.g. its group had no room: nothing went
    await bucket.pace(10);
    expect(clock.nowMs()).toBe(0); // the slots the first call did not use
    await bucket.admit(10);
    // A call that went keeps its slots: the next one waits its turn, a second for 10 at 10/s.
    await bucket.pace(10);
    expect(clock.nowMs()).toBe(1000);
    await bucket.admit(10);
    expect(clock.nowMs()).toBeGreaterThanOrEqual(1000 + 10);
  });
});
