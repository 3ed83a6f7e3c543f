import { z } from "@hono/zod-openapi";
import { RECIPIENT_STATUSES, RecipientSchema, TIERS } from "@bulletin/core";
import { PageQuerySchema, safeText, TierInput } from "./common.ts";

// Recipients: the list's filters, one recipient and its changes, and a CSV import's report.

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
