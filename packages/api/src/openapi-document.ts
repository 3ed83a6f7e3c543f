import type { OpenAPIHono } from "@hono/zod-openapi";

/** The tags of the API's operations, in the order the docs page shows them. */
export const API_TAGS = [
  {
    name: "issues",
    description: "Import a bulletin (its PDF, text, Markdown or Issue JSON), read, correct and preview it",
  },
  {
    name: "recipients",
    description: "The recipients of the three tiers (报 report, 发 distribute, 送 copy), as CSV or one at a time",
  },
  {
    name: "sends",
    description: "Send an issue to its tiers, follow it, pause, resume, cancel or retry it, and its reports",
  },
  { name: "events", description: "Replay SES events (an export) through the handler that tracks deliveries" },
  {
    name: "suppressions",
    description: "The addresses every send skips (bounced, complained, unsubscribed, or added by hand)",
  },
  { name: "tokens", description: "The API tokens and their roles (admin, secretariat, viewer)" },
  { name: "settings", description: "The association's settings: the sender, the email's look, the footer" },
] as const;

export type ApiTag = (typeof API_TAGS)[number]["name"];

/**
 * Serves the OpenAPI 3.1 document of every route declared with createRoute at /api/openapi.json.
 *
 * @example
 * serveOpenApiDocument(app); // after every app.route()
 */
export function serveOpenApiDocument(app: OpenAPIHono) {
  app.openAPIRegistry.registerComponent("securitySchemes", "Bearer", {
    type: "http",
    scheme: "bearer",
    description:
      "An API token: `npx bulletin tokens create --role …` (or POST /api/tokens), or the admin token `npm start` prints. Its role (viewer < secretariat < admin) decides what it may do.",
  });
  app.doc31("/api/openapi.json", {
    openapi: "3.1.0",
    info: {
      title: "Bulletin API",
      version: "0.1.0",
      description: "Import, render and send the association's monthly bulletin, and track every delivery.",
    },
    // Relative: a client resolves "/" against the URL it read this document from, so the same document
    // is right locally (http://localhost:3000), on the Lambda's URL and behind a custom domain, where
    // PUBLIC_URL (the base of links in emails) need not be the address the API is called at.
    servers: [{ url: "/", description: "This service: where this document was read from" }],
    // Every operation but the public pages needs a token; each route also says which.
    security: [{ Bearer: [] }],
    tags: [...API_TAGS],
  });
}
