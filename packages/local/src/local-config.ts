import { InvalidInputError } from "@bulletin/core";

/** The local deployable's configuration: read once, here, and nowhere else. */
export interface LocalConfig {
  port: number;
  sesPort: number;
  publicUrl: string;
  dataDir: string;
  fresh: boolean;
  /** BULLETIN_ADMIN_TOKEN, when set: the admin token to accept (otherwise one is generated). */
  adminToken?: string;
  tableName: string;
}

function port(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidInputError("config.port", `${name} must be a port number, not "${raw}"`);
  return n;
}

/**
 * Reads PORT (3000), LOCAL_SES_PORT (8005), PUBLIC_URL (http://localhost:$PORT), DATA_DIR (./.data),
 * BULLETIN_ADMIN_TOKEN and the --fresh flag. Nothing else needs configuring.
 *
 * @example
 * readLocalConfig(process.env, process.argv.slice(2)).publicUrl; // "http://localhost:3000"
 */
export function readLocalConfig(env: NodeJS.ProcessEnv, args: readonly string[]): LocalConfig {
  const unknown = args.filter((a) => a !== "--fresh");
  if (unknown.length) throw new InvalidInputError("config.args", `unknown option ${unknown[0]} (npm start takes only --fresh)`);
  const appPort = port(env, "PORT", 3000);
  const publicUrl = (env.PUBLIC_URL || `http://localhost:${appPort}`).replace(/\/+$/, "");
  if (!/^https?:\/\/\S+$/.test(publicUrl)) throw new InvalidInputError("config.public-url", `PUBLIC_URL must be an http(s) URL, not "${publicUrl}"`);
  const adminToken = env.BULLETIN_ADMIN_TOKEN?.trim();
  if (adminToken !== undefined && adminToken !== "" && adminToken.length < 20) {
    throw new InvalidInputError("config.admin-token", "BULLETIN_ADMIN_TOKEN must be at least 20 characters");
  }
  return {
    port: appPort,
    sesPort: port(env, "LOCAL_SES_PORT", 8005),
    publicUrl,
    dataDir: env.DATA_DIR || ".data",
    fresh: args.includes("--fresh"),
    ...(adminToken ? { adminToken } : {}),
    tableName: "bulletin",
  };
}
