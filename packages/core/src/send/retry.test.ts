import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { InvalidInputError } from "../errors/errors.ts";
import { ManualClock } from "../testing/manual-clock.ts";
import { MailError, type MailErrorKind } from "./mail-error.ts";
import { isRetryable, withRetries } from "./retry.ts";

/** An op failing with `kinds` in turn, then succeeding. */
function failing(kinds: MailErrorKind[]) {
  let calls = 0;
  const op = async () => {
    const kind = kinds[calls++];
    if (kind) throw new MailError(kind, `${kind} #${calls}`);
    return "ok";
  };
  return { op, calls: () => calls };
}

describe("withRetries", () => {
  it("retries throttled and transient errors, then succeeds", async () => {
    const clock = new ManualClock(0);
    const { op, calls } = failing(["throttled", "transient", "throttled"]);
    await expect(withRetries(op, { sleep: clock.sleep, random: () => 0.5 })).resolves.toBe("ok");
    expect(calls()).toBe(4);
    // Full jitter: half of 200, 400, 800.
    expect(clock.sleeps).toEqual([100, 200, 400]);
  });

  it("stops after `attempts` calls and rethrows the last error unchanged", async () => {
    const clock = new ManualClock(0);
    const { op, calls } = failing(Array(10).fill("throttled"));
    const error = await withRetries(op, { sleep: clock.sleep, random: () => 0.999 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MailError);
    expect((error as MailError).message).toBe("throttled #5");
    expect(calls()).toBe(5);
    expect(clock.sleeps.length).toBe(4);
  });

  it.each(["rejected", "account"] as const)("rethrows %s at once", async (kind) => {
    const clock = new ManualClock(0);
    const { op, calls } = failing([kind]);
    await expect(withRetries(op, { sleep: clock.sleep })).rejects.toMatchObject({ kind });
    expect(calls()).toBe(1);
    expect(clock.sleeps).toEqual([]);
  });

  it("rethrows errors that are not MailErrors at once", async () => {
    const clock = new ManualClock(0);
    let calls = 0;
    const op = async () => {
      calls++;
      throw new TypeError("bug");
    };
    await expect(withRetries(op, { sleep: clock.sleep })).rejects.toBeInstanceOf(TypeError);
    expect(calls).toBe(1);
  });

  it("property: every wait is within [0, min(maxMs, baseMs·2^(n−1))], whatever random() returns", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 0, max: 1000 }),
        fc.integer({ min: 0, max: 10_000 }),
        fc.array(fc.double({ min: -1, max: 2, noNaN: true }), { minLength: 1, maxLength: 10 }),
        async (attempts, baseMs, maxMs, randoms) => {
          const clock = new ManualClock(0);
          let i = 0;
          const random = () => randoms[i++ % randoms.length] as number;
          const { op, calls } = failing(Array(20).fill("transient"));
          await expect(withRetries(op, { attempts, baseMs, maxMs, random, sleep: clock.sleep })).rejects.toBeInstanceOf(
            MailError,
          );
          expect(calls()).toBe(attempts);
          clock.sleeps.forEach((ms, n) => {
            expect(ms).toBeGreaterThanOrEqual(0);
            expect(ms).toBeLessThanOrEqual(Math.min(maxMs, baseMs * 2 ** n));
          });
        },
      ),
    );
  });

  it("with the defaults, a call gives up within 5 attempts and 3 s of waiting", async () => {
    const clock = new ManualClock(0);
    const { op } = failing(Array(10).fill("throttled"));
    await expect(withRetries(op, { sleep: clock.sleep, random: () => 0.99999 })).rejects.toBeInstanceOf(MailError);
    expect(clock.sleeps.reduce((a, b) => a + b, 0)).toBeLessThan(200 + 400 + 800 + 1600);
  });

  it("refuses nonsense options", async () => {
    const clock = new ManualClock(0);
    await expect(withRetries(async () => 1, { attempts: 0, sleep: clock.sleep })).rejects.toBeInstanceOf(
      InvalidInputError,
    );
    await expect(withRetries(async () => 1, { baseMs: -1, sleep: clock.sleep })).rejects.toBeInstanceOf(
      InvalidInputError,
    );
  });

  it("isRetryable tells the kinds apart", () => {
    expect(isRetryable(new MailError("throttled", ""))).toBe(true);
    expect(isRetryable(new MailError("transient", ""))).toBe(true);
    expect(isRetryable(new MailError("rejected", ""))).toBe(false);
    expect(isRetryable(new Error("x"))).toBe(false);
  });
});
