import type { Role, StoredToken, TokenRepo } from "@bulletin/core";
import { createMiddleware } from "hono/factory";
import { hashToken } from "./tokens.ts";

export type AuthEnv = { Variables: { token: StoredToken } };

// Each role can do what the roles after it can.
const RANK: Record<Role, number> = { viewer: 1, secretariat: 2, admin: 3 };

/**
 * Middleware for an /api route: a valid bearer token (401 otherwise) of at least `role` (403
 * otherwise). viewer reads; secretariat also imports and sends; admin also manages recipients and tokens.
 *
 * @example
 * createRoute({ method: "post", path: "/api/issues", middleware: [requireRole(tokens, "secretariat")], … });
 */
export function requireRole(tokens: TokenRepo, role: Role) {
  return createMiddleware<AuthEnv>(async (c, next) => {
    const header = c.req.header("authorization") ?? "";
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    const token = m ? await tokens.findByHash(hashToken(m[1]!)) : null;
    if (!token) {
      c.header("WWW-Authenticate", 'Bearer realm="bulletin"');
      return c.json({ error: "unauthorized", message: "a valid bearer token is required" }, 401);
    }
    if (RANK[token.role] < RANK[role]) {
      return c.json({ error: "forbidden", message: `this needs the ${role} role; the token has ${token.role}` }, 403);
    }
    c.set("token", token);
    await next();
  });
}
