import { BulletinError, NotFoundError, RetryableError } from "@bulletin/core";

// Names, not classes (two SDK copies break instanceof). The SDK has already retried these itself.
const RETRYABLE_NAMES = new Set([
  "RequestThrottled",
  "ThrottlingException",
  "KmsThrottled",
  "ServiceUnavailable",
  "InternalError",
  "InternalFailure",
  "TimeoutError",
]);
const RETRYABLE_CODES = new Set(["ECONNRESET", "ECONNREFUSED", "ETIMEDOUT", "EPIPE", "EAI_AGAIN"]);
const MISSING_QUEUE = new Set(["QueueDoesNotExist", "AWS.SimpleQueueService.NonExistentQueue"]);

/**
 * Turns what the SQS client threw into the project's error hierarchy, once: throttling, 5xx and
 * network failures are RetryableError, a missing queue is NotFoundError, the rest BulletinError.
 *
 * @example
 * try { await client.send(cmd); } catch (err) { throw translateSqsError(err, queueUrl); }
 */
export function translateSqsError(err: unknown, queueUrl: string, service: "SQS" | "SNS" = "SQS"): BulletinError {
  if (err instanceof BulletinError) return err;
  const e = (typeof err === "object" && err !== null ? err : {}) as {
    name?: unknown;
    code?: unknown;
    message?: unknown;
    $metadata?: { httpStatusCode?: number };
  };
  const name = typeof e.name === "string" ? e.name : "Error";
  const message = typeof e.message === "string" ? e.message : String(err);
  const status = e.$metadata?.httpStatusCode ?? 0;
  const cause = { cause: err };
  if (MISSING_QUEUE.has(name))
    return new NotFoundError("sqs.queue-missing", `SQS queue ${queueUrl} does not exist`, cause);
  if (
    RETRYABLE_NAMES.has(name) ||
    status === 429 ||
    status >= 500 ||
    (typeof e.code === "string" && RETRYABLE_CODES.has(e.code))
  ) {
    return new RetryableError(
      "sqs.retryable",
      `${service} is busy or unreachable, try again later (${name}: ${message})`,
      cause,
    );
  }
  return new BulletinError("sqs.failed", `${service} ${name}: ${message}`, cause);
}

/**
 * Runs one SQS call and translates its failure.
 *
 * @example
 * const out = await callSqs(queueUrl, () => client.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl })));
 */
export async function callSqs<T>(queueUrl: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw translateSqsError(err, queueUrl);
  }
}
