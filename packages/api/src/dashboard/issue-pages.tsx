/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import { MAX_PAGE_SIZE, outlineOf, sendProgress, type StoredIssue, TIER_LABELS, TIERS } from "@bulletin/core";
import { Hono } from "hono";
import type { ApiDeps } from "../api-deps.ts";
import type { DashboardEnv } from "./auth.tsx";
import { Layout, PostButton, sendPage, type Viewer } from "./layout.tsx";
import { beijingTime, MAYBE_RECEIVED_RISK, TIER_NAMES } from "./labels.ts";
import { hasRole } from "./roles.ts";
import { hrefWith, noticeOf, Pager, type SendRow, SendsTable } from "./widgets.tsx";

const ISSUES_PER_PAGE = 20;
const SENDS_PER_ISSUE = 5;

/** The sends of an issue, newest first, each with its counters. */
async function sendRows(deps: ApiDeps, issueId: string, limit: number): Promise<SendRow[]> {
  const page = await deps.sends.listByIssue(issueId, { limit });
  return Promise.all(page.items.map(async (send) => ({ send, totals: (await sendProgress(send, deps.deliveries)).totals })));
}

/**
 * GET /admin (issues newest first, each with its latest sends), GET /admin/issues/:id (the issue,
 * its outline, sends and actions), GET /admin/issues/:id/preview/:tier (the email of a tier).
 */
export function issuePages(deps: ApiDeps) {
  const app = new Hono<DashboardEnv>();

  app.get("/admin", async (c) => {
    const cursor = c.req.query("cursor");
    const page = await deps.issues.list({ limit: ISSUES_PER_PAGE, ...(cursor ? { cursor } : {}) });
    const rows = await Promise.all(page.items.map(async (issue) => ({ issue, sends: await sendRows(deps, issue.id, SENDS_PER_ISSUE) })));
    return sendPage(
      c,
      <Layout title="期刊与发送" viewer={c.get("viewer")} notice={noticeOf(c)}>
        <h1>期刊与发送</h1>
        {rows.length === 0 && <p class="muted">还没有期刊。<a href="/admin/import">导入一期</a></p>}
        {rows.map(({ issue, sends }) => (
          <section class="card" data-issue={issue.id}>
            <h2><a href={`/admin/issues/${encodeURIComponent(issue.id)}`}>{issue.label}</a></h2>
            <p class="muted">
              {`导入于 ${beijingTime(issue.createdAt)} · ${issue.articles} 篇`}
              {issue.readyAt && " · 待发"}
              {issue.publishedAt && " · 已公开"}
            </p>
            <SendsTable rows={sends} />
          </section>
        ))}
        <Pager onFirst={!cursor} first="/admin" next={page.cursor && hrefWith("/admin", { cursor: page.cursor })} />
      </Layout>,
    );
  });

  app.get("/admin/issues/:id", async (c) => {
    const stored = await deps.issues.get(c.req.param("id"));
    if (!stored) return notFound(c, c.get("viewer"));
    const sends = await sendRows(deps, stored.id, MAX_PAGE_SIZE);
    const v = c.get("viewer");
    return sendPage(
      c,
      <Layout title={stored.label} viewer={v} notice={noticeOf(c)}>
        <h1>{stored.label}</h1>
        <p class="muted">
          {`导入于 ${beijingTime(stored.createdAt)} · 格式 ${stored.format}`}
          {stored.readyAt ? ` · 待发（${beijingTime(stored.readyAt)}）` : ""}
          {stored.publishedAt ? ` · 已公开（${beijingTime(stored.publishedAt)}）` : ""}
        </p>
        <p>
          {"预览："}
          {TIERS.map((t, i) => (
            <>
              {i > 0 && " · "}
              <a href={`/admin/issues/${encodeURIComponent(stored.id)}/preview/${t}`}>{TIER_NAMES[t]}</a>
            </>
          ))}
          {stored.publishedAt && (
            <>
              {" · "}
              <a href={`/archive/${encodeURIComponent(stored.id)}`}>网页存档</a>
            </>
          )}
        </p>
        {hasRole(v.token.role, "secretariat") && <IssueActions viewer={v} issue={stored} />}
        <h2>发送记录</h2>
        <SendsTable rows={sends} />
        <h2>大纲</h2>
        <Outline issue={stored} />
      </Layout>,
    );
  });

  app.get("/admin/issues/:id/preview/:tier", async (c) => {
    const tier = TIERS.find((t) => t === c.req.param("tier"));
    const stored = await deps.issues.get(c.req.param("id"));
    if (!stored || !tier) return notFound(c, c.get("viewer"));
    // As a sample recipient of the tier gets it, like GET /api/issues/:id/preview/:tier.
    const organization = stored.issue.distribution[tier][0];
    const email = (await deps.renderer.prepare(stored.issue, tier)).personalise(
      { email: "recipient@example.com", name: "示例收件人", ...(organization ? { organization } : {}) },
      { viewOnlineUrl: `${deps.publicUrl}/archive/${encodeURIComponent(stored.id)}`, unsubscribeUrl: `${deps.publicUrl}/unsubscribe/preview` },
    );
    const base = `/admin/issues/${encodeURIComponent(stored.id)}`;
    return sendPage(
      c,
      <Layout title={`预览 ${TIER_LABELS[tier]}`} viewer={c.get("viewer")}>
        <h1>{`预览：${TIER_NAMES[tier]}`}</h1>
        <p>
          <a href={base}>« {stored.label}</a>
          {TIERS.filter((t) => t !== tier).map((t) => (
            <>
              {" · "}
              <a href={`${base}/preview/${t}`}>{TIER_NAMES[t]}</a>
            </>
          ))}
        </p>
        <p class="muted">{`主题：${email.subject}`}</p>
        {/* An empty sandbox: no scripts, no forms, no same-origin access, whatever the email holds. */}
        <iframe class="preview" title="邮件预览" sandbox="" srcdoc={email.html}></iframe>
      </Layout>,
    );
  });
  return app;
}

