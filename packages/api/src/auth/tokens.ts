import { createHash, randomBytes } from "node:crypto";

/**
 * A new API token secret. Only its hash is stored; the secret is shown once, to whoever created it.
 *
 * @example
 * newTokenSecret(); // "blt_3q2-…" (43 characters of base64url after the prefix)
 */
export function newTokenSecret(): string {
  return `blt_${randomBytes(32).toString("base64url")}`;
}

/**
 * The stored form of a token: SHA-256, hex. Tokens are long random secrets, so a plain hash is
 * enough (no salt or slow hash needed, unlike passwords).
 *
 * @example
 * hashToken("blt_x").length; // 64
 */
export function hashToken(secret: string): string {
  return createHash("sha256").update(secret, "utf8").digest("hex");
}
