/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import {
  checkEmail,
  editFigure,
  editMasthead,
  type FigureChange,
  hasIssueNumber,
  InvalidInputError,
  NotFoundError,
  startSend,
  TIERS,
  type Tier,
} from "@bulletin/core";
import { type Context, Hono } from "hono";
import type { ApiDeps } from "../api-deps.ts";
import { type DashboardEnv, needs } from "./auth.tsx";
import { errorMessage } from "./error-messages.ts";
import { redirectWith } from "./flash.ts";
import { notFound } from "./issue-pages.tsx";
import { Layout, sendPage } from "./layout.tsx";

/** A test send goes to at most this many addresses (as POST /api/issues/:id/sends allows). */
const MAX_TEST_ADDRESSES = 50;

/** The form's values of a field that may repeat (checkboxes). */
const all = (v: unknown): string[] =>
  (Array.isArray(v) ? v : v === undefined ? [] : [v]).filter((x): x is string => typeof x === "string");

/**
 * The secretariat's POSTs on an issue, each answered with a redirect (POST-redirect-GET): /send
 * starts the real send to the chosen tiers, /test-send a test send, /masthead saves the masthead,
 * /figures/:article/:figure saves a photo's alt text and caption (…/remove removes it), /ready and
 * /public set or clear the marks.
 */
export function issueActions(deps: ApiDeps) {
  const app = new Hono<DashboardEnv>();
  const secretariat = needs("secretariat");
  const page = (id: string) => `/admin/issues/${encodeURIComponent(id)}`;
  const refused = (c: Parameters<typeof sendPage>[0], id: string, message: string) =>
    sendPage(
      c,
      <Layout title="无法执行" viewer={c.get("viewer")} error={message}>
        <p>
          <a href={page(id)}>返回本期</a>
        </p>
      </Layout>,
      400,
    );

  app.post("/admin/issues/:id/send", secretariat, async (c) => {
    const form = await c.req.parseBody({ all: true });
    const stored = await deps.issues.get(c.req.param("id"));
    if (!stored) return notFound(c, c.get("viewer"));
    // The checkbox is required in the form; a POST without it was not meant as a send.
    if (form.confirm !== "yes") return c.redirect(page(stored.id), 303);
    const tiers = TIERS.filter((t) => all(form.tiers).includes(t));
    if (tiers.length === 0) return refused(c, stored.id, "请至少选择一个层级。");
    if (!hasIssueNumber(stored.issue) && form.noNumber !== "yes")
      return refused(c, stored.id, errorMessage("send.no-issue-number"));
    // A plain send: no test, no re-send; the dispatcher resolves the audience (copies already
    // received, the suppression list), and the "maybe received" only when asked for.
    const includeMaybeReceived = form.includeMaybeReceived === "yes";
    const send = await startSend(
      stored.id,
      { tiers, test: false, resend: false, ...(includeMaybeReceived ? { includeMaybeReceived } : {}) },
      deps,
    );
    return redirectWith(c, `/admin/sends/${encodeURIComponent(send.id)}`, { done: "sent" });
  });

  app.post("/admin/issues/:id/test-send", secretariat, async (c) => {
    const form = await c.req.parseBody();
    const stored = await deps.issues.get(c.req.param("id"));
    if (!stored) return notFound(c, c.get("viewer"));
    const tier = TIERS.find((t) => t === form.tier) as Tier | undefined;
    const typed = (typeof form.to === "string" ? form.to : "").split(/[\s,，;；、]+/).filter(Boolean);
    if (!tier) return refused(c, stored.id, "请选择层级。");
    if (typed.length === 0) return refused(c, stored.id, "请填写测试收件地址。");
    if (typed.length > MAX_TEST_ADDRESSES) return refused(c, stored.id, `测试发送最多 ${MAX_TEST_ADDRESSES} 个地址。`);
    const only: string[] = [];
    for (const raw of typed) {
      const checked = checkEmail(raw);
      if (!checked.ok) return refused(c, stored.id, `测试收件地址“${raw.slice(0, 100)}”无效，未发送。`);
      only.push(checked.email);
    }
    // Only to these addresses, with the chosen tier's email and 【测试】 in the subject; never marked as received.
    const send = await startSend(
      stored.id,
      { tiers: [tier], only: [...new Set(only)], test: true, resend: false },
      deps,
    );
    return redirectWith(c, `/admin/sends/${encodeURIComponent(send.id)}`, { done: "test-sent" });
  });

  app.post("/admin/issues/:id/masthead", secretariat, async (c) => {
    const form = await c.req.parseBody();
    const id = c.req.param("id");
    const text = (k: string) => (typeof form[k] === "string" ? (form[k] as string) : undefined);
    const patch = Object.fromEntries(
      (["title", "number", "date"] as const).flatMap((k) => (text(k) === undefined ? [] : [[k, text(k)!]])),
    );
    if (!(await deps.issues.get(id))) return notFound(c, c.get("viewer"));
    try {
      await editMasthead(id, patch, deps);
    } catch (e) {
      if (!(e instanceof InvalidInputError)) throw e;
      return refused(c, id, errorMessage(e.code));
    }
    return redirectWith(c, page(id), { done: "masthead" });
  });

  const figure = async (c: Context<DashboardEnv>, params: Record<string, string>, change: FigureChange) => {
    const id = params.id ?? "";
    try {
      await editFigure(id, { article: Number(params.article), figure: Number(params.figure) }, change, deps);
    } catch (e) {
      if (e instanceof NotFoundError) return notFound(c, c.get("viewer"));
      if (!(e instanceof InvalidInputError)) throw e;
      return refused(c, id, errorMessage(e.code));
    }
    return redirectWith(c, page(id), { done: "remove" in change ? "figure-removed" : "figure-saved" });
  };
  app.post("/admin/issues/:id/figures/:article{[0-9]{1,5}}/:figure{[0-9]{1,4}}", secretariat, async (c) => {
    const form = await c.req.parseBody();
    const text = (k: string) => (typeof form[k] === "string" ? { [k]: form[k] as string } : {});
    return figure(c, c.req.param(), { ...text("alt"), ...text("caption") });
  });
  app.post("/admin/issues/:id/figures/:article{[0-9]{1,5}}/:figure{[0-9]{1,4}}/remove", secretariat, async (c) =>
    figure(c, c.req.param(), { remove: true }),
  );

  app.post("/admin/issues/:id/ready", secretariat, async (c) => {
    const on = (await c.req.parseBody()).ready === "yes";
    const summary = await deps.issues.setReady(c.req.param("id"), on ? deps.clock.now().toISOString() : null);
    return redirectWith(c, page(summary.id), { done: on ? "ready" : "unready" });
  });

  app.post("/admin/issues/:id/public", secretariat, async (c) => {
    const on = (await c.req.parseBody()).public === "yes";
    const summary = await deps.issues.setPublished(c.req.param("id"), on ? deps.clock.now().toISOString() : null);
    return redirectWith(c, page(summary.id), { done: on ? "published" : "unpublished" });
  });
  return app;
}
