/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import { MAX_PDF_BYTES } from "@bulletin/core";
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { ApiDeps } from "../api-deps.ts";
import { audiencePage } from "./audience-page.tsx";
import { type DashboardEnv, dashboardGuard } from "./auth.tsx";
import { errorPage } from "./error-answers.tsx";
import { importPage } from "./import-page.tsx";
import { issueActions } from "./issue-actions.tsx";
import { issuePages } from "./issue-pages.tsx";
import { loginRoutes } from "./login-routes.tsx";
import { organisationsPage } from "./organisations-page.tsx";
import { recipientsPage } from "./recipients-page.tsx";
import { sendActions } from "./send-actions.ts";
import { sendPageRoutes } from "./send-page.tsx";
import { suppressionsPage } from "./suppressions-page.tsx";
import { settingsPage } from "./settings-page.tsx";
import { tokensPage } from "./tokens-page.tsx";

// Each .tsx here names its JSX runtime in its first line as well as tsconfig.json does: tsx applies
// tsconfig only when started from the repository root, and a bundler may not read it at all.

/** A bulletin's text is ~30 KB; anything near this is not an issue to import. */
const MAX_FORM = 8 * 1024 * 1024;
/** …but its PDF, posted as a file when scripts are off, may be up to the PDF limit. */
const MAX_IMPORT_FORM = MAX_PDF_BYTES + 1024 * 1024;

/**
 * The admin dashboard under /admin: server-rendered Chinese pages over the same ports and core
 * use-cases as the API. Every route except GET/POST /admin/login needs a session (dashboardGuard);
 * POSTs carry the session's CSRF token; the least role per route is set where the route is.
 *
 * @example
 * app.route("/", dashboardRoutes(deps)); // then open /admin/login and paste an API token
 */
export function dashboardRoutes(deps: ApiDeps) {
  const app = new Hono<DashboardEnv>();
  const limit = (maxSize: number) => bodyLimit({ maxSize, onError: (c) => c.text("请求过大", 413) });
  const [form, importForm] = [limit(MAX_FORM), limit(MAX_IMPORT_FORM)];
  app.use("/admin/*", (c, next) => (c.req.path === "/admin/import" ? importForm(c, next) : form(c, next)));
  app.use("/admin/*", dashboardGuard(deps));
  app.route("/", loginRoutes(deps));
  app.route("/", issuePages(deps));
  app.route("/", issueActions(deps));
  app.route("/", audiencePage(deps));
  app.route("/", importPage(deps));
  app.route("/", sendPageRoutes(deps));
  app.route("/", sendActions(deps));
  app.route("/", organisationsPage(deps));
  app.route("/", recipientsPage(deps));
  app.route("/", suppressionsPage(deps));
  app.route("/", tokensPage(deps));
  app.route("/", settingsPage(deps));
  // The API's mapping of domain errors to statuses (and its logging), shown as a page instead of JSON.
  app.onError(errorPage);
  return app;
}
