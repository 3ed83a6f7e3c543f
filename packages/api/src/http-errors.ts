import { BulletinError, ConflictError, InvalidInputError, NotFoundError } from "@bulletin/core";
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";

/**
 * The one place that turns domain errors into HTTP statuses. Unknown errors are logged (message
 * only: no request bodies or headers, which may hold tokens) and answered with a bare 500.
 */
export function handleError(err: Error, c: Context): Response {
  if (err instanceof HTTPException) return err.getResponse();
  if (err instanceof BulletinError) {
    const status = err instanceof NotFoundError ? 404 : err instanceof ConflictError ? 409 : err instanceof InvalidInputError ? 400 : 503;
    return c.json({ error: err.code, message: err.message }, status);
  }
  console.error(`unhandled error on ${c.req.method} ${c.req.path}: ${err.message}`);
  return c.json({ error: "internal", message: "internal error" }, 500);
}
