import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/**
 * A secret of the local deployable (e.g. the unsubscribe HMAC key): the configured one, else one
 * generated on first start and kept in DATA_DIR/<name>, readable by this user only, so links in
 * emails already sent keep working after a restart.
 *
 * @example
 * const key = localSecret(".data", "unsubscribe-key", process.env.UNSUBSCRIBE_KEY);
 */
export function localSecret(dataDir: string, name: string, configured: string | undefined): string {
  if (configured) return configured;
  const file = join(dataDir, name);
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  const secret = randomBytes(32).toString("base64url");
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}
