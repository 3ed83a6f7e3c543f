import { z } from "@hono/zod-openapi";
import { IMPORT_FORMATS, IssueSchema, TIERS } from "@bulletin/core";
import { keyed, named, safeText } from "./common.ts";

// Issues: their import (a body, or a PDF uploaded first), summaries, outline and corrections.

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
    distribution: keyed(TIERS, z.number().int()),
  })
  .openapi("IssueOutline");

export const IssueSummarySchema = z
  .object({
    id: z.string(),
    label: z.string(),
    format: z.enum(IMPORT_FORMATS),
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
