import { readFileSync } from "node:fs";

/**
 * A fixture payload, parsed, as AWS documents it (fixtures/<name>.json).
 *
 * @example
 * const raw = fixture("bounce-permanent");
 */
export function fixture(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(`./fixtures/${name}.json`, import.meta.url), "utf8")) as Record<
    string,
    unknown
  >;
}

/**
 * A fixture with its mail object changed (another send, address or message).
 *
 * @example
 * withMail(fixture("delivery"), { tags: { send: ["s2"] } });
 */
export function withMail(raw: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown> {
  return { ...raw, mail: { ...(raw.mail as Record<string, unknown>), ...patch } };
}
