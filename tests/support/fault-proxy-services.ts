import type { IncomingMessage } from "node:http";

// What the fault proxy (fault-proxy.ts) knows of each service it stands in front of: the errors it
// answers with, in that service's own wire format, and how a request names its operation.

/** The emulator behind the proxy, which decides the wire format of the injected errors. */
export type FaultService = "ses" | "sqs" | "dynamodb";

/** An injected error answer: status, headers and body as the service would send them. */
export interface ErrorAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const JSON_1_0 = "application/x-amz-json-1.0";

/** A JSON 1.0 error body (`__type` is what the SDK names the error by), as DynamoDB and SQS send them. */
function jsonError(status: number, type: string, message: string, extra: Record<string, string> = {}): ErrorAnswer {
  return { status, headers: { "content-type": JSON_1_0, ...extra }, body: JSON.stringify({ __type: type, message }) };
}

/**
 * The errors each service really answers with, so the AWS SDK (and our classifiers) see what AWS
 * would send. DynamoDB throttles with two names (the second since on-demand tables), so both occur.
 */
export const ERRORS: Record<FaultService, Record<"throttle" | "error500" | "error503", (n: number) => ErrorAnswer>> = {
  ses: {
    // restJson1: the error type is in the x-amzn-ErrorType header.
    throttle: () => ({
      status: 429,
      headers: { "content-type": "application/json", "x-amzn-ErrorType": "TooManyRequestsException" },
      body: JSON.stringify({ message: "Maximum sending rate exceeded." }),
    }),
    error500: () => ({
      status: 500,
      headers: { "content-type": "application/json", "x-amzn-ErrorType": "InternalServiceErrorException" },
      body: JSON.stringify({ message: "Internal failure injected by the fault proxy." }),
    }),
    // No error type: the SDK sees an unmodelled 503 (as from a load balancer in front of SES).
    error503: () => ({
      status: 503,
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ message: "Internal failure injected by the fault proxy." }),
    }),
  },
  dynamodb: {
    throttle: (n) =>
      n % 2 === 1
        ? jsonError(
            400,
            "com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException",
            "The level of configured provisioned throughput for the table was exceeded.",
          )
        : jsonError(
            400,
            "com.amazon.coral.availability#ThrottlingException",
            "Rate of requests exceeds the allowed throughput.",
          ),
    error500: () =>
      jsonError(
        500,
        "com.amazonaws.dynamodb.v20120810#InternalServerError",
        "Internal server error (injected by the fault proxy)",
      ),
    // DynamoDB's documented 503 is "ServiceUnavailable".
    error503: () =>
      jsonError(
        503,
        "com.amazonaws.dynamodb.v20120810#ServiceUnavailable",
        "Service unavailable (injected by the fault proxy)",
      ),
  },
  // SQS speaks JSON 1.0 to the current SDK (awsQueryCompatible: the query error code rides in a header).
  sqs: {
    throttle: () =>
      jsonError(400, "com.amazonaws.sqs#RequestThrottled", "Rate exceeded.", {
        "x-amzn-query-error": "RequestThrottled;Sender",
      }),
    error500: () =>
      jsonError(500, "com.amazonaws.sqs#InternalError", "We encountered an internal error. Please try again.", {
        "x-amzn-query-error": "InternalError;Receiver",
      }),
    error503: () =>
      jsonError(
        503,
        "com.amazonaws.sqs#ServiceUnavailable",
        "The request has failed due to a temporary failure of the server.",
        { "x-amzn-query-error": "ServiceUnavailable;Server" },
      ),
  },
};

const SES_OPERATIONS: Record<string, string> = {
  "POST /v2/email/outbound-emails": "SendEmail",
  "POST /v2/email/outbound-bulk-emails": "SendBulkEmail",
  "GET /v2/email/account": "GetAccount",
};

/**
 * The operation a request calls, or undefined when the proxy must not fault it: JSON 1.0 services
 * name it in X-Amz-Target (fauxqs also serves SNS, in the query protocol, on the same port: those
 * requests have no AmazonSQS target and are only forwarded); SES is REST, named by method and path.
 */
export function operationOf(service: FaultService, req: IncomingMessage): string | undefined {
  const target = String(req.headers["x-amz-target"] ?? "");
  if (service === "dynamodb") return /^DynamoDB_\d+\.(\w+)$/.exec(target)?.[1];
  if (service === "sqs") return /^AmazonSQS\.(\w+)$/.exec(target)?.[1];
  const route = `${req.method} ${(req.url ?? "/").split("?")[0]}`;
  return SES_OPERATIONS[route] ?? route;
}
