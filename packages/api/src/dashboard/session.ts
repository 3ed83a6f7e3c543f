import { createHmac, timingSafeEqual } from "node:crypto";

/** The dashboard's session cookie. Path=/admin keeps it off /api and the public pages. */
export const SESSION_COOKIE = "bulletin_admin";
/** A session lasts a working day; signing in again is cheap (paste the token). */
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;

// Domain prefixes keep a session MAC from ever verifying as a CSRF token and the other way round.
const mac = (key: string, message: string) => createHmac("sha256", key).update(message, "utf8").digest("base64url");

function sameMac(expected: string, given: string): boolean {
  const a = Buffer.from(expected, "utf8");
  const b = Buffer.from(given, "utf8");
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * The session cookie's value: the token's hash, the expiry (Unix seconds) and their HMAC-SHA256.
 * Stateless on purpose: nothing to store or clean up, and since every request looks the token up
 * again by its hash, deleting the token ends every session made with it.
 *
 * @example
 * signSession(deps.sessionKey, hashToken(secret), new Date(Date.now() + SESSION_TTL_MS));
 * // "9f86d0….1767312000.q3Vx…"
 */
export function signSession(key: string, tokenHash: string, expiresAt: Date): string {
  const body = `${tokenHash}.${Math.floor(expiresAt.getTime() / 1000)}`;
  return `${body}.${mac(key, `session:${body}`)}`;
}

/**
 * The token hash of a session cookie that we signed and that has not expired; null otherwise
 * (forged, altered, expired, malformed).
 *
 * @example
 * verifySession(deps.sessionKey, cookie, new Date())?.tokenHash; // "9f86d0…" or undefined
 */
export function verifySession(
  key: string,
  value: string | undefined,
  now: Date,
): { tokenHash: string; expiresAt: Date } | null {
  const m = /^([0-9a-f]{64})\.(\d{1,12})\.([A-Za-z0-9_-]{43})$/.exec(value ?? "");
  if (!m) return null;
  const [, tokenHash, exp, sig] = m as unknown as [string, string, string, string];
  if (!sameMac(mac(key, `session:${tokenHash}.${exp}`), sig)) return null;
  const expiresAt = new Date(Number(exp) * 1000);
  return expiresAt.getTime() > now.getTime() ? { tokenHash, expiresAt } : null;
}

/**
 * The CSRF token of a session: bound to the exact cookie, so it changes with every sign-in and is
 * useless to anyone who cannot read the cookie (HttpOnly) or the page.
 *
 * @example
 * <input type="hidden" name="_csrf" value={csrfToken(deps.sessionKey, cookie)} />
 */
export function csrfToken(key: string, sessionValue: string): string {
  return mac(key, `csrf:${sessionValue}`);
}

/**
 * True when `given` is the CSRF token of this session (constant-time compare).
 *
 * @example
 * if (!checkCsrf(deps.sessionKey, cookie, form._csrf)) return forbidden();
 */
export function checkCsrf(key: string, sessionValue: string, given: unknown): boolean {
  return typeof given === "string" && sameMac(csrfToken(key, sessionValue), given);
}
