import {
  BulletinError,
  ConflictError,
  ForbiddenError,
  InvalidInputError,
  NotFoundError,
  RetryableError,
  TooLargeError,
  UnauthenticatedError,
} from "@bulletin/core";
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";

const HTTP_ERROR_CODES: Record<number, string> = {
  400: "invalid-request",
  413: "too-large",
  415: "unsupported-media-type",
};

/**
 * The one place that turns domain errors into HTTP statuses, answering `{error: code, message}`:
 * routes and middleware throw, none answers an error by hand. The codes are the errors' own
 * (`issue.not-found`, `send.not-found`, …), one per case; Hono's refusals get the HTTP-level ones below. Unknown errors are logged (message
 * only: no request bodies or headers, which may hold tokens) and answered with a bare 500.
 */
export function handleError(err: Error, c: Context): Response {
  if (err instanceof HTTPException) {
    // Hono's own refusals (malformed JSON, an unsupported media type) come as text/plain; the API
    // answers every error as {error, message}, as its OpenAPI document says. A custom response stays.
    if (err.res) return err.getResponse();
    return c.json(
      { error: HTTP_ERROR_CODES[err.status] ?? "invalid-request", message: err.message || "invalid request" },
      err.status as 400,
    );
  }
  if (err instanceof BulletinError) {
    const status =
      err instanceof UnauthenticatedError
        ? 401
        : err instanceof ForbiddenError
          ? 403
          : err instanceof NotFoundError
            ? 404
            : err instanceof ConflictError
              ? 409
              : err instanceof TooLargeError
                ? 413
                : err instanceof InvalidInputError
                  ? 400
                  : err instanceof RetryableError
                    ? 503
                    : 500;
    if (status === 500) console.error(`error on ${c.req.method} ${c.req.path}: ${err.code}: ${err.message}`);
    if (status === 503) c.header("Retry-After", "5");
    if (status === 401) c.header("WWW-Authenticate", 'Bearer realm="bulletin"');
    return c.json({ error: err.code, message: status === 500 ? "internal error" : err.message }, status);
  }
  console.error(`unhandled error on ${c.req.method} ${c.req.path}: ${err.message}`);
  return c.json({ error: "internal", message: "internal error" }, 500);
}
