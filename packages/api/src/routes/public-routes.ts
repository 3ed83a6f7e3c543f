import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { Hono } from "hono";
import type { ApiDeps } from "../api-deps.ts";

// Swagger UI is served from the swagger-ui-dist package, not a CDN: the docs work offline.
const UI_DIR = dirname(createRequire(import.meta.url).resolve("swagger-ui-dist/package.json"));
const ASSETS: Record<string, string> = {
  "swagger-ui.css": "text/css; charset=utf-8",
  "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
};

/** The routes that need no token: /healthz and the API docs page. (/api/openapi.json is added by the app.) */
export function publicRoutes(deps: ApiDeps) {
  const app = new Hono();
  app.get("/healthz", async (c) => {
    const ready = await deps.ready().catch(() => false);
    return c.json({ status: ready ? "ok" : "starting" }, ready ? 200 : 503);
  });
  app.get("/api/docs", (c) =>
    c.html(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Bulletin API</title>
<link rel="stylesheet" href="/api/docs/assets/swagger-ui.css"></head><body><div id="ui"></div>
<script src="/api/docs/assets/swagger-ui-bundle.js"></script>
<script>SwaggerUIBundle({ url: "/api/openapi.json", dom_id: "#ui" });</script></body></html>`),
  );
  app.get("/api/docs/assets/:file", (c) => {
    const file = c.req.param("file");
    const type = ASSETS[file];
    if (!type) return c.notFound();
    return c.body(readFileSync(join(UI_DIR, file)), 200, {
      "Content-Type": type,
      "Cache-Control": "public, max-age=86400",
    });
  });
  return app;
}
