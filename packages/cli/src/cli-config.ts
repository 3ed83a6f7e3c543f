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
