import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import {
  type Engagement,
  type Tier,
  cancelSend,
  checkEmail,
  ConflictError,
  hasIssueNumber,
  DELIVERY_STATUSES,
  InvalidInputError,
  pauseSend,
  resumeSend,
  retryFailed,
  type Send,
  sendProgress,
  startSend,
  TIERS,
} from "@bulletin/core";
import type { ApiDeps } from "../api-deps.ts";
import { dryRunSend } from "@bulletin/wiring";
import { reportFileName, reportWorkbook, sendOrganisations } from "../send-report.ts";
import { type AuthEnv, requireRole } from "../auth/require-role.ts";
import {
  DeliverySchema,
  DryRunSchema,
  OrganisationReportSchema,
  TierInput,
  PageQuerySchema,
  pageOf,
  SendRequestSchema,
  SendStatusSchema,
} from "../schemas/index.ts";
import { authErrors, found, json, notFound } from "./responses.ts";

const SendIdParams = z.object({ id: z.string().min(1).max(100) });
const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
const CONTROLS = ["pause", "resume", "cancel", "retry"] as const;

/**
 * Sends: start one (or a dry run), follow it from counters, page its deliveries, and pause, resume,
 * cancel or retry its failed recipients.
 */
export function sendsRoutes(deps: ApiDeps) {
  const app = new OpenAPIHono<AuthEnv>();
  const viewer = requireRole(deps.tokens, "viewer");
  const secretariat = requireRole(deps.tokens, "secretariat");
  const status = async (send: Send) => {
    const p = await sendProgress(send, deps.deliveries, deps.clock);
    return { ...p.send, totals: p.totals, byTier: p.byTier, rate: p.rate };
  };

  app.openapi(
    createRoute({
      method: "post",
      path: "/api/issues/{id}/sends",
      operationId: "createSend",
      tags: ["sends"],
      summary: "Send an issue to its tiers (or a test send, a re-send to chosen addresses, a schedule, a dry run)",
      security: [{ Bearer: [] }],
      middleware: [secretariat] as const,
      request: {
        params: SendIdParams,
        body: { required: true, content: { "application/json": { schema: SendRequestSchema } } },
      },
      responses: {
        202: json(
          z.object({ sendId: z.string(), status: z.string() }),
          "The send was created; follow it at /api/sends/{sendId}",
        ),
        409: json(
          z.object({ error: z.string(), message: z.string() }),
          "send.no-issue-number: the issue has no number and confirmNoNumber was not given",
        ),
        200: json(DryRunSchema, "A dry run: who would get it, who would be skipped and why"),
        ...authErrors,
        ...notFound("issue"),
      },
    }),
    async (c) => {
      const issueId = c.req.valid("param").id;
      const body = c.req.valid("json");
      const stored = found(await deps.issues.get(issueId), "issue.not-found", `no issue ${issueId}`);
      const only = body.only?.map((e) => {
        const checked = checkEmail(e);
        if (!checked.ok) throw new InvalidInputError("send.only", `only: ${e}: ${checked.reason}`);
        return checked.email;
      });
      const now = deps.clock.now();
      const scheduledAt = body.scheduledAt ? new Date(body.scheduledAt) : undefined;
      if (scheduledAt && scheduledAt.getTime() < now.getTime() - 60_000)
        throw new InvalidInputError("send.scheduled-at", "scheduledAt is in the past");
      const request = {
        tiers: body.tiers ?? [...TIERS],
        ...(only ? { only } : {}),
        test: body.test ?? false,
        resend: body.resend ?? false,
        ...(body.includeMaybeReceived ? { includeMaybeReceived: true } : {}),
        ...(scheduledAt ? { scheduledAt: scheduledAt.toISOString() } : {}),
      };
      if (body.dryRun) return c.json({ dryRun: true as const, ...(await dryRunSend(deps, stored, request)) }, 200);
      // The number is what tells this month's email from last month's: sending without one is a decision.
      if (!request.test && !hasIssueNumber(stored.issue) && body.confirmNoNumber !== true) {
        throw new ConflictError(
          "send.no-issue-number",
          "the issue has no number (期号): set it with PATCH /api/issues/{id} {masthead: {number}}, or send with confirmNoNumber: true",
        );
      }
      const send = await startSend(issueId, request, deps);
      return c.json({ sendId: send.id, status: send.status }, 202);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/issues/{id}/sends",
      operationId: "listIssueSends",
      tags: ["sends"],
      summary: "The sends of an issue, newest first",
      security: [{ Bearer: [] }],
      middleware: [viewer] as const,
      request: { params: SendIdParams, query: PageQuerySchema },
      responses: { 200: json(pageOf(SendStatusSchema), "A page of sends with their totals"), ...authErrors },
    }),
    async (c) => {
      const page = await deps.sends.listByIssue(c.req.valid("param").id, c.req.valid("query"));
      return c.json(
        { items: await Promise.all(page.items.map(status)), ...(page.cursor ? { cursor: page.cursor } : {}) },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/sends/{id}",
      operationId: "getSend",
      tags: ["sends"],
      summary:
        "A send's status and totals, overall and by tier, with opens and clicks (from counters: fast at any size)",
      security: [{ Bearer: [] }],
      middleware: [viewer] as const,
      request: { params: SendIdParams },
      responses: { 200: json(SendStatusSchema, "The send"), ...authErrors, ...notFound("send") },
    }),
    async (c) => {
      const id = c.req.valid("param").id;
      const send = found(await deps.sends.get(id), "send.not-found", `no send ${id}`);
      return c.json(
        { ...(await status(send)), engagement: engagementReport(await deps.deliveries.engagement(send.id)) },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/sends/{id}/deliveries",
      operationId: "listSendDeliveries",
      tags: ["sends"],
      summary: "A send's delivery records, by status and tier, a page at a time",
      security: [{ Bearer: [] }],
      middleware: [viewer] as const,
      request: {
        params: SendIdParams,
        query: PageQuerySchema.extend({ status: z.enum(DELIVERY_STATUSES).optional(), tier: TierInput.optional() }),
      },
      responses: { 200: json(pageOf(DeliverySchema), "A page of deliveries"), ...authErrors },
    }),
    async (c) => c.json(await deps.deliveries.list(c.req.valid("param").id, c.req.valid("query")), 200),
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/sends/{id}/organisations",
      operationId: "getSendOrganisationReport",
      tags: ["sends"],
      summary:
        "The report per organisation (报送回执): per tier and organisation, its recipients and how many were delivered, bounced, complained, failed, unsubscribed, skipped or are unknown; the sums are the send's totals",
      security: [{ Bearer: [] }],
      middleware: [viewer] as const,
      request: { params: SendIdParams },
      responses: {
        200: json(OrganisationReportSchema, "Organisations, the printed 报/发/送 ones first"),
        ...authErrors,
        ...notFound("send"),
      },
    }),
    async (c) => {
      const { send, lines } = await sendOrganisations(deps, c.req.valid("param").id);
      return c.json({ sendId: send.id, issueId: send.issueId, organisations: lines }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/sends/{id}/report.xlsx",
      operationId: "downloadSendReportWorkbook",
      tags: ["sends"],
      summary:
        "The report per organisation as an Excel workbook: a sheet of organisations, one of every recipient (Chinese headers)",
      security: [{ Bearer: [] }],
      middleware: [viewer] as const,
      request: { params: SendIdParams },
      responses: {
        200: { content: { [XLSX]: { schema: z.string().openapi({ format: "binary" }) } }, description: "The workbook" },
        ...authErrors,
        ...notFound("send"),
      },
    }),
    async (c) => {
      const report = await sendOrganisations(deps, c.req.valid("param").id);
      return c.body((await reportWorkbook(report)) as Uint8Array<ArrayBuffer>, 200, {
        "Content-Type": XLSX,
        "Content-Disposition": reportFileName(report.send.id),
      });
    },
  );

  for (const action of CONTROLS) {
    app.openapi(
      createRoute({
        method: "post",
        path: `/api/sends/{id}/${action}`,
        operationId: `${action}Send`,
        tags: ["sends"],
        summary: {
          pause: "Pause a send",
          resume: "Resume a paused send",
          cancel: "Cancel a send",
          retry: "Re-queue a send's failed recipients (never the sent ones)",
        }[action],
        security: [{ Bearer: [] }],
        middleware: [secretariat] as const,
        request: { params: SendIdParams },
        responses: {
          200: json(SendStatusSchema, "The send as it is now"),
          409: json(z.object({ error: z.string(), message: z.string() }), "Not possible in the send's state"),
          ...authErrors,
          ...notFound("send"),
        },
      }),
      async (c) => {
        const id = c.req.valid("param").id;
        found(await deps.sends.get(id), "send.not-found", `no send ${id}`);
        const controls = { sends: deps.sends, deliveries: deps.deliveries, queue: deps.queue, clock: deps.clock };
        const send =
          action === "pause"
            ? await pauseSend(id, c.get("token").label, controls)
            : action === "cancel"
              ? await cancelSend(id, controls)
              : action === "resume"
                ? (await resumeSend(id, controls)).send
                : (await retryFailed(id, controls)).send;
        return c.json(await status(send), 200);
      },
    );
  }
  return app;
}

/** People's opens and clicks per tier, and the automated ones (a scanner's) apart. */
function engagementReport(e: Record<Tier, Engagement>) {
  const people = (t: Tier) => ({
    opened: e[t].opened,
    openedFirst: e[t].openedFirst,
    clicked: e[t].clicked,
    clickedFirst: e[t].clickedFirst,
  });
  const sum = (f: "automatedOpened" | "automatedClicked" | "canaryClicks") => TIERS.reduce((n, t) => n + e[t][f], 0);
  return {
    report: people("report"),
    distribute: people("distribute"),
    copy: people("copy"),
    automated: { opened: sum("automatedOpened"), clicked: sum("automatedClicked"), canaryClicks: sum("canaryClicks") },
  };
}
