import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { mapLimit, parseSesEventText, RetryableError } from "@bulletin/core";
import type { ApiDeps } from "../api-deps.ts";
import { requireRole } from "../auth/require-role.ts";
import { requestText } from "../request-text.ts";
import { authErrors, json } from "./responses.ts";

/** Events applied at once by a replay: enough to hide DynamoDB round trips. */
const EVENTS_IN_FLIGHT = 8;

const ReportSchema = z
  .object({
    applied: z.number().int(),
    duplicate: z.number().int(),
    unmatched: z.number().int(),
    ignored: z.number().int(),
    invalid: z.array(z.object({ index: z.number().int(), reason: z.string() })),
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
      summary: "Replay SES events (JSON array, JSON lines or SNS envelopes) through the event handler",
      security: [{ Bearer: [] }],
      middleware: [requireRole(deps.tokens, "admin")] as const,
      request: { body: { required: true, content: { "text/plain": { schema: z.string() }, "application/x-ndjson": { schema: z.string() } } } },
      responses: { 200: json(ReportSchema, "How many events were applied, duplicate, unmatched, ignored, and which were invalid"), ...authErrors },
    }),
    async (c) => {
      const parsed = parseSesEventText(await requestText(c, "utf-8"));
      const report = { applied: 0, duplicate: 0, unmatched: 0, ignored: 0, invalid: [...parsed.invalid] };
      // Several at a time: each event is a few conditional writes, and the order does not matter
      // (a delivery only ever moves forward, so any order gives the same end state).
      await mapLimit(parsed.events, EVENTS_IN_FLIGHT, async (event, i) => {
        try {
          report[(await deps.applyEvent(event)).outcome]++;
        } catch (e) {
          // A delivery still being sent: the live queue would redeliver; a replay reports it.
          if (!(e instanceof RetryableError)) throw e;
          report.invalid.push({ index: i + 1, reason: `not applied yet, try again: ${e.message}` });
        }
      });
      return c.json(report, 200);
    },
  );
  return app;
}
