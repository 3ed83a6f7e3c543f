export type { ApiDeps } from "./api-deps.ts";
export { createApp } from "./app.ts";
export { hashToken, newTokenSecret } from "./auth/tokens.ts";
