import { z } from "@hono/zod-openapi";
import {
  IssueSchema,
  PRE_SEND_CHECK_IDS,
  RECIPIENT_STATUSES,
  RecipientSchema,
  ROLES,
  SesEventSchema,
  SUPPRESSION_REASONS,
  TIER_ALIASES,
  TIERS,
} from "@bulletin/core";

// The API's request and response shapes. Core's zod schemas are reused as they are, so what the API
// accepts and documents is exactly what the domain validates.

/**
 * A core schema, made namable: core's schemas may be built before @hono/zod-openapi extends zod (the
 * import order decides), and zod 4 gives a schema its methods when it is built, so theirs may lack
 * `.openapi`. A lazy wrapper is built here, after the extension, and validates exactly as the schema.
 */
function named<T extends z.ZodType>(schema: T) {
  return z.lazy(() => schema);
}

export const ErrorSchema = z.object({ error: z.string(), message: z.string() }).openapi("Error");

/** A tier as the API takes it: report, distribute, copy, or as the printed footer names them, 报, 发, 送. */
export const TierInput = z.enum([...TIERS, "报", "发", "送"]).transform((t) => TIER_ALIASES[t]!);

export const TierParam = TierInput.openapi({ param: { name: "tier", in: "path" }, example: "report" });

export const IssueOutlineSchema = z
  .object({
    sections: z.array(
      z.object({
        name: z.string().nullable(),
        articles: z.array(
          z.object({
            kicker: z.string().optional(),
            title: z.string(),
            subtitle: z.string().optional(),
            authors: z.array(z.string()),
            paragraphs: z.number().int(),
            figures: z.number().int().optional(),
          }),
        ),
      }),
    ),
    distribution: z.object({ report: z.number().int(), distribute: z.number().int(), copy: z.number().int() }),
  })
  .openapi("IssueOutline");

export const IssueSummarySchema = z
  .object({
    id: z.string(),
    label: z.string(),
    format: z.enum(["pdf", "text", "markdown", "json"]),
    createdAt: z.string(),
    readyAt: z.string().optional(),
    publishedAt: z.string().optional(),
    /** The original PDF, kept with the issue and served at /archive/<id>/original.pdf. */
    original: z.object({ size: z.number().int() }).optional(),
    articles: z.number().int(),
    /** The masthead: the bulletin's name, the issue number and date (absent when the issue has none). */
    masthead: z
      .object({ title: z.string().optional(), number: z.string().optional(), date: z.string().optional() })
      .optional(),
  })
  .openapi("IssueSummary");

/** PATCH /api/issues/{id}: each masthead field given is set, "" removes it. */
export const IssuePatchSchema = z
  .object({
    masthead: z
      .object({ title: safeText(60), number: safeText(40), date: safeText(40) })
      .partial()
      .strict()
      .refine((m) => Object.keys(m).length > 0, "nothing to change"),
  })
  .strict()
  .openapi("IssuePatch");

export const CreatedIssueSchema = IssueSummarySchema.extend({
  outline: IssueOutlineSchema,
  warnings: z.array(z.string()),
  /** A PDF's photos that could not be imported (each with a warning). */
  imagesSkipped: z.number().int().optional(),
}).openapi("CreatedIssue");

/** PATCH /api/issues/{id}/figures/{article}/{figure}: the alt text and caption ("" removes the caption). */
export const FigurePatchSchema = z
  .object({ alt: safeText(200).min(1), caption: safeText(200) })
  .partial()
  .strict()
  .refine((f) => Object.keys(f).length > 0, "nothing to change")
  .openapi("FigurePatch");

/** Which figure: the article's number across the issue (1-based, as the outline and the email count), its figure's place (0-based). */
export const FigureParamsSchema = z.object({
  id: z.string().min(1).max(100),
  article: z.coerce.number().int().min(1).max(10_000),
  figure: z.coerce.number().int().min(0).max(1_000),
});

/** POST /api/issues with a JSON body naming an upload made through POST /api/uploads. */
export const UploadedIssueSchema = z
  .object({ upload: z.string().min(1).max(200) })
  .strict()
  .openapi("UploadedIssue");

export const UploadRequestSchema = z
  .object({
    contentType: z.literal("application/pdf"),
    size: z.number().int().min(1),
    name: z.string().max(255).optional(),
  })
  .strict()
  .openapi("UploadRequest");

export const UploadTicketSchema = z
  .object({
    key: z.string(),
    url: z.string(),
    method: z.literal("PUT"),
    headers: z.record(z.string(), z.string()),
    expiresAt: z.string(),
    maxSize: z.number().int(),
  })
  .openapi("UploadTicket");

/** Issue JSON: what GET /api/issues/{id} returns in `issue`, and what POST /api/issues takes back. */
export const IssueJsonSchema = named(IssueSchema).openapi("Issue", {
  description:
    "Issue JSON: the masthead, the sections with their articles, and the 报/发/送 distribution (see the README)",
});

export const StoredIssueSchema = IssueSummarySchema.extend({ issue: IssueJsonSchema }).openapi("StoredIssue");

export const PageQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).optional().openapi({ example: 50 }),
  cursor: z.string().max(2000).optional(),
});

export const RecipientQuerySchema = PageQuerySchema.extend({
  tier: TierInput.optional(),
  status: z.enum(RECIPIENT_STATUSES).optional(),
  q: z.string().max(100).optional(),
});

export const RecipientOut = RecipientSchema;

