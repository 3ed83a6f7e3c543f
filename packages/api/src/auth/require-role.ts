import {
  ForbiddenError,
  needsTouch,
  type Role,
  type StoredToken,
  tokenUsable,
  UnauthenticatedError,
} from "@bulletin/core";
import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import type { ApiDeps } from "../api-deps.ts";
import { hashToken } from "./tokens.ts";

export type AuthEnv = { Variables: { token: StoredToken } };

// Each role can do what the roles after it can.
const RANK: Record<Role, number> = { viewer: 1, secretariat: 2, admin: 3 };

const unauthenticated = () => new UnauthenticatedError("unauthorized", "a valid bearer token is required");

/** The /api paths anyone may read: the OpenAPI document and the docs page with its assets. */
const PUBLIC_API = /^\/api\/(?:openapi\.json|docs(?:\/assets\/[^/]+)?)$/;

/**
 * The first middleware on /api: a valid bearer token of a usable token (neither revoked nor
 * expired), or 401 before anything else happens, the request body above all: an anonymous client
 * cannot make the service read 16 MB. The token's last use is recorded at most once a minute.
 *
 * @example
 * app.use("/api/*", authenticate(deps)); // then routes say the least role with requireRole
 */
export function authenticate(deps: Pick<ApiDeps, "tokens" | "clock">) {
  return createMiddleware<AuthEnv>(async (c, next) => {
    if (PUBLIC_API.test(c.req.path)) return next();
    const header = c.req.header("authorization") ?? "";
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    const now = deps.clock.now();
    const token = m ? await deps.tokens.findByHash(hashToken(m[1]!)) : null;
    if (!tokenUsable(token, now)) {
      // The body is never read: a keep-alive client would send its next request behind bytes nobody reads.
      if (c.req.raw.body !== null) c.header("Connection", "close");
      throw unauthenticated();
    }
    if (needsTouch(token, now)) await deps.tokens.touch(token.hash, now.toISOString());
    c.set("token", token);
    await next();
  });
}

/**
 * Middleware for an /api route: the token `authenticate` found must be of at least `role` (403
 * otherwise). viewer reads; secretariat also imports and sends; admin also manages recipients,
 * settings and tokens. Without an authenticated token it answers 401: it never lets one through.
 *
 * @example
 * createRoute({ method: "post", path: "/api/issues", middleware: [requireRole(tokens, "secretariat")], … });
 */
export function requireRole(_tokens: ApiDeps["tokens"], role: Role) {
  return createMiddleware<AuthEnv>(async (c, next) => {
    const token = (c as Context<AuthEnv>).get("token") as StoredToken | undefined;
    if (!token) throw unauthenticated();
    if (RANK[token.role] < RANK[role])
      throw new ForbiddenError("forbidden", `this needs the ${role} role; the token has ${token.role}`);
    await next();
  });
}
