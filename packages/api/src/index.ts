export { type ApiDeps, eventWiring } from "./api-deps.ts";
export { createApp } from "./app.ts";
export { hashToken, newTokenSecret } from "./auth/tokens.ts";
export { messageSettings, recipientLinks, signUnsubscribe, verifyUnsubscribe } from "./unsubscribe-links.ts";
