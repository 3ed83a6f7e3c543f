import { InvalidInputError } from "../errors/errors.ts";
import { MailError } from "./mail-error.ts";

export interface RetryOptions {
  /** Calls in all, the first included. Default 5. */
  attempts?: number;
  /** The backoff ceiling of the first retry, doubled for each next one. Default 200 ms. */
  baseMs?: number;
  /** No single wait is longer than this. Default 5000 ms. */
  maxMs?: number;
  /** A number in [0, 1); default Math.random. Tests pass a seeded one. */
  random?: () => number;
  sleep: (ms: number) => Promise<void>;
  /** Told of each retry before its wait (for logs). */
  onRetry?: (error: MailError, attempt: number, delayMs: number) => void;
}

export const DEFAULT_RETRY = { attempts: 5, baseMs: 200, maxMs: 5000 } as const;

/**
 * Runs `op`, retrying it when it throws a MailError of kind "throttled" or "transient", with
 * exponential backoff and full jitter: before retry n (1-based) it waits a random time in
 * [0, min(maxMs, baseMs · 2^(n−1))). So the total wait is bounded by the sum of those ceilings
 * (with the defaults: 200 + 400 + 800 + 1600 = 3 s at most). Full jitter spreads senders that were
 * throttled together instead of having them retry in step.
 *
 * Any other error — "rejected", "account", or not a MailError — is rethrown at once: retrying cannot
 * help it. When the attempts run out, the last error is rethrown unchanged, so the caller sees
 * "throttled"/"transient" and knows the retries are exhausted.
 *
 * @example
 * const { messageId } = await withRetries(() => mailer.send(email), { sleep, random: Math.random });
 */
export async function withRetries<T>(op: (attempt: number) => Promise<T>, options: RetryOptions): Promise<T> {
  const attempts = options.attempts ?? DEFAULT_RETRY.attempts;
  const baseMs = options.baseMs ?? DEFAULT_RETRY.baseMs;
  const maxMs = options.maxMs ?? DEFAULT_RETRY.maxMs;
  const random = options.random ?? Math.random;
  if (!Number.isInteger(attempts) || attempts < 1) {
    throw new InvalidInputError("retry.attempts", `attempts must be a whole number of at least 1, not ${attempts}`);
  }
  if (!(baseMs >= 0) || !(maxMs >= 0)) throw new InvalidInputError("retry.delay", "retry delays must not be negative");
  for (let attempt = 1; ; attempt++) {
    try {
      return await op(attempt);
    } catch (error) {
      if (!isRetryable(error) || attempt >= attempts) throw error;
      const delayMs = retryDelay(attempt, { baseMs, maxMs, random });
      options.onRetry?.(error, attempt, delayMs);
      await options.sleep(delayMs);
    }
  }
}

/**
 * The wait before retry `attempt` (1-based): full jitter, a random time in
 * [0, min(maxMs, baseMs · 2^(attempt−1))).
 *
 * @example
 * retryDelay(3, { baseMs: 200, maxMs: 5000, random: () => 0.5 }); // 400
 */
export function retryDelay(
  attempt: number,
  options: { baseMs?: number; maxMs?: number; random?: () => number } = {},
): number {
  const ceiling = Math.min(
    options.maxMs ?? DEFAULT_RETRY.maxMs,
    (options.baseMs ?? DEFAULT_RETRY.baseMs) * 2 ** (attempt - 1),
  );
  // Clamp: a misbehaving random() must not stretch the wait past its bound.
  return Math.min(ceiling, Math.max(0, (options.random ?? Math.random)() * ceiling));
}

/**
 * True for the MailErrors worth another try.
 *
 * @example
 * isRetryable(new MailError("throttled", "Maximum sending rate exceeded.")); // true
 */
export function isRetryable(error: unknown): error is MailError {
  return error instanceof MailError && (error.kind === "throttled" || error.kind === "transient");
}