export const EmailParam = z
  .string()
  .min(3)
  .max(254)
  .openapi({ param: { name: "email", in: "path" }, example: "office@cace.example.org" });

// Strict like every other request body: an unknown field is refused, not silently dropped.
export const TokenRequestSchema = z
  .object({
    role: z.enum(ROLES),
    label: z.string().min(1).max(100),
    /** After this time the token is refused (ISO 8601 with an offset); absent: it never expires. */
    expiresAt: z.iso.datetime({ offset: true }).optional(),
  })
  .strict()
  .openapi("TokenRequest");

/** A token as GET /api/tokens lists it: never the secret, nor its hash. */
export const TokenSummarySchema = z
  .object({
    id: z.string(),
    role: z.enum(ROLES),
    label: z.string(),
    createdAt: z.string(),
    lastUsedAt: z.string().optional(),
    expiresAt: z.string().optional(),
    /** True once expiresAt has passed: the token is refused. */
    expired: z.boolean(),
  })
  .openapi("TokenSummary");
export const TokenCreatedSchema = TokenSummarySchema.extend({ token: z.string() }).openapi("TokenCreated");

/** A page of items with an opaque cursor for the next. */
export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), cursor: z.string().optional() });
}

/**
 * Text for a field that ends up in emails and headers: no control characters, no line breaks, no
 * U+FFFD (text already garbled). The ranges are \p{Cc} spelled out, without the u flag: the OpenAPI
 * document prints a u-flagged pattern with "/u" appended, a pattern no string matches, so clients
 * validating by it refused every name.
 */
function safeText(max: number) {
  return z
    .string()
    .trim()
    .max(max)
    .regex(/^[^\u0000-\u001f\u007f-\u009f\u2028\u2029\ufffd]*$/, "no control characters or line breaks");
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
    rejected: z.array(
      z.object({
        line: z.number().int(),
        reason: z.string(),
        code: z.string(),
        details: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
        email: z.string().optional(),
      }),
    ),
  })
  .openapi("RecipientImportReport");

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
const TotalsSchema = z.record(
  z.enum(["queued", "sending", "sent", "delivered", "bounced", "complained", "failed", "skipped", "unknown"]),
  z.number().int(),
);

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
    /**
     * People's opens and clicks by tier (events, each counted once, and deliveries with at least
     * one), and apart, `automated`: those a link scanner made (it clicked the invisible canary link
     * within minutes of them). On GET /api/sends/{id} only.
     */
    engagement: z
      .object({
        report: EngagementSchema,
        distribute: EngagementSchema,
        copy: EngagementSchema,
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
    counts: z.object({ report: z.number().int(), distribute: z.number().int(), copy: z.number().int() }),
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
        .object({ id: z.enum(PRE_SEND_CHECK_IDS), status: z.enum(["pass", "warn", "fail"]), reason: z.string() })
        .openapi("PreSendCheck"),
    ),
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

export const SuppressionLiftSchema = SuppressionSchema.extend({ liftedBy: z.string(), liftedAt: z.string() }).openapi(
  "SuppressionLift",
);

export const SuppressRequestSchema = z
  .object({ email: z.string().min(3).max(254), detail: safeText(500).optional() })
  .strict()
  .openapi("SuppressRequest");

const OutcomeCounts = z.object({
  delivered: z.number().int(),
  sent: z.number().int(),
  bounced: z.number().int(),
  complained: z.number().int(),
  failed: z.number().int(),
  unsubscribed: z.number().int(),
  skipped: z.number().int(),
  unknown: z.number().int(),
  pending: z.number().int(),
  total: z.number().int(),
});

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
            status: z.enum([
              "queued",
              "sending",
              "sent",
              "delivered",
              "bounced",
              "complained",
              "failed",
              "skipped",
              "unknown",
            ]),
            outcome: z.enum([
              "delivered",
              "sent",
              "bounced",
              "complained",
              "failed",
              "unsubscribed",
              "skipped",
              "unknown",
              "pending",
            ]),
            reason: z.string().optional(),
            updatedAt: z.string().optional(),
          }),
        ),
      }),
    ),
  })
  .openapi("OrganisationReport");

/** An SNS message as SNS delivers it to an HTTP endpoint or a queue: the SES event is `Message`, as JSON text. */
export const SnsMessageSchema = z
  .object({
    Type: z.enum(["Notification", "SubscriptionConfirmation", "UnsubscribeConfirmation"]),
    Message: z.string().openapi({ description: "The SES event, as JSON text (a Notification)" }).optional(),
    MessageId: z.string().optional(),
    TopicArn: z.string().optional(),
    SubscribeURL: z.string().optional(),
  })
  .loose()
  .openapi("SnsMessage", {
    description:
      "An SNS envelope: a Notification carries one SES event; a (Un)SubscriptionConfirmation is reported, not applied",
  });

/** One item of an SES event export: an event, or the SNS envelope around one. */
export const SesEventItemSchema = z
  .union([
    named(SesEventSchema).openapi("SesEvent", {
      description:
        "An SES event as event publishing sends it (an identity notification, which says notificationType for eventType, is read too)",
    }),
    SnsMessageSchema,
  ])
  .openapi("SesEventItem");

/** POST /api/events as JSON: an array of events (SES's own export), or one. */
export const SesEventBatchSchema = z.union([z.array(SesEventItemSchema), SesEventItemSchema]).openapi("SesEventBatch");
