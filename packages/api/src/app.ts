import { InvalidInputError, MAX_PDF_BYTES, TooLargeError } from "@bulletin/core";
import { OpenAPIHono } from "@hono/zod-openapi";
import { bodyLimit } from "hono/body-limit";
import { createMiddleware } from "hono/factory";
import type { ApiDeps } from "./api-deps.ts";
import { dashboardRoutes } from "./dashboard/dashboard-routes.tsx";
import { authenticate } from "./auth/require-role.ts";
import { handleError } from "./http-errors.ts";
import { serveOpenApiDocument } from "./openapi-document.ts";
import { archiveRoutes } from "./routes/archive-routes.ts";
import { eventsRoutes } from "./routes/events-routes.ts";
import { issuesRoutes } from "./routes/issues-routes.ts";
import { publicRoutes } from "./routes/public-routes.ts";
import { recipientPages } from "./routes/recipient-pages.ts";
import { recipientsRoutes } from "./routes/recipients-routes.ts";
import { sendsRoutes } from "./routes/sends-routes.ts";
import { settingsRoutes } from "./routes/settings-routes.ts";
import { suppressionsRoutes } from "./routes/suppressions-routes.ts";
import { tokensRoutes } from "./routes/tokens-routes.ts";
import { uploadsRoutes } from "./routes/uploads-routes.ts";

/** Bodies larger than this are refused with 413: a bulletin is ~30 KB, a 100,000-row CSV ~10 MB. */
const MAX_BODY = 16 * 1024 * 1024;
/** …but a bulletin PDF with photos may be larger (on Lambda, over 6 MB goes through POST /api/uploads). */
const MAX_PDF_BODY = MAX_PDF_BYTES + 64 * 1024;

/**
 * The Hono app: sub-apps composed with app.route(), one error handler, request validation from the
 * same zod schemas that generate /api/openapi.json. The same app runs on Lambda and on Node.
 *
 * @example
 * serve({ fetch: createApp(deps).fetch, port: 3000 });
 */
export function createApp(deps: ApiDeps) {
  const app = new OpenAPIHono({
    defaultHook: (result) => {
      if (!result.success) {
        const first = result.error.issues[0];
        const where = first?.path.length ? `${first.path.join(".")}: ` : "";
        throw new InvalidInputError("invalid-request", `${where}${first?.message ?? "invalid request"}`);
      }
    },
  });
  app.onError(handleError);
  // Who is asking comes first: an anonymous request is refused before its body is read.
  app.use("/api/*", authenticate(deps));
  const limit = (maxSize: number) =>
    bodyLimit({
      maxSize,
      // The rest of the body is never read, so the connection cannot serve another request: say so,
      // or a keep-alive client sends its next request on a socket the server is closing.
      onError: (c) => {
        c.header("Connection", "close");
        throw new TooLargeError(
          "too-large",
          `the request body is too large (at most ${Math.floor(maxSize / 1024 / 1024)} MB)`,
        );
      },
    });
  const [anyBody, pdfBody] = [limit(MAX_BODY), limit(MAX_PDF_BODY)];
  app.use("/api/*", (c, next) => (isPdfBody(c.req.header("content-type")) ? pdfBody(c, next) : anyBody(c, next)));
  app.use("/api/*", utf8Body);
  app.route("/", publicRoutes(deps));
  app.route("/", recipientPages(deps));
  app.route("/", archiveRoutes(deps));
  app.route("/", issuesRoutes(deps));
  app.route("/", uploadsRoutes(deps));
  app.route("/", recipientsRoutes(deps));
  app.route("/", sendsRoutes(deps));
  app.route("/", eventsRoutes(deps));
  app.route("/", suppressionsRoutes(deps));
  app.route("/", tokensRoutes(deps));
  app.route("/", settingsRoutes(deps));
  app.route("/", dashboardRoutes(deps));
  serveOpenApiDocument(app);
  return app;
}

/**
 * Refuses a JSON body that is not UTF-8 (RFC 8259). Hono decodes bodies leniently, so bytes it could
 * not read would be stored as U+FFFD. Text bodies (CSV, bulletin text) are decoded by their routes
 * with core's decodeText, which also reads GBK; other types (binary uploads) are their routes' too.
 */
const utf8Body = createMiddleware(async (c, next) => {
  const type = (c.req.header("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  if (c.req.raw.body === null || !/^application\/(?:[\w.+-]*\+)?json$/.test(type)) return next();
  const bytes = new Uint8Array(await c.req.arrayBuffer());
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new InvalidInputError(
      "invalid-encoding",
      "the request body is not valid UTF-8 text (save the file as UTF-8 and send it again)",
    );
  }
  return next();
});

const isPdfBody = (type: string | undefined) => (type ?? "").split(";")[0]!.trim().toLowerCase() === "application/pdf";
