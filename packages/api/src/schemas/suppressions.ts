import { z } from "@hono/zod-openapi";
import { SUPPRESSION_REASONS } from "@bulletin/core";
import { safeText } from "./common.ts";

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
