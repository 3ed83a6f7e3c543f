/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import { RECIPIENT_STATUSES, TIER_LABELS, TIERS } from "@bulletin/core";
import { Hono } from "hono";
import type { ApiDeps } from "../api-deps.ts";
import type { DashboardEnv } from "./auth.tsx";
import { Layout, sendPage } from "./layout.tsx";
import { beijingTime, RECIPIENT_LABELS, TIER_NAMES } from "./labels.ts";
import { Choice, hrefWith, Pager } from "./widgets.tsx";

const PER_PAGE = 50;

/**
 * GET /admin/recipients: the recipient list, filtered by tier, status and text (RecipientRepo.list
 * does the filtering), a page at a time. Read-only: recipients are managed through the API and CLI.
 */
export function recipientsPage(deps: ApiDeps) {
  const app = new Hono<DashboardEnv>();
  app.get("/admin/recipients", async (c) => {
    const tier = TIERS.find((t) => t === c.req.query("tier"));
    const status = RECIPIENT_STATUSES.find((s) => s === c.req.query("status"));
    const q = c.req.query("q")?.trim().slice(0, 200) || undefined;
    const cursor = c.req.query("cursor") || undefined;
    const page = await deps.recipients.list({ limit: PER_PAGE, ...(tier ? { tier } : {}), ...(status ? { status } : {}), ...(q ? { q } : {}), ...(cursor ? { cursor } : {}) });
    const filters = { tier, status, q };
    return sendPage(
      c,
      <Layout title="收件人" viewer={c.get("viewer")}>
        <h1>收件人</h1>
        <form method="get" action="/admin/recipients" class="filters card">
          <Choice name="tier" label="层级" value={tier} options={TIER_NAMES} />
          <Choice name="status" label="状态" value={status} options={RECIPIENT_LABELS} />
          <label>搜索（邮箱、姓名、单位）<input type="search" name="q" value={q ?? ""} /></label>
          <button type="submit">筛选</button>
          <a class="button secondary" href="/admin/recipients">清除</a>
        </form>
        {page.items.length === 0 ? (
          <p class="muted">没有符合条件的收件人。</p>
        ) : (
          <div class="scroll">
            <table class="recipients">
              <thead><tr><th>邮箱</th><th>姓名</th><th>单位</th><th>层级</th><th>职务</th><th>状态</th><th>更新时间</th></tr></thead>
              <tbody>
                {page.items.map((r) => (
                  <tr data-email={r.email}>
                    <td>{r.email}</td><td>{r.name}</td><td>{r.organization}</td><td>{TIER_LABELS[r.tier]}</td>
                    <td>{r.role}</td><td>{RECIPIENT_LABELS[r.status]}</td><td>{beijingTime(r.updatedAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <Pager onFirst={!cursor} first={hrefWith("/admin/recipients", filters)} next={page.cursor && hrefWith("/admin/recipients", { ...filters, cursor: page.cursor })} />
      </Layout>,
    );
  });
  return app;
}
