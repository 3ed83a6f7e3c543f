import { z } from "zod";
import { TIERS, type Tier } from "../issue/issue-schema.ts";

/**
 * A recipient: one contact of the association, in one tier. The email address is the identity
 * (lower-cased). Status only leaves "active" through an unsubscribe, a bounce or a complaint, and an
 * import never brings it back.
 */
export const RECIPIENT_STATUSES = ["active", "unsubscribed", "bounced", "complained"] as const;
export type RecipientStatus = (typeof RECIPIENT_STATUSES)[number];

/** Limits on each field (characters), also enforced by the CSV import. */
export const RECIPIENT_LIMITS = { email: 254, name: 100, organization: 200, role: 100 } as const;

export const RecipientSchema = z
  .object({
    email: z.string().min(3).max(RECIPIENT_LIMITS.email),
    name: z.string().max(RECIPIENT_LIMITS.name),
    organization: z.string().max(RECIPIENT_LIMITS.organization),
    tier: z.enum(TIERS),
    role: z.string().max(RECIPIENT_LIMITS.role),
    status: z.enum(RECIPIENT_STATUSES),
    /** ISO 8601 timestamps. */
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .strict();
export type Recipient = z.infer<typeof RecipientSchema>;

/** What a user may change on a recipient (PATCH). */
export type RecipientPatch = Partial<Pick<Recipient, "name" | "organization" | "tier" | "role" | "status">>;

/** Tier names as the secretariat writes them: report|distribute|copy, or 报|发|送. */
export const TIER_ALIASES: Record<string, Tier> = {
  report: "report",
  distribute: "distribute",
  copy: "copy",
  报: "report",
  发: "distribute",
  送: "copy",
};
