import { z } from "@hono/zod-openapi";
import { TIER_ALIASES, TIERS } from "@bulletin/core";

/**
 * A core schema, made namable: core's schemas may be built before @hono/zod-openapi extends zod (the
 * import order decides), and zod 4 gives a schema its methods when it is built, so theirs may lack
 * `.openapi`. A lazy wrapper is built here, after the extension, and validates exactly as the schema.
 */
export function named<T extends z.ZodType>(schema: T) {
  return z.lazy(() => schema);
}

export const ErrorSchema = z.object({ error: z.string(), message: z.string() }).openapi("Error");

/** A tier as the API takes it: report, distribute, copy, or as the printed footer names them, 报, 发, 送. */
export const TierInput = z.enum([...TIERS, "报", "发", "送"]).transform((t) => TIER_ALIASES[t]!);

export const TierParam = TierInput.openapi({ param: { name: "tier", in: "path" }, example: "report" });

/**
 * An object with the same value schema under each of core's keys, in core's order (a count per tier,
 * per outcome): the keys are core's lists, never spelled again here.
 *
 * @example
 * keyed(TIERS, z.number().int()); // z.object({ report: …, distribute: …, copy: … })
 */
export function keyed<K extends string, V extends z.ZodType>(keys: readonly K[], value: V) {
  return z.object(Object.fromEntries(keys.map((k) => [k, value])) as Record<K, V>);
}

export const PageQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).optional().openapi({ example: 50 }),
  cursor: z.string().max(2000).optional(),
});

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
export function safeText(max: number) {
  return z
    .string()
    .trim()
    .max(max)
    .regex(/^[^\u0000-\u001f\u007f-\u009f\u2028\u2029\ufffd]*$/, "no control characters or line breaks");
}