/** The secretariat's buttons on an issue: send it, mark it ready for the monthly send, publish it. */
function IssueActions(props: { viewer: Viewer; issue: StoredIssue }) {
  const { viewer, issue } = props;
  const base = `/admin/issues/${encodeURIComponent(issue.id)}`;
  return (
    <section class="card">
      <form method="post" action={`${base}/send`} class="actions">
        <input type="hidden" name="_csrf" value={viewer.csrf} />
        <label>
          <input type="checkbox" name="confirm" value="yes" required /> 确认发送给全部三个层级的收件人（已收到本期的不会重复发送）
        </label>
        <label title={MAYBE_RECEIVED_RISK}>
          <input type="checkbox" name="includeMaybeReceived" value="yes" /> 也发给可能已收到的人（他们可能收到两份）
        </label>
        <button type="submit">开始发送</button>
        <a href={`${base}/audience`}>先预览收件人（不会发送）</a>
      </form>
      <div class="actions">
        <PostButton viewer={viewer} action={`${base}/ready`} fields={{ ready: issue.readyAt ? "no" : "yes" }} label={issue.readyAt ? "取消待发" : "标记为待发"} kind="secondary" />
        <PostButton viewer={viewer} action={`${base}/public`} fields={{ public: issue.publishedAt ? "no" : "yes" }} label={issue.publishedAt ? "撤回公开" : "公开到网页存档"} kind="secondary" />
      </div>
    </section>
  );
}

function Outline(props: { issue: StoredIssue }) {
  const outline = outlineOf(props.issue.issue);
  return (
    <div class="card">
      {outline.sections.map((s) => (
        <>
          {s.name && <h3>{`【${s.name}】`}</h3>}
          <ol>
            {s.articles.map((a) => (
              <li>
                {a.kicker && <span class="muted">{`${a.kicker} · `}</span>}
                {a.title || "（无标题）"}
                {a.subtitle && <span class="muted">{` —— ${a.subtitle}`}</span>}
                <span class="muted">{`（${a.paragraphs} 段${a.authors.length ? `，${a.authors.join("、")}` : ""}）`}</span>
              </li>
            ))}
          </ol>
        </>
      ))}
      <p class="muted">{TIERS.map((t) => `${TIER_LABELS[t]}：${outline.distribution[t]} 个单位`).join(" · ")}</p>
    </div>
  );
}

/**
 * The 404 page of the dashboard.
 *
 * @example
 * if (!send) return notFound(c, c.get("viewer"));
 */
export function notFound(c: Parameters<typeof sendPage>[0], viewer: Viewer) {
  return sendPage(c, <Layout title="未找到" viewer={viewer} error="未找到。"><p><a href="/admin">返回概览</a></p></Layout>, 404);
}
