import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { checkEmail, InvalidInputError, liftSuppression, NotFoundError } from "@bulletin/core";
import type { ApiDeps } from "../api-deps.ts";
import { type AuthEnv, requireRole } from "../auth/require-role.ts";
import {
  EmailParam,
  PageQuerySchema,
  pageOf,
  SuppressionLiftSchema,
  SuppressionSchema,
  SuppressRequestSchema,
} from "../schemas/index.ts";
import { authErrors, json, notFound } from "./responses.ts";

/** A path or body address, normalised as the suppression list keys it. */
function address(raw: string, field: string): string {
  const checked = checkEmail(raw);
  if (!checked.ok) throw new InvalidInputError("suppression.email", `${field}: ${raw}: ${checked.reason}`);
  return checked.email;
}

/**
 * The suppression list: addresses every send skips (hard bounces, complaints, unsubscribes, soft
 * bounces in a row, manual entries). Anyone may read it; only an admin adds or lifts an entry, and
 * every lift is kept with who did it and when.
 */
export function suppressionsRoutes(deps: ApiDeps) {
  const app = new OpenAPIHono<AuthEnv>();
  const viewer = requireRole(deps.tokens, "viewer");
  const admin = requireRole(deps.tokens, "admin");

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/suppressions",
      operationId: "listSuppressions",
      tags: ["suppressions"],
      summary: "The suppression list, by address, a page at a time",
      security: [{ Bearer: [] }],
      middleware: [viewer] as const,
      request: { query: PageQuerySchema },
      responses: { 200: json(pageOf(SuppressionSchema), "A page of suppressed addresses"), ...authErrors },
    }),
    async (c) => c.json(await deps.suppressions.list(c.req.valid("query")), 200),
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/suppressions/{email}",
      operationId: "getSuppression",
      tags: ["suppressions"],
      summary: "One address: its suppression (if any) and the log of lifted ones",
      security: [{ Bearer: [] }],
      middleware: [viewer] as const,
      request: { params: z.object({ email: EmailParam }) },
      responses: {
        200: json(
          z.object({ suppression: SuppressionSchema.nullable(), lifts: z.array(SuppressionLiftSchema) }),
          "The address's suppression and lift log",
        ),
        ...authErrors,
        ...notFound("suppression"),
      },
    }),
    async (c) => {
      const email = address(c.req.valid("param").email, "email");
      const [suppression, lifts] = await Promise.all([deps.suppressions.get(email), deps.suppressions.lifts(email)]);
      if (!suppression && lifts.length === 0)
        throw new NotFoundError("suppression.not-found", `${email} has never been suppressed`);
      return c.json({ suppression, lifts }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/api/suppressions",
      operationId: "createSuppression",
      tags: ["suppressions"],
      summary: "Suppress an address by hand (it is skipped by every later send)",
      security: [{ Bearer: [] }],
      middleware: [admin] as const,
      request: { body: { required: true, content: { "application/json": { schema: SuppressRequestSchema } } } },
      responses: {
        200: json(
          z.object({ suppressed: z.boolean(), suppression: SuppressionSchema }),
          "suppressed: false when it already was",
        ),
        ...authErrors,
      },
    }),
    async (c) => {
      const body = c.req.valid("json");
      const email = address(body.email, "email");
      const at = deps.clock.now().toISOString();
      const by = c.get("token").label;
      const suppressed = await deps.suppressions.suppress({
        email,
        reason: "manual",
        detail: body.detail || `added by ${by}`,
        source: by,
        at,
      });
      return c.json({ suppressed, suppression: (await deps.suppressions.get(email))! }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "delete",
      path: "/api/suppressions/{email}",
      operationId: "liftSuppression",
      tags: ["suppressions"],
      summary: "Lift a suppression (logged with the token's label); a recipient bounced by it becomes active again",
      security: [{ Bearer: [] }],
      middleware: [admin] as const,
      request: { params: z.object({ email: EmailParam }) },
      responses: {
        200: json(
          SuppressionLiftSchema.extend({ recipientReactivated: z.boolean() }),
          "The lifted entry, who lifted it and when, and whether the recipient is active again",
        ),
        ...authErrors,
        ...notFound("suppression"),
      },
    }),
    async (c) => {
      const email = address(c.req.valid("param").email, "email");
      return c.json(await liftSuppression(email, c.get("token").label, deps), 200);
    },
  );
  return app;
}
