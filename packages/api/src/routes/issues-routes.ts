import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import {
  charsetOf,
  editFigure,
  editMasthead,
  type ImportFormat,
  importIssueFile,
  type Issue,
  outlineOf,
  storeImportedIssue,
} from "@bulletin/core";
import { HTTPException } from "hono/http-exception";
import type { ApiDeps } from "../api-deps.ts";
import { authErrors, found, json, notFound } from "./responses.ts";
import { requireRole } from "../auth/require-role.ts";
import {
  CreatedIssueSchema,
  ErrorSchema,
  IssueJsonSchema,
  UploadedIssueSchema,
  FigureParamsSchema,
  FigurePatchSchema,
  IssuePatchSchema,
  IssueSummarySchema,
  PageQuerySchema,
  pageOf,
  StoredIssueSchema,
  TierParam,
} from "../schemas/index.ts";
import { importUpload, uploadOf } from "./uploads-routes.ts";

/** The media types POST /api/issues takes, and the format each names. */
const FORMAT_BY_TYPE: Record<string, ImportFormat> = {
  "application/pdf": "pdf",
  "application/json": "json",
  "text/markdown": "markdown",
  "text/x-markdown": "markdown",
  "text/plain": "text",
};

/**
 * /api/issues: import a bulletin (its PDF, directly or through an upload, the PDF's text, Markdown or
 * Issue JSON), list and read stored issues, and preview the email of a tier.
 */
