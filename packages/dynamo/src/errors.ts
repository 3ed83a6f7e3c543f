import { BulletinError, ConflictError, RetryableError } from "@bulletin/core";

/** What a translation needs to know about the call that failed. */
export interface DynamoCallContext {
  tableName: string;
  /**
   * The domain meaning of a failed ConditionExpression for this call, e.g. "the recipient exists"
   * (ConflictError) or "the recipient does not exist" (NotFoundError). Without it a failed condition
   * is a generic ConflictError: some write lost a race.
   */
  onConditionFailed?: () => BulletinError;
}

// Names, not classes: `instanceof` breaks when two copies of the SDK end up in node_modules, and a
// few of these (RequestLimitExceeded, ThrottlingException) are not modelled as classes in every
// SDK version. The SDK has already retried these itself (standard retry mode) before we see them.
const RETRYABLE_NAMES = new Set([
  "ProvisionedThroughputExceededException",
  "ThrottlingException",
  "RequestLimitExceeded",
  "InternalServerError",
  "ServiceUnavailable",
  "TimeoutError",
]);
const RETRYABLE_CODES = new Set(["ECONNRESET", "ECONNREFUSED", "ETIMEDOUT", "EPIPE", "EAI_AGAIN"]);

/**
 * Turns whatever the AWS SDK threw into the project's error hierarchy. This is the only place that
 * looks at SDK error names; BulletinErrors pass through unchanged, so it is safe to apply twice.
 *
 * @example
 * try { await client.send(cmd); } catch (err) { throw translateDynamoError(err, { tableName }); }
 */
export function translateDynamoError(err: unknown, ctx: DynamoCallContext): BulletinError {
  if (err instanceof BulletinError) return err;
  const e = (err ?? {}) as {
    name?: unknown;
    code?: unknown;
    message?: unknown;
    $retryable?: unknown;
    $fault?: unknown;
    $metadata?: { httpStatusCode?: unknown };
  };
  const name = typeof e.name === "string" ? e.name : "Error";
  const message = typeof e.message === "string" ? e.message : String(err);
  const cause = { cause: err };
  if (name === "ConditionalCheckFailedException") {
    return (
      ctx.onConditionFailed?.() ?? new ConflictError("storage.conflict", "the item was changed concurrently", cause)
    );
  }
  if (name === "ResourceNotFoundException") {
    // On a data-plane call this means the table (or one of its indexes) is missing: a deployment or
    // first-start problem, not something a user did.
    return new BulletinError(
      "storage.table-missing",
      `DynamoDB table ${ctx.tableName} does not exist (or lacks its indexes gsi1/gsi2); create it with ensureTable`,
      cause,
    );
  }
  // A 5xx without a modelled name (a load balancer's or a proxy's 503) is the server's fault too.
  const status = typeof e.$metadata?.httpStatusCode === "number" ? e.$metadata.httpStatusCode : undefined;
  const serverFault = e.$fault === "server" || (status !== undefined && status >= 500);
  if (
    RETRYABLE_NAMES.has(name) ||
    e.$retryable ||
    serverFault ||
    (typeof e.code === "string" && RETRYABLE_CODES.has(e.code))
  ) {
    return new RetryableError("storage.retryable", `DynamoDB is busy or unreachable, try again later (${name})`, cause);
  }
  // ValidationException and the like are bugs on our side (a bad expression, an oversized item).
  return new BulletinError("storage.failed", `DynamoDB ${name}: ${message}`, cause);
}

/**
 * Runs one SDK call and translates its failure, so no caller ever sees an SDK error.
 *
 * @example
 * await callDynamo({ tableName, onConditionFailed: () => new ConflictError("recipient.exists", "…") }, () =>
 *   client.send(new PutCommand({ TableName: tableName, Item: item, ConditionExpression: "attribute_not_exists(pk)" })),
 * );
 */
export async function callDynamo<T>(ctx: DynamoCallContext, op: () => Promise<T>): Promise<T> {
  try {
    return await op();
  } catch (err) {
    throw translateDynamoError(err, ctx);
  }
}
