import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import type { ApiDeps } from "../api-deps.ts";
import { requireRole } from "../auth/require-role.ts";
import { hashToken, newTokenSecret } from "../auth/tokens.ts";
import { TokenCreatedSchema, TokenRequestSchema } from "../schemas.ts";
import { authErrors, json } from "./responses.ts";

/** /api/tokens: admins create tokens for people and tools; the secret is shown once. */
export function tokensRoutes(deps: ApiDeps) {
  const app = new OpenAPIHono();
  app.openapi(
    createRoute({
      method: "post",
      path: "/api/tokens",
      summary: "Create an API token (admin, secretariat or viewer); the secret is in this response only",
      security: [{ Bearer: [] }],
      middleware: [requireRole(deps.tokens, "admin")] as const,
      request: { body: { required: true, content: { "application/json": { schema: TokenRequestSchema } } } },
      responses: { 201: json(TokenCreatedSchema, "The new token"), ...authErrors },
    }),
    async (c) => {
      const { role, label } = c.req.valid("json");
      const token = newTokenSecret();
      await deps.tokens.create({ hash: hashToken(token), role, label, createdAt: deps.clock.now().toISOString() });
      return c.json({ role, label, token }, 201);
    },
  );
  return app;
}
