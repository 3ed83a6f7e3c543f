import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { InvalidInputError, revokeToken, type StoredToken, tokenId, tokenUsable } from "@bulletin/core";
import type { ApiDeps } from "../api-deps.ts";
import { requireRole } from "../auth/require-role.ts";
import { hashToken, newTokenSecret } from "../auth/tokens.ts";
import { ErrorSchema, TokenCreatedSchema, TokenRequestSchema, TokenSummarySchema } from "../schemas/index.ts";
import { authErrors, json, notFound } from "./responses.ts";

/**
 * A token as it may be shown: its id, label, role and times; never the secret or the hash.
 *
 * @example
 * tokenSummary(stored, new Date()); // { id: "9f86d081884c7d65", label: "王丽", role: "secretariat", …, expired: false }
 */
export function tokenSummary(t: StoredToken, now: Date) {
  return {
    id: tokenId(t.hash),
    role: t.role,
    label: t.label,
    createdAt: t.createdAt,
    ...(t.lastUsedAt ? { lastUsedAt: t.lastUsedAt } : {}),
    ...(t.expiresAt ? { expiresAt: t.expiresAt } : {}),
    expired: !tokenUsable(t, now),
  };
}

/**
 * Creates a token for a person or tool (what POST /api/tokens and the dashboard's 令牌 page do): the
 * secret is returned once and only its hash is kept. An expiry must lie in the future.
 *
 * @example
 * const { token } = await createToken(deps, { role: "viewer", label: "审计", expiresAt: "2026-12-31T23:59:59+08:00" });
 */
export async function createToken(
  deps: Pick<ApiDeps, "tokens" | "clock">,
  req: { role: StoredToken["role"]; label: string; expiresAt?: string | undefined },
) {
  const now = deps.clock.now();
  const expiresAt = req.expiresAt === undefined ? undefined : new Date(req.expiresAt);
  if (expiresAt && !(expiresAt.getTime() > now.getTime()))
    throw new InvalidInputError("token.expiry-past", "expiresAt must be in the future");
  const token = newTokenSecret();
  const stored: StoredToken = {
    hash: hashToken(token),
    role: req.role,
    label: req.label,
    createdAt: now.toISOString(),
    ...(expiresAt ? { expiresAt: expiresAt.toISOString() } : {}),
  };
  await deps.tokens.create(stored);
  return { ...tokenSummary(stored, now), token };
}

/** /api/tokens: admins list, create (the secret shown once) and revoke tokens for people and tools. */
export function tokensRoutes(deps: ApiDeps) {
  const app = new OpenAPIHono();
  const admin = requireRole(deps.tokens, "admin");
  app.openapi(
    createRoute({
      method: "get",
      path: "/api/tokens",
      operationId: "listTokens",
      tags: ["tokens"],
      summary: "Every API token: id, label, role, created, last used, expiry (never the secret)",
      security: [{ Bearer: [] }],
      middleware: [admin] as const,
      responses: { 200: json(z.object({ items: z.array(TokenSummarySchema) }), "The tokens"), ...authErrors },
    }),
    async (c) => {
      const now = deps.clock.now();
      return c.json({ items: (await deps.tokens.list()).map((t) => tokenSummary(t, now)) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/api/tokens",
      operationId: "createToken",
      tags: ["tokens"],
      summary:
        "Create an API token (admin, secretariat or viewer), optionally expiring; the secret is in this response only",
      security: [{ Bearer: [] }],
      middleware: [admin] as const,
      request: { body: { required: true, content: { "application/json": { schema: TokenRequestSchema } } } },
      responses: { 201: json(TokenCreatedSchema, "The new token"), ...authErrors },
    }),
    async (c) => c.json(await createToken(deps, c.req.valid("json")), 201),
  );

  app.openapi(
    createRoute({
      method: "delete",
      path: "/api/tokens/{id}",
      operationId: "revokeToken",
      tags: ["tokens"],
      summary: "Revoke a token: it, and every dashboard session made with it, is refused at once",
      security: [{ Bearer: [] }],
      middleware: [admin] as const,
      request: { params: z.object({ id: z.string().min(1).max(64) }) },
      responses: {
        204: { description: "Revoked" },
        409: json(ErrorSchema, "The last usable admin token"),
        ...notFound("token"),
        ...authErrors,
      },
    }),
    async (c) => {
      await revokeToken(c.req.valid("param").id, deps);
      return c.body(null, 204);
    },
  );
  return app;
}
