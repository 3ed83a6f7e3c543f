import { InvalidInputError } from "@bulletin/core";

/** The CLI's configuration, read once from the environment. */
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
export function readCliConfig(env: NodeJS.ProcessEnv = process.env): CliConfig {
  const port = env.PORT ?? "3000";
  if (!/^\d{1,5}$/.test(port)) throw new InvalidInputError("config.port", `PORT must be a port number, not "${port}"`);
  const publicUrl = (env.PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/+$/, "");
  let url: URL;
  try {
    url = new URL(publicUrl);
  } catch {
    throw new InvalidInputError("config.public-url", `PUBLIC_URL must be an http(s) URL, not "${publicUrl}"`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new InvalidInputError("config.public-url", `PUBLIC_URL must be an http(s) URL, not "${publicUrl}"`);
  }
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
export function readServiceConfig(env: NodeJS.ProcessEnv = process.env): ServiceConfig {
  const url = (env.BULLETIN_URL ?? "http://localhost:3000").replace(/\/+$/, "");
  if (!/^https?:\/\/[^\s]+$/.test(url)) throw new InvalidInputError("config.bulletin-url", `BULLETIN_URL must be an http(s) URL, not "${url}"`);
  const token = env.BULLETIN_TOKEN?.trim();
  if (!token) {
    throw new InvalidInputError("config.bulletin-token", "set BULLETIN_TOKEN to an API token (npm start prints the admin token on first start)");
  }
  return { url, token };
}
