import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { importRecipients, type Recipient, recipientsToCsv } from "@bulletin/core";
import type { ApiDeps } from "../api-deps.ts";
import { requestText } from "../request-text.ts";
import { authErrors, json, notFound } from "./responses.ts";
import { requireRole } from "../auth/require-role.ts";
import {
  EmailParam,
  ImportReportSchema,
  pageOf,
  RecipientOut,
  RecipientPatchSchema,
  RecipientQuerySchema,
} from "../schemas/index.ts";

const EXPORT_PAGE = 100;

/**
 * /api/recipients: CSV import and export, listing by tier/status/search, change and delete.
 * Reading is for every role; changing recipients is for admins.
 */
export function recipientsRoutes(deps: ApiDeps) {
  const app = new OpenAPIHono();
  const viewer = requireRole(deps.tokens, "viewer");
  const admin = requireRole(deps.tokens, "admin");

  app.openapi(
    createRoute({
      method: "post",
      path: "/api/recipients/import",
      operationId: "importRecipients",
      tags: ["recipients"],
      summary:
        "Import recipients from CSV (email,name,organization,tier,role): UTF-8 (BOM or not), UTF-16 with a BOM, or GB18030/GBK (a declared charset first, else by the bytes); reports every rejected row",
      security: [{ Bearer: [] }],
      middleware: [admin] as const,
      request: {
        body: {
          required: true,
          content: { "text/csv": { schema: z.string().openapi({ example: "email,name,organization,tier,role\n" }) } },
        },
      },
      responses: {
        200: json(ImportReportSchema, "What was created, updated, unchanged, skipped and rejected"),
        ...authErrors,
      },
    }),
    async (c) =>
      c.json(await importRecipients(await requestText(c), { recipients: deps.recipients, clock: deps.clock }), 200),
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/recipients/export",
      operationId: "exportRecipients",
      tags: ["recipients"],
      summary: "All recipients as CSV (re-importable)",
      security: [{ Bearer: [] }],
      middleware: [viewer] as const,
      responses: { 200: { content: { "text/csv": { schema: z.string() } }, description: "CSV" }, ...authErrors },
    }),
    async (c) => {
      const all: Recipient[] = [];
      let cursor: string | undefined;
      do {
        const page = await deps.recipients.list({ limit: EXPORT_PAGE, ...(cursor ? { cursor } : {}) });
        all.push(...page.items);
        cursor = page.cursor;
      } while (cursor);
      c.header("Content-Disposition", 'attachment; filename="recipients.csv"');
      return c.body(recipientsToCsv(all), 200, { "Content-Type": "text/csv; charset=utf-8" });
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/recipients",
      operationId: "listRecipients",
      tags: ["recipients"],
      summary: "Recipients, by tier, status and search, a page at a time",
      security: [{ Bearer: [] }],
      middleware: [viewer] as const,
      request: { query: RecipientQuerySchema },
      responses: { 200: json(pageOf(RecipientOut), "A page of recipients"), ...authErrors },
    }),
    async (c) => c.json(await deps.recipients.list(c.req.valid("query")), 200),
  );

  app.openapi(
    createRoute({
      method: "patch",
      path: "/api/recipients/{email}",
      operationId: "updateRecipient",
      tags: ["recipients"],
      summary: "Change a recipient's details, tier or status",
      security: [{ Bearer: [] }],
      middleware: [admin] as const,
      request: {
        params: z.object({ email: EmailParam }),
        body: { required: true, content: { "application/json": { schema: RecipientPatchSchema } } },
      },
      responses: { 200: json(RecipientOut, "The recipient as it is now"), ...notFound("recipient"), ...authErrors },
    }),
    async (c) => {
      const email = c.req.valid("param").email.toLowerCase();
      const updated = await deps.recipients.update(email, c.req.valid("json"), deps.clock.now().toISOString());
      return c.json(updated, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "delete",
      path: "/api/recipients/{email}",
      operationId: "deleteRecipient",
      tags: ["recipients"],
      summary: "Delete a recipient",
      security: [{ Bearer: [] }],
      middleware: [admin] as const,
      request: { params: z.object({ email: EmailParam }) },
      responses: { 204: { description: "Deleted" }, ...notFound("recipient"), ...authErrors },
    }),
    async (c) => {
      await deps.recipients.delete(c.req.valid("param").email.toLowerCase());
      return c.body(null, 204);
    },
  );
  return app;
}
