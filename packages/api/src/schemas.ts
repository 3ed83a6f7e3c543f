import { z } from "@hono/zod-openapi";
import { IssueSchema, RECIPIENT_STATUSES, RecipientSchema, ROLES, SUPPRESSION_REASONS, TIERS } from "@bulletin/core";

// The API's request and response shapes. Core's zod schemas are reused as they are, so what the API
// accepts and documents is exactly what the domain validates.

export const ErrorSchema = z
  .object({ error: z.string(), message: z.string() })
  .openapi("Error");

export const TierParam = z.enum(TIERS).openapi({ param: { name: "tier", in: "path" }, example: "report" });

export const IssueOutlineSchema = z
  .object({
    sections: z.array(
      z.object({
        name: z.string().nullable(),
        articles: z.array(
          z.object({ kicker: z.string().optional(), title: z.string(), subtitle: z.string().optional(), authors: z.array(z.string()), paragraphs: z.number().int() }),
        ),
      }),
    ),
    distribution: z.object({ report: z.number().int(), distribute: z.number().int(), copy: z.number().int() }),
  })
  .openapi("IssueOutline");

export const IssueSummarySchema = z
  .object({ id: z.string(), label: z.string(), format: z.enum(["text", "markdown", "json"]), createdAt: z.string(), readyAt: z.string().optional(), publishedAt: z.string().optional(), articles: z.number().int() })
  .openapi("IssueSummary");

export const CreatedIssueSchema = IssueSummarySchema.extend({ outline: IssueOutlineSchema, warnings: z.array(z.string()) }).openapi("CreatedIssue");

export const StoredIssueSchema = IssueSummarySchema.extend({ issue: IssueSchema }).openapi("StoredIssue");

export const PageQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).optional().openapi({ example: 50 }),
  cursor: z.string().max(2000).optional(),
});

export const RecipientQuerySchema = PageQuerySchema.extend({
  tier: z.enum(TIERS).optional(),
  status: z.enum(RECIPIENT_STATUSES).optional(),
  q: z.string().max(100).optional(),
});

export const RecipientOut = RecipientSchema;

export const EmailParam = z.string().min(3).max(254).openapi({ param: { name: "email", in: "path" }, example: "office@cace.example.org" });

// Strict like every other request body: an unknown field is refused, not silently dropped.
export const TokenRequestSchema = z.object({ role: z.enum(ROLES), label: z.string().min(1).max(100) }).strict().openapi("TokenRequest");
export const TokenCreatedSchema = TokenRequestSchema.extend({ token: z.string() }).openapi("TokenCreated");

/** A page of items with an opaque cursor for the next. */
export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), cursor: z.string().optional() });
}

/**
 * Text for a field that ends up in emails and headers: no control characters, no line breaks. The
 * ranges are \p{Cc} spelled out, without the u flag: the OpenAPI document prints a u-flagged pattern
 * with "/u" appended, a pattern no string matches, so clients validating by it refused every name.
 */
function safeText(max: number) {
  return z.string().trim().max(max).regex(/^[^\u0000-\u001f\u007f-\u009f\u2028\u2029]*$/, "no control characters or line breaks");
}

export const RecipientPatchSchema = z
  .object({
    name: safeText(100),
    organization: safeText(200),
    role: safeText(100),
    tier: z.enum(TIERS),
    status: z.enum(RECIPIENT_STATUSES),
  })
  .partial()
  .strict()
  .refine((p) => Object.keys(p).length > 0, "nothing to change")
  .openapi("RecipientPatch");

export const ImportReportSchema = z
  .object({
    created: z.number().int(),
    updated: z.number().int(),
    unchanged: z.number().int(),
    skipped: z.array(z.object({ line: z.number().int(), email: z.string(), reason: z.string() })),
    rejected: z.array(z.object({ line: z.number().int(), reason: z.string(), email: z.string().optional() })),
  })
  .openapi("RecipientImportReport");

export const SendRequestSchema = z
  .object({
    tiers: z.array(z.enum(TIERS)).min(1).max(3).optional(),
    only: z.array(z.string().trim().min(3).max(254)).min(1).max(500).optional(),
    test: z.boolean().optional(),
    resend: z.boolean().optional(),
    /** Also mail the "maybe received" (an earlier send's delivery ended unknown): they may get the issue twice. */
    includeMaybeReceived: z.boolean().optional(),
    scheduledAt: z.iso.datetime({ offset: true }).optional(),
    dryRun: z.boolean().optional(),
  })
  .strict()
  .refine((r) => !r.test || (r.only?.length ?? 0) > 0, { message: "a test send needs the addresses in only", path: ["only"] })
  .refine((r) => !r.test || (r.only?.length ?? 0) <= 50, { message: "a test send goes to at most 50 addresses", path: ["only"] })
  .refine((r) => !r.resend || r.only, { message: "resend needs the addresses in only", path: ["resend"] })
  .openapi("SendRequest");

const TotalsSchema = z.record(z.enum(["queued", "sending", "sent", "delivered", "bounced", "complained", "failed", "skipped", "unknown"]), z.number().int());

export const SendStatusSchema = z
  .object({
    id: z.string(),
    status: z.enum(["scheduled", "dispatching", "sending", "paused", "finished", "cancelled"]),
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
    byTier: z.object({ report: TotalsSchema, distribute: TotalsSchema, copy: TotalsSchema }),
    rate: z.number(),
    /** Opens and clicks by tier (events in total, and deliveries with at least one); on GET /api/sends/{id} only. */
    engagement: z.record(z.enum(TIERS), z.object({ opened: z.number().int(), openedFirst: z.number().int(), clicked: z.number().int(), clickedFirst: z.number().int() })).optional(),
  })
  .openapi("SendStatus");

export const DryRunSchema = z
  .object({
    dryRun: z.literal(true),
    counts: z.object({ report: z.number().int(), distribute: z.number().int(), copy: z.number().int() }),
    skipped: z.array(z.object({ email: z.string(), tier: z.enum(TIERS), reason: z.string() })),
    /** Who maybe received the issue already: skipped, or counted when the send includes them. */
    maybeReceived: z.array(z.string()),
  })
  .openapi("DryRun");

export const DeliverySchema = z
  .object({
    sendId: z.string(),
    email: z.string(),
    tier: z.enum(TIERS),
    status: z.enum(["queued", "sending", "sent", "delivered", "bounced", "complained", "failed", "skipped", "unknown"]),
    reason: z.string().optional(),
    sesMessageId: z.string().optional(),
    attempts: z.number().int(),
    lastError: z.string().optional(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi("Delivery");

export const SuppressionSchema = z
  .object({
    email: z.string(),
    reason: z.enum(SUPPRESSION_REASONS),
    detail: z.string().optional(),
    source: z.string().optional(),
    createdAt: z.string(),
  })
  .openapi("Suppression");

export const SuppressionLiftSchema = SuppressionSchema.extend({ liftedBy: z.string(), liftedAt: z.string() }).openapi("SuppressionLift");

export const SuppressRequestSchema = z.object({ email: z.string().min(3).max(254), detail: safeText(500).optional() }).strict().openapi("SuppressRequest");
