import { startSend, TIERS } from "@bulletin/core";
import { Hono } from "hono";
import type { ApiDeps } from "../api-deps.ts";
import { type DashboardEnv, needs } from "./auth.tsx";
import { notFound } from "./issue-pages.tsx";

/**
 * The secretariat's POSTs on an issue, each answered with a redirect back (POST-redirect-GET):
 * /send starts the real send to all tiers, /ready and /public set or clear the marks.
 */
export function issueActions(deps: ApiDeps) {
  const app = new Hono<DashboardEnv>();
  const secretariat = needs("secretariat");
  const back = (id: string, done: string) => `/admin/issues/${encodeURIComponent(id)}?done=${done}`;

  app.post("/admin/issues/:id/send", secretariat, async (c) => {
    const form = await c.req.parseBody();
    const stored = await deps.issues.get(c.req.param("id"));
    if (!stored) return notFound(c, c.get("viewer"));
    // The checkbox is required in the form; a POST without it was not meant as a send to everyone.
    if (form.confirm !== "yes") return c.redirect(back(stored.id, ""), 303);
    // A plain send: all tiers, no test, no re-send; the dispatcher resolves the audience (copies
    // already received, the suppression list), and the "maybe received" only when asked for.
    const includeMaybeReceived = form.includeMaybeReceived === "yes";
    const send = await startSend(stored.id, { tiers: [...TIERS], test: false, resend: false, ...(includeMaybeReceived ? { includeMaybeReceived } : {}) }, deps);
    return c.redirect(`/admin/sends/${encodeURIComponent(send.id)}?done=sent`, 303);
  });

  app.post("/admin/issues/:id/ready", secretariat, async (c) => {
    const on = (await c.req.parseBody()).ready === "yes";
    const summary = await deps.issues.setReady(c.req.param("id"), on ? deps.clock.now().toISOString() : null);
    return c.redirect(back(summary.id, on ? "ready" : "unready"), 303);
  });

  app.post("/admin/issues/:id/public", secretariat, async (c) => {
    const on = (await c.req.parseBody()).public === "yes";
    const summary = await deps.issues.setPublished(c.req.param("id"), on ? deps.clock.now().toISOString() : null);
    return c.redirect(back(summary.id, on ? "published" : "unpublished"), 303);
  });
  return app;
}
