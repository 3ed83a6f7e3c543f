import { envReader } from "@bulletin/core";

/** The CLI's configuration, read once from the environment the CLI was given (CliIo.env). */
export interface CliConfig {
  /** Base of links in emails (view online, unsubscribe): PUBLIC_URL, default http://localhost:$PORT. */
  publicUrl: string;
}

/**
 * Reads the CLI's environment, failing loudly on a bad value.
 *
 * @example
 * readCliConfig({ PUBLIC_URL: "https://bulletin.example.org" }).publicUrl; // "https://bulletin.example.org"
 */
export function readCliConfig(env: NodeJS.ProcessEnv): CliConfig {
  const read = envReader(env);
  const port = read.port("PORT", 3000);
  const publicUrl = read.url("PUBLIC_URL", { default: `http://localhost:${port}` });
  return { publicUrl };
}

/** Where the running service is, for the commands that act on it: they talk to its API, never its database. */
export interface ServiceConfig {
  url: string;
  token: string;
}

/**
 * Reads BULLETIN_URL (default http://localhost:3000) and BULLETIN_TOKEN (required).
 *
 * @example
 * readServiceConfig({ BULLETIN_TOKEN: "blt_…" }).url; // "http://localhost:3000"
 */
export function readServiceConfig(env: NodeJS.ProcessEnv): ServiceConfig {
  const read = envReader(env);
  const url = read.url("BULLETIN_URL", { default: "http://localhost:3000" });
  const token = read.required(
    "BULLETIN_TOKEN",
    "set BULLETIN_TOKEN to an API token (npm start prints the admin token on first start)",
  );
  return { url, token };
}
