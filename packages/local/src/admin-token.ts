import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { TokenRepo } from "@bulletin/core";
import { hashToken, newTokenSecret } from "@bulletin/api";

/**
 * The local admin token: BULLETIN_ADMIN_TOKEN when set, else the one generated on first start and
 * kept in DATA_DIR/admin-token (readable by this user only) so that every start can print it again.
 * Only its hash goes into the database.
 *
 * @example
 * const token = await ensureAdminToken(tokens, ".data", undefined, new Date());
 */
export async function ensureAdminToken(
  tokens: TokenRepo,
  dataDir: string,
  fromEnv: string | undefined,
  now: Date,
): Promise<string> {
  const file = join(dataDir, "admin-token");
  const token = fromEnv ?? (existsSync(file) ? readFileSync(file, "utf8").trim() : newTokenSecret());
  if (!fromEnv && !existsSync(file)) writeFileSync(file, `${token}\n`, { mode: 0o600 });
  if (!(await tokens.findByHash(hashToken(token)))) {
    await tokens.create({
      hash: hashToken(token),
      role: "admin",
      label: fromEnv ? "BULLETIN_ADMIN_TOKEN" : "local admin",
      createdAt: now.toISOString(),
    });
  }
  return token;
}
