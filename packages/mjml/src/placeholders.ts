import { randomBytes } from "node:crypto";

/** The per-recipient values the compiled email leaves open. */
export const PLACEHOLDER_FIELDS = ["reason", "viewOnlineUrl", "unsubscribeUrl"] as const;
export type PlaceholderField = (typeof PLACEHOLDER_FIELDS)[number];
export type Placeholders = Record<PlaceholderField, string>;

/**
 * Fresh placeholder tokens for one compile. A random nonce makes them unguessable, so text inside the
 * issue can never be mistaken for one and substituted; they use only letters, digits and dashes, so
 * they pass through MJML and HTML escaping unchanged.
 *
 * @example
 * makePlaceholders().reason; // "bltph-3f9c0a1be2d47c55-reason"
 */
export function makePlaceholders(): Placeholders {
  const nonce = randomBytes(8).toString("hex");
  return Object.fromEntries(PLACEHOLDER_FIELDS.map((f) => [f, `bltph-${nonce}-${f}`])) as Placeholders;
}

/**
 * Replaces every placeholder token in `compiled` with its value, in one pass over the string.
 *
 * @example
 * fill("<a href=\"T\">", { viewOnlineUrl: "T" } as Placeholders, { viewOnlineUrl: "https://x/" }); // '<a href="https://x/">'
 */
export function fill(compiled: string, tokens: Placeholders, values: Record<PlaceholderField, string>): string {
  const pattern = new RegExp(PLACEHOLDER_FIELDS.map((f) => tokens[f]).join("|"), "g");
  const byToken = new Map(PLACEHOLDER_FIELDS.map((f) => [tokens[f], values[f]]));
  return compiled.replace(pattern, (token) => byToken.get(token) ?? token);
}