export function issuesRoutes(deps: ApiDeps) {
  const app = new OpenAPIHono();
  const viewer = requireRole(deps.tokens, "viewer");
  const secretariat = requireRole(deps.tokens, "secretariat");
  // The two shapes of an Issue JSON body, referenced by POST /api/issues.
  app.openAPIRegistry.register("Issue", IssueJsonSchema);
  app.openAPIRegistry.register("UploadedIssue", UploadedIssueSchema);

  app.openapi(
    createRoute({
      method: "post",
      path: "/api/issues",
      operationId: "importIssue",
      tags: ["issues"],
      summary:
        "Import an issue: the bulletin PDF (up to 30 MB; larger than 6 MB on AWS through POST /api/uploads), its text, Markdown, or Issue JSON",
      security: [{ Bearer: [] }],
      middleware: [secretariat] as const,
      request: {
        body: {
          required: true,
          content: {
            "application/pdf": {
              schema: z
                .string()
                .openapi({ format: "binary", description: "The bulletin PDF as the word processor saved it" }),
            },
            "text/plain": {
              schema: z.string().openapi({
                description:
                  "The text extracted from the PDF: UTF-8, UTF-16 with a BOM, or GB18030/GBK (a declared charset first)",
                example: "【协会消息】\n…",
              }),
            },
            "text/markdown": {
              schema: z
                .string()
                .openapi({ description: "The issue as Markdown (what `bulletin issues import --out` writes)" }),
            },
            "text/x-markdown": {
              schema: z.string().openapi({ description: "The same Markdown, as older tools label it" }),
            },
            // Validated by the importer (field paths in its messages), not here: zod only parses the JSON.
            "application/json": {
              schema: z.unknown().openapi({
                description: 'Issue JSON, or {"upload": key} for a PDF uploaded through POST /api/uploads',
                oneOf: [{ $ref: "#/components/schemas/Issue" }, { $ref: "#/components/schemas/UploadedIssue" }],
              }),
            },
          },
        },
      },
      responses: {
        201: json(CreatedIssueSchema, "Stored; its outline, to check the parse"),
        ...authErrors,
        413: json(ErrorSchema, "The PDF is over 30 MB"),
        415: json(ErrorSchema, "Not a PDF, text, Markdown or JSON body"),
      },
    }),
    async (c) => {
      const type = (c.req.header("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
      const format = FORMAT_BY_TYPE[type];
      if (!format)
        throw new HTTPException(415, {
          message: `send the PDF (application/pdf), its text (text/plain), Markdown (text/markdown) or Issue JSON (application/json), not ${type || "no content type"}`,
        });
      const body = new Uint8Array(await c.req.arrayBuffer());
      const upload = format === "json" ? uploadOf(body) : undefined;
      const { result, original } =
        upload !== undefined
          ? await importUpload(upload, deps)
          : {
              result: await importIssueFile(
                body,
                { format, ...optional(charsetOf(c.req.header("content-type"))) },
                deps,
              ),
              original: body,
            };
      const { issue: _issue, ...summary } = await storeImportedIssue(result, deps, original);
      if (upload !== undefined) await deps.files.delete(upload);
      return c.json(
        {
          ...summary,
          articles: countArticles(result.issue),
          ...(result.issue.masthead ? { masthead: result.issue.masthead } : {}),
          outline: outlineOf(result.issue),
          warnings: result.warnings,
          ...(result.imagesSkipped ? { imagesSkipped: result.imagesSkipped } : {}),
        },
        201,
      );
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/issues",
      operationId: "listIssues",
      tags: ["issues"],
      summary: "Stored issues, newest first",
      security: [{ Bearer: [] }],
      middleware: [viewer] as const,
      request: { query: PageQuerySchema },
      responses: { 200: json(pageOf(IssueSummarySchema), "A page of issues"), ...authErrors },
    }),
    async (c) => c.json(await deps.issues.list(c.req.valid("query")), 200),
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/issues/{id}",
      operationId: "getIssue",
      tags: ["issues"],
      summary: "One stored issue, with its Issue JSON",
      security: [{ Bearer: [] }],
      middleware: [viewer] as const,
      request: { params: z.object({ id: z.string().min(1).max(100) }) },
      responses: { 200: json(StoredIssueSchema, "The issue"), ...authErrors, ...notFound("issue") },
    }),
    async (c) => {
      const id = c.req.valid("param").id;
      const stored = found(await deps.issues.get(id), "issue.not-found", `no issue ${id}`);
      // Parsed on the way out too: the response is exactly the documented shape.
      return c.json(
        StoredIssueSchema.parse({
          ...stored,
          articles: countArticles(stored.issue),
          ...(stored.issue.masthead ? { masthead: stored.issue.masthead } : {}),
        }),
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: "patch",
      path: "/api/issues/{id}",
      operationId: "updateIssueMasthead",
      tags: ["issues"],
      summary:
        "Change the issue's masthead: {masthead: {title?, number?, date?}} (\"\" removes a field); every later email's subject uses it",
      security: [{ Bearer: [] }],
      middleware: [secretariat] as const,
      request: {
        params: z.object({ id: z.string().min(1).max(100) }),
        body: { required: true, content: { "application/json": { schema: IssuePatchSchema } } },
      },
      responses: {
        200: json(IssueSummarySchema, "The issue as it is now"),
        409: json(ErrorSchema, "The issue changed meanwhile"),
        ...authErrors,
        ...notFound("issue"),
      },
    }),
    async (c) => c.json(await editMasthead(c.req.valid("param").id, c.req.valid("json").masthead, deps), 200),
  );

  const figureResponses = {
    200: json(IssueSummarySchema, "The issue as it is now"),
    409: json(ErrorSchema, "The issue changed meanwhile"),
    ...authErrors,
    ...notFound("issue or figure"),
  };
  app.openapi(
    createRoute({
      method: "patch",
      path: "/api/issues/{id}/figures/{article}/{figure}",
      operationId: "updateFigure",
      tags: ["issues"],
      summary:
        'Change a figure\'s alt text or caption ("" removes the caption): article is its number in the issue (1-based), figure its place in the article (0-based)',
      security: [{ Bearer: [] }],
      middleware: [secretariat] as const,
      request: {
        params: FigureParamsSchema,
        body: { required: true, content: { "application/json": { schema: FigurePatchSchema } } },
      },
      responses: figureResponses,
    }),
    async (c) => {
      const { id, article, figure } = c.req.valid("param");
      return c.json(await editFigure(id, { article, figure }, c.req.valid("json"), deps), 200);
    },
  );
  app.openapi(
    createRoute({
      method: "delete",
      path: "/api/issues/{id}/figures/{article}/{figure}",
      operationId: "deleteFigure",
      tags: ["issues"],
      summary: "Remove a figure from its article (its picture is no longer served)",
      security: [{ Bearer: [] }],
      middleware: [secretariat] as const,
      request: { params: FigureParamsSchema },
      responses: figureResponses,
    }),
    async (c) => {
      const { id, article, figure } = c.req.valid("param");
      return c.json(await editFigure(id, { article, figure }, { remove: true }, deps), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/api/issues/{id}/ready",
      operationId: "setIssueReady",
      tags: ["issues"],
      summary: "Mark the issue ready (or not) for the monthly scheduled send",
      security: [{ Bearer: [] }],
      middleware: [secretariat] as const,
      request: {
        params: z.object({ id: z.string().min(1).max(100) }),
        body: {
          required: true,
          content: { "application/json": { schema: z.object({ ready: z.boolean() }).strict() } },
        },
      },
      responses: {
        200: json(IssueSummarySchema, "The issue, with readyAt when ready"),
        ...authErrors,
        ...notFound("issue"),
      },
    }),
    async (c) => {
      const { ready } = c.req.valid("json");
      const summary = await deps.issues.setReady(
        c.req.valid("param").id,
        ready ? deps.clock.now().toISOString() : null,
      );
      return c.json(summary, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/api/issues/{id}/public",
      operationId: "setIssuePublic",
      tags: ["issues"],
      summary: "Publish the issue on the public web archive (/archive and its Atom feed), or withdraw it",
      security: [{ Bearer: [] }],
      middleware: [secretariat] as const,
      request: {
        params: z.object({ id: z.string().min(1).max(100) }),
        body: {
          required: true,
          content: { "application/json": { schema: z.object({ public: z.boolean() }).strict() } },
        },
      },
      responses: {
        200: json(IssueSummarySchema, "The issue, with publishedAt when public"),
        ...authErrors,
        ...notFound("issue"),
      },
    }),
    async (c) => {
      const summary = await deps.issues.setPublished(
        c.req.valid("param").id,
        c.req.valid("json").public ? deps.clock.now().toISOString() : null,
      );
      return c.json(summary, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/issues/{id}/preview/{tier}",
      operationId: "previewIssueEmail",
      tags: ["issues"],
      summary: "The email of a tier, as a sample recipient of that tier gets it",
      security: [{ Bearer: [] }],
      middleware: [viewer] as const,
      request: { params: z.object({ id: z.string().min(1).max(100), tier: TierParam }) },
      responses: {
        200: { content: { "text/html": { schema: z.string() } }, description: "The email's HTML" },
        ...authErrors,
        ...notFound("issue"),
      },
    }),
    async (c) => {
      const { id, tier } = c.req.valid("param");
      const stored = found(await deps.issues.get(id), "issue.not-found", `no issue ${id}`);
      const organization = stored.issue.distribution[tier][0];
      const email = (
        await deps.renderer.prepare(stored.issue, tier, { originalPdf: stored.original !== undefined })
      ).personalise(
        { email: "recipient@example.com", name: "示例收件人", ...(organization ? { organization } : {}) },
        {
          viewOnlineUrl: `${deps.publicUrl}/archive/${encodeURIComponent(id)}`,
          unsubscribeUrl: `${deps.publicUrl}/unsubscribe/preview`,
        },
      );
      return c.html(email.html, 200);
    },
  );
  return app;
}

function countArticles(issue: Issue): number {
  return issue.sections.reduce((n, s) => n + s.articles.length, 0);
}

const optional = (encoding: string | undefined) => (encoding === undefined ? {} : { encoding });
