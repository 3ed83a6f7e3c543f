import {
  AccountSuspendedException,
  BadRequestException,
  InternalServiceErrorException,
  LimitExceededException,
  MailFromDomainNotVerifiedException,
  MessageRejected,
  NotFoundException,
  SendingPausedException,
  TooManyRequestsException,
} from "@aws-sdk/client-sesv2";
import { AmbiguousSendError, MailError } from "@bulletin/core";
import { describe, expect, it } from "vitest";
import { classifySesError } from "./classify-ses-error.ts";

const meta = (httpStatusCode: number) => ({ $metadata: { httpStatusCode } });
/** An error shaped like the SDK's, for names that are not classes of client-sesv2 (SES v1, network). */
const sdkLike = (name: string, message: string, extra: Record<string, unknown> = {}) =>
  Object.assign(new Error(message), { name, $metadata: {} }, extra);

describe("classifySesError", () => {
  it.each([
    [
      "TooManyRequestsException",
      new TooManyRequestsException({ message: "Maximum sending rate exceeded.", ...meta(429) }),
      "throttled",
    ],
    [
      "LimitExceededException (rate)",
      new LimitExceededException({ message: "Maximum sending rate exceeded.", ...meta(400) }),
      "throttled",
    ],
    ["v1 Throttling", sdkLike("Throttling", "Maximum sending rate exceeded.", meta(400)), "throttled"],
    ["an unmodelled 429", sdkLike("Unknown", "slow down", meta(429)), "throttled"],
    [
      "LimitExceededException (daily)",
      new LimitExceededException({ message: "Daily message quota exceeded.", ...meta(400) }),
      "account",
    ],
    ["v1 Throttling (daily)", sdkLike("Throttling", "Daily message quota exceeded.", meta(400)), "account"],
    ["AccountSuspendedException", new AccountSuspendedException({ message: "suspended", ...meta(400) }), "account"],
    ["SendingPausedException", new SendingPausedException({ message: "paused", ...meta(400) }), "account"],
    [
      "a missing configuration set",
      new NotFoundException({ message: "Configuration set <x> does not exist.", ...meta(404) }),
      "account",
    ],
    [
      "AccessDenied (403)",
      sdkLike("AccessDeniedException", "not authorized to perform ses:SendEmail", meta(403)),
      "account",
    ],
    [
      "InternalServiceErrorException",
      new InternalServiceErrorException({ message: "oops", ...meta(500) }),
      "transient",
    ],
    ["an unmodelled 503", sdkLike("Unknown", "Service Unavailable", meta(503)), "transient"],
    [
      "a refused connection",
      sdkLike("Error", "connect ECONNREFUSED 127.0.0.1:1", { code: "ECONNREFUSED" }),
      "transient",
    ],
    ["connection refused", sdkLike("Error", "connect ECONNREFUSED 127.0.0.1:1", { code: "ECONNREFUSED" }), "transient"],
    ["MessageRejected", new MessageRejected({ message: "Email address is not verified.", ...meta(400) }), "rejected"],
    [
      "MailFromDomainNotVerified",
      new MailFromDomainNotVerifiedException({ message: "not verified", ...meta(400) }),
      "rejected",
    ],
    ["BadRequestException", new BadRequestException({ message: "Missing final '@domain'", ...meta(400) }), "rejected"],
    [
      "aws-ses-v2-local's untyped 400",
      sdkLike("Unknown", "Bad Request Exception", {
        ...meta(400),
        detail: "aws-ses-v2-local: Must have a from email address.",
      }),
      "rejected",
    ],
  ])("%s → %s", (_label, err, kind) => {
    const classified = classifySesError(err) as MailError;
    expect(classified).toBeInstanceOf(MailError);
    expect(classified.kind).toBe(kind);
    expect(classified.code).toBe(`mail.${kind}`);
    expect(classified.cause).toBe(err);
  });

  it("keeps the SES message (and the emulator's detail) for the delivery's reason", () => {
    const rejected = classifySesError(new MessageRejected({ message: "Email address is not verified.", ...meta(400) }));
    expect(rejected.message).toBe("MessageRejected: Email address is not verified.");
    const local = classifySesError(
      sdkLike("Unknown", "Bad Request Exception", {
        ...meta(400),
        detail: "aws-ses-v2-local: Must have a from email address.",
      }),
    );
    expect(local.message).toBe("Unknown: Bad Request Exception (aws-ses-v2-local: Must have a from email address.)");
    const reset = classifySesError(sdkLike("TimeoutError", "read ECONNRESET", { code: "ECONNRESET" }));
    expect(reset.message).toMatch(/ECONNRESET.*may or may not have accepted/);
  });

  it.each([
    ["a reset", sdkLike("TimeoutError", "read ECONNRESET", { code: "ECONNRESET" })],
    [
      "a request timeout",
      sdkLike("TimeoutError", "exceeded the configured 300 ms requestTimeout", { code: "ETIMEDOUT" }),
    ],
    ["something unrecognisable", "weird"],
    ["nothing at all", undefined],
  ])("calls %s ambiguous, not retryable: SES may have accepted the message", (_label, err) => {
    const classified = classifySesError(err);
    expect(classified).toBeInstanceOf(AmbiguousSendError);
    expect(classified).not.toBeInstanceOf(MailError);
    expect(classified.code).toBe("mail.ambiguous");
  });

  it("passes a MailError through", () => {
    const already = new MailError("rejected", "x");
    expect(classifySesError(already)).toBe(already);
  });
});
