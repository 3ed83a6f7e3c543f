import { z } from "@hono/zod-openapi";
import {
  DELIVERY_STATUSES,
  OUTCOMES,
  PRE_SEND_CHECK_IDS,
  PRE_SEND_CHECK_STATUSES,
  SEND_STATUSES,
  TIERS,
} from "@bulletin/core";
import { keyed, TierInput } from "./common.ts";

// Sends: the request, its progress, the dry run, each delivery and the report per organisation.
// Every status, outcome and tier is core's list (send-model.ts, organisation-report.ts,
// pre-send-checks.ts), so a status core adds is accepted and documented here at once.

export const SendRequestSchema = z
  .object({
    tiers: z.array(TierInput).min(1).max(3).optional(),
    only: z.array(z.string().trim().min(3).max(254)).min(1).max(500).optional(),
    test: z.boolean().optional(),
    resend: z.boolean().optional(),
    /** Also mail the "maybe received" (an earlier send's delivery ended unknown): they may get the issue twice. */
    includeMaybeReceived: z.boolean().optional(),
    scheduledAt: z.iso.datetime({ offset: true }).optional(),
    dryRun: z.boolean().optional(),
    /** A real send of an issue without an issue number (期号) is refused unless this is true. */
    confirmNoNumber: z.boolean().optional(),
  })
  .strict()
  .refine((r) => !r.test || (r.only?.length ?? 0) > 0, {
    message: "a test send needs the addresses in only",
    path: ["only"],
  })
  .refine((r) => !r.test || (r.only?.length ?? 0) <= 50, {
    message: "a test send goes to at most 50 addresses",
    path: ["only"],
  })
  .refine((r) => !r.resend || r.only, { message: "resend needs the addresses in only", path: ["resend"] })
  .openapi("SendRequest");

const EngagementSchema = z.object({
  opened: z.number().int(),
  openedFirst: z.number().int(),
  clicked: z.number().int(),
  clickedFirst: z.number().int(),
});
const TotalsSchema = z.record(z.enum(DELIVERY_STATUSES), z.number().int());

export const SendStatusSchema = z
  .object({
    id: z.string(),
    status: z.enum(SEND_STATUSES),
    pauseReason: z.string().optional(),
    issueId: z.string(),
    tiers: z.array(z.enum(TIERS)),
    test: z.boolean(),
    only: z.array(z.string()).optional(),
    includeMaybeReceived: z.boolean().optional(),
    total: z.number().int(),
    createdAt: z.string(),
    scheduledAt: z.string().optional(),
    startedAt: z.string().optional(),
    finishedAt: z.string().optional(),
    totals: TotalsSchema,
    byTier: keyed(TIERS, TotalsSchema),
    rate: z.number(),
    /**
     * People's opens and clicks by tier (events, each counted once, and deliveries with at least
     * one), and apart, `automated`: those a link scanner made (it clicked the invisible canary link
     * within minutes of them). On GET /api/sends/{id} only.
     */
    engagement: keyed(TIERS, EngagementSchema)
      .extend({
        automated: z.object({ opened: z.number().int(), clicked: z.number().int(), canaryClicks: z.number().int() }),
      })
      .optional(),
  })
  .openapi("SendStatus");

export const DryRunSchema = z
  .object({
    dryRun: z.literal(true),
    /** What the secretariat should look at first, as codes: "send.no-issue-number", "send.printed-list-missing", "send.email-too-heavy" (photos embedded: over 1.5 MB). */
    warnings: z.array(z.string()),
    counts: keyed(TIERS, z.number().int()),
    skipped: z.array(z.object({ email: z.string(), tier: z.enum(TIERS), reason: z.string() })),
    /** Each tier's printed 报/发/送 entries: covered by an active recipient's organisation, missing (a warning), or a group word. */
    coverage: z.record(
      z.enum(TIERS),
      z.object({
        listed: z.array(z.string()),
        covered: z.array(z.string()),
        missing: z.array(z.string()),
        groups: z.array(z.string()),
      }),
    ),
    /** Who maybe received the issue already: skipped, or counted when the send includes them. */
    maybeReceived: z.array(z.string()),
    /**
     * The pre-send checks over the tiers that would go out, in this order: html-size (each tier's
     * HTML under Gmail's 102 KB), links (absolute; https outside the local stack), placeholders (none
     * left unfilled), image-alt, subject-length, dkim (the sender domain's, from SES). The reason is
     * in Chinese. A fail does not stop a send.
     */
    checks: z.array(
      z
        .object({ id: z.enum(PRE_SEND_CHECK_IDS), status: z.enum(PRE_SEND_CHECK_STATUSES), reason: z.string() })
        .openapi("PreSendCheck"),
    ),
  })
  .openapi("DryRun");

export const DeliverySchema = z
  .object({
    sendId: z.string(),
    email: z.string(),
    tier: z.enum(TIERS),
    status: z.enum(DELIVERY_STATUSES),
    reason: z.string().optional(),
    sesMessageId: z.string().optional(),
    attempts: z.number().int(),
    lastError: z.string().optional(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi("Delivery");

const OutcomeCounts = keyed(OUTCOMES, z.number().int()).extend({ total: z.number().int() });

export const OrganisationReportSchema = z
  .object({
    sendId: z.string(),
    issueId: z.string(),
    organisations: z.array(
      z.object({
        tier: z.enum(TIERS),
        /** "" when the recipient is no longer on the list. */
        organization: z.string(),
        /** Named on the issue's printed 报/发/送 line for the tier. */
        listed: z.boolean(),
        /** unsubscribed: skipped because they left the list; pending: queued or being sent. */
        counts: OutcomeCounts,
        recipients: z.array(
          z.object({
            email: z.string(),
            name: z.string(),
            role: z.string(),
            status: z.enum(DELIVERY_STATUSES),
            outcome: z.enum(OUTCOMES),
            reason: z.string().optional(),
            updatedAt: z.string().optional(),
          }),
        ),
      }),
    ),
  })
  .openapi("OrganisationReport");
