import { z } from "@hono/zod-openapi";
import { ROLES } from "@bulletin/core";

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
