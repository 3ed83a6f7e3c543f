import { AmbiguousSendError, MailError } from "@bulletin/core";

// Names, not classes: `instanceof` breaks with two SDK copies in node_modules, and SES v1 names
// (Throttling, AccountSendingPausedException) are not classes of @aws-sdk/client-sesv2 at all.
const THROTTLED = new Set(["TooManyRequestsException", "Throttling", "ThrottlingException", "LimitExceededException"]);
const ACCOUNT = new Set([
  "AccountSuspendedException",
  "SendingPausedException",
  "AccountSendingPausedException",
  "ConfigurationSetSendingPausedException",
  // Credentials or IAM: every message would fail the same way, so pause rather than fail recipients.
  "AccessDeniedException",
  "UnrecognizedClientException",
  "InvalidClientTokenId",
  "SignatureDoesNotMatch",
  "ExpiredTokenException",
  // A missing configuration set or sending identity: also the same for every message.
  "NotFoundException",
  "ConfigurationSetDoesNotExistException",
]);
const REJECTED = new Set(["MessageRejected", "MailFromDomainNotVerifiedException", "BadRequestException"]);
// The connection was never made: SES cannot have seen the request, so retrying is safe.
const NEVER_CONNECTED = new Set(["ECONNREFUSED", "EAI_AGAIN", "ENOTFOUND", "EHOSTUNREACH", "ENETUNREACH"]);
// The connection broke or timed out after the request may have been sent: SES may have accepted it.
const MAYBE_SENT = new Set(["ECONNRESET", "ECONNABORTED", "ETIMEDOUT", "EPIPE"]);
const DAILY_QUOTA = /daily|24[- ]?hour/i;

/**
 * Classifies whatever SESv2Client.send threw, once, into a MailError (see the table in README.md).
 * MailErrors pass through unchanged, so applying it twice is harmless.
 *
 * @example
 * try { await client.send(new SendEmailCommand(input)); }
 * catch (err) { throw classifySesError(err); } // MailError("throttled", "TooManyRequestsException: ...")
 */
export function classifySesError(err: unknown): MailError | AmbiguousSendError {
  if (err instanceof MailError || err instanceof AmbiguousSendError) return err;
  const e = describe(err);
  const text = `${e.name}: ${e.message}${e.detail ? ` (${e.detail})` : ""}`;
  const cause = { cause: err };
  // SES reports an exhausted 24-hour quota as a throttling/limit error; only its message tells it
  // apart from the per-second rate, and waiting seconds will not help: pause the send.
  if ((THROTTLED.has(e.name) || e.status === 429) && DAILY_QUOTA.test(e.message))
    return new MailError("account", text, cause);
  if (ACCOUNT.has(e.name) || e.status === 401 || e.status === 403) return new MailError("account", text, cause);
  if (THROTTLED.has(e.name) || e.status === 429) return new MailError("throttled", text, cause);
  if ((e.status !== undefined && e.status >= 500) || e.fault === "server")
    return new MailError("transient", text, cause);
  if (e.status === undefined && NEVER_CONNECTED.has(e.code)) return new MailError("transient", text, cause);
  if (e.status === undefined && (MAYBE_SENT.has(e.code) || e.name === "TimeoutError")) {
    // The request may have reached SES before the connection broke: the message may have gone out.
    // Retrying could send a second copy, so this is not retried: the recipient becomes "unknown".
    return new AmbiguousSendError(
      `${e.code || e.name}: ${e.message} (SES may or may not have accepted the message)`,
      cause,
    );
  }
  // Modelled rejections, and any other 4xx: this message, as sent, will not be accepted. This also
  // covers aws-ses-v2-local, whose 400s carry no error type (the SDK names them "Unknown").
  if (REJECTED.has(e.name) || (e.status !== undefined && e.status >= 400))
    return new MailError("rejected", text, cause);
  // No HTTP answer and no known network code: we cannot tell whether SES accepted it.
  return new AmbiguousSendError(`${text} (SES may or may not have accepted the message)`, cause);
}

interface ErrorFacts {
  name: string;
  message: string;
  code: string;
  detail: string;
  status: number | undefined;
  fault: string | undefined;
}

function describe(err: unknown): ErrorFacts {
  const e = (typeof err === "object" && err !== null ? err : {}) as Record<string, unknown> & {
    $metadata?: { httpStatusCode?: unknown };
  };
  const str = (v: unknown): string => (typeof v === "string" ? v : "");
  const status = e.$metadata?.httpStatusCode;
  return {
    name: str(e.name) || "Error",
    message: str(e.message) || String(err),
    code: str(e.code),
    // aws-ses-v2-local puts its reason in `detail`; the SDK copies unmodelled body fields onto the error.
    detail: str(e.detail),
    status: typeof status === "number" ? status : undefined,
    fault: str(e.$fault) || undefined,
  };
}

// SendBulkEmail's per-entry statuses (BulkEmailStatus), by what the pipeline does about them.
const BULK_THROTTLED = new Set(["ACCOUNT_THROTTLED"]);
const BULK_TRANSIENT = new Set(["TRANSIENT_FAILURE"]);
const BULK_ACCOUNT = new Set([
  "ACCOUNT_SUSPENDED",
  "ACCOUNT_DAILY_QUOTA_EXCEEDED",
  "ACCOUNT_SENDING_PAUSED",
  "CONFIGURATION_SET_DOES_NOT_EXIST",
  "CONFIGURATION_SET_SENDING_PAUSED",
  "TEMPLATE_DOES_NOT_EXIST",
  "INVALID_SENDING_POOL_NAME",
  "MAIL_FROM_DOMAIN_NOT_VERIFIED",
]);

/**
 * Classifies one failed entry of a SendBulkEmail answer: SES accepted the call, and says of this
 * destination that it was not sent, and why. MESSAGE_REJECTED, INVALID_PARAMETER and FAILED fail
 * the recipient; throttling and transient failures are retried; account-wide ones pause the send.
 *
 * @example
 * classifyBulkStatus("ACCOUNT_DAILY_QUOTA_EXCEEDED", "Daily message quota exceeded").kind; // "account"
 */
export function classifyBulkStatus(status: string | undefined, error: string | undefined): MailError {
  const name = status ?? "FAILED";
  const text = `${name}: ${error || "no reason given"}`;
  if (BULK_THROTTLED.has(name)) return new MailError("throttled", text);
  if (BULK_TRANSIENT.has(name)) return new MailError("transient", text);
  if (BULK_ACCOUNT.has(name)) return new MailError("account", text);
  return new MailError("rejected", text);
}
