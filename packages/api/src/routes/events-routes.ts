import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { mapLimit, parseSesEventText, RetryableError } from "@bulletin/core";
import type { ApiDeps } from "../api-deps.ts";
import { requireRole } from "../auth/require-role.ts";
import { requestText } from "../request-text.ts";
import { authErrors, documentedOnly, json } from "./responses.ts";
import { SesEventBatchSchema } from "../schemas/index.ts";

/** Events applied at once by a replay: enough to hide DynamoDB round trips. */
const EVENTS_IN_FLIGHT = 8;

const ReportSchema = z
  .object({
    applied: z.number().int(),
    duplicate: z.number().int(),
    unmatched: z.number().int(),
    ignored: z.number().int(),
    invalid: z.array(z.object({ index: z.number().int(), reason: z.string() })),
    /** Every event that found no delivery to move, with why (its position among the events, 1-based). */
    unmatchedEvents: z.array(
      z.object({
        index: z.number().int(),
        type: z.string(),
        messageId: z.string(),
        recipient: z.string(),
        reason: z.string(),
      }),
    ),
  })
  .openapi("EventIngestReport");

/**
 * POST /api/events: replays SES events (a JSON array, JSON lines as Firehose writes them, or SNS
 * envelopes) through the same handler as live events, to back-fill from an export. Never stops on
 * a bad line: it is reported with its number and reason.
 */
export function eventsRoutes(deps: ApiDeps) {
  const app = new OpenAPIHono();
  app.openapi(
    createRoute({
      method: "post",
      path: "/api/events",
      operationId: "replayEvents",
      tags: ["events"],
      summary: "Replay SES events (JSON array, JSON lines or SNS envelopes) through the event handler",
      security: [{ Bearer: [] }],
      middleware: [requireRole(deps.tokens, "admin")] as const,
      // Every type is read as text and parsed by core, which reports each bad event by its place
      // instead of refusing the export: so nothing validates the body here (documentedOnly).
      request: {
        body: {
          required: true,
          description:
            "SES events, from an export or SNS: a JSON array, one JSON object, or JSON lines (one event or SNS envelope a line, as Firehose writes them). The body is read as UTF-8 whatever its type says.",
          content: {
            "application/json": { schema: documentedOnly(app, "SesEventBatch", SesEventBatchSchema) },
            "application/x-ndjson": {
              schema: {
                type: "string",
                description: "JSON lines: one SES event or SNS envelope (SesEventItem) a line",
              },
            },
            "text/plain": { schema: { type: "string", description: "JSON lines, or a JSON array or object, as text" } },
          },
        },
      },
      responses: {
        200: json(ReportSchema, "How many events were applied, duplicate, unmatched, ignored, and which were invalid"),
        ...authErrors,
      },
    }),
    async (c) => {
      const parsed = parseSesEventText(await requestText(c, "utf-8"));
      const report = {
        applied: 0,
        duplicate: 0,
        unmatched: 0,
        ignored: 0,
        invalid: [...parsed.invalid],
        unmatchedEvents: [] as { index: number; type: string; messageId: string; recipient: string; reason: string }[],
      };
      // Several at a time: each event is a few conditional writes, and the order does not matter
      // (a delivery only ever moves forward, so any order gives the same end state).
      await mapLimit(parsed.events, EVENTS_IN_FLIGHT, async (event, i) => {
        try {
          const result = await deps.applyEvent(event);
          report[result.outcome]++;
          for (const r of result.recipients) {
            if (r.outcome === "unmatched")
              report.unmatchedEvents.push({
                index: i + 1,
                type: event.type,
                messageId: event.messageId,
                recipient: r.email,
                reason: r.reason ?? "no delivery found",
              });
          }
        } catch (e) {
          // A delivery still being sent: the live queue would redeliver; a replay reports it.
          if (!(e instanceof RetryableError)) throw e;
          report.invalid.push({ index: i + 1, reason: `not applied yet, try again: ${e.message}` });
        }
      });
      report.unmatchedEvents.sort((a, b) => a.index - b.index);
      return c.json(report, 200);
    },
  );
  return app;
}
