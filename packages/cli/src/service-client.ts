import { BulletinError, InvalidInputError } from "@bulletin/core";
import type { ServiceConfig } from "./cli-config.ts";

/** The service answered with an error status; the message is the API's own. */
export class ServiceError extends BulletinError {}

/**
 * Calls the service's API with the bearer token; returns the response on 2xx and turns anything else
 * — refused connection, 401, 403, 4xx, 5xx — into one clear error line.
 *
 * @example
 * const res = await callService(config, "GET", "/api/recipients?tier=report");
 */
export async function callService(
  config: ServiceConfig,
  method: string,
  path: string,
  body?: { type: string; data: string | Uint8Array },
): Promise<Response> {
  let res: Response;
  try {
    res = await fetch(`${config.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${config.token}`, ...(body ? { "content-type": body.type } : {}) },
      ...(body ? { body: typeof body.data === "string" ? body.data : Buffer.from(body.data) } : {}),
    });
  } catch (e) {
    const cause = (e as { cause?: { code?: string } }).cause?.code ?? (e as Error).message;
    throw new InvalidInputError(
      "service.unreachable",
      `cannot reach the service at ${config.url} (${cause}) — is it running (npm start)? Set BULLETIN_URL to point elsewhere`,
    );
  }
  if (res.ok) return res;
  const detail = await res.json().then(
    (j: { message?: string }) => j.message ?? "",
    () => "",
  );
  const what =
    res.status === 401
      ? "BULLETIN_TOKEN was not accepted"
      : res.status === 403
        ? "the token's role may not do this"
        : `HTTP ${res.status}`;
  throw new ServiceError("service.error", `${method} ${path}: ${what}${detail ? ` — ${detail}` : ""}`);
}
