import { randomBytes } from "node:crypto";
import { PLACEHOLDER_PREFIX } from "@bulletin/core";

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
  return Object.fromEntries(PLACEHOLDER_FIELDS.map((f) => [f, `${PLACEHOLDER_PREFIX}${nonce}-${f}`])) as Placeholders;
}

/**
 * A compiled email cut at its placeholders once, so that each recipient's copy is a join of the
 * pieces instead of a search through some 60 KB of HTML: personalisation runs per recipient, tens
 * of thousands of times a send.
 *
 * @example
 * const t = splitAtPlaceholders(html, tokens);
 * t.fill({ reason: "…", viewOnlineUrl: "https://x/", unsubscribeUrl: "https://x/u/1" });
 */
export function splitAtPlaceholders(
  compiled: string,
  tokens: Placeholders,
): {
  fill(values: Record<PlaceholderField, string>): string;
  parts: { literals: string[]; slots: PlaceholderField[] };
} {
  const pattern = new RegExp(PLACEHOLDER_FIELDS.map((f) => tokens[f]).join("|"), "g");
  const fieldOf = new Map(PLACEHOLDER_FIELDS.map((f) => [tokens[f], f]));
  const literals: string[] = [];
  const fields: PlaceholderField[] = [];
  let last = 0;
  for (const m of compiled.matchAll(pattern)) {
    literals.push(compiled.slice(last, m.index));
    fields.push(fieldOf.get(m[0])!);
    last = m.index + m[0].length;
  }
  literals.push(compiled.slice(last));
  return {
    parts: { literals, slots: fields },
    fill(values) {
      let out = literals[0]!;
      for (let i = 0; i < fields.length; i++) out += values[fields[i]!] + literals[i + 1]!;
      return out;
    },
  };
}

/**
 * Replaces every placeholder token in `compiled` with its value, in one pass over the string.
 *
 * @example
 * fill("<a href=\"T\">", { viewOnlineUrl: "T" } as Placeholders, { viewOnlineUrl: "https://x/" }); // '<a href="https://x/">'
 */
export function fill(compiled: string, tokens: Placeholders, values: Record<PlaceholderField, string>): string {
  return splitAtPlaceholders(compiled, tokens).fill(values);
}
