/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import {
  hasIssueNumber,
  MASTHEAD_LIMITS,
  MAX_PAGE_SIZE,
  outlineOf,
  type PreSendCheck,
  sendProgress,
  type StoredIssue,
  TIER_LABELS,
  TIERS,
} from "@bulletin/core";
import { checkIssue } from "@bulletin/wiring";
import { Hono } from "hono";
import type { ApiDeps } from "../api-deps.ts";
import type { DashboardEnv } from "./auth.tsx";
import { FiguresCard } from "./figures-card.tsx";
import { PreSendCard } from "./pre-send-card.tsx";
import { Csrf, Layout, PostButton, sendPage, type Viewer } from "./layout.tsx";
import { beijingTimeLabelled, FORMAT_LABELS, MAYBE_RECEIVED_RISK, TIER_NAMES } from "./labels.ts";
import { hasRole } from "./roles.ts";
import { hrefWith, noticeOf, Pager, type SendRow, SendsTable } from "./widgets.tsx";

const ISSUES_PER_PAGE = 20;
const SENDS_PER_ISSUE = 5;

/** The sends of an issue, newest first, each with its counters. */
async function sendRows(deps: ApiDeps, issueId: string, limit: number): Promise<SendRow[]> {
  const page = await deps.sends.listByIssue(issueId, { limit });
  return Promise.all(
    page.items.map(async (send) => ({ send, totals: (await sendProgress(send, deps.deliveries)).totals })),
  );
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
    const rows = await Promise.all(
      page.items.map(async (issue) => ({ issue, sends: await sendRows(deps, issue.id, SENDS_PER_ISSUE) })),
    );
    return sendPage(
      c,
      <Layout title="期刊与发送" viewer={c.get("viewer")} notice={noticeOf(c)}>
        <h1>期刊与发送</h1>
        {rows.length === 0 && (
          <p class="muted">
            还没有期刊。<a href="/admin/import">导入一期</a>
          </p>
        )}
        {rows.map(({ issue, sends }) => (
          <section class="card" data-issue={issue.id}>
            <h2>
              <a href={`/admin/issues/${encodeURIComponent(issue.id)}`}>{issue.label}</a>
            </h2>
            <p class="muted" data-masthead>
              {issue.masthead?.number ? `期号 ${issue.masthead.number}` : "未填期号"}
              {issue.masthead?.date ? ` · ${issue.masthead.date}` : ""}
              {` · ${issue.articles} 篇 · 导入于 ${beijingTimeLabelled(issue.createdAt)}`}
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
    // The checks render all three tiers, as the dry run does: what a send to everyone would mail.
    const [sends, checks] = await Promise.all([
      sendRows(deps, stored.id, MAX_PAGE_SIZE),
      checkIssue(deps, stored, TIERS),
    ]);
    const v = c.get("viewer");
    return sendPage(
      c,
      <Layout title={stored.label} viewer={v} notice={noticeOf(c)}>
        <h1>{stored.label}</h1>
        <p class="muted">
          {`导入于 ${beijingTimeLabelled(stored.createdAt)} · 来源 ${FORMAT_LABELS[stored.format]}`}
          {stored.readyAt ? ` · 待发（${beijingTimeLabelled(stored.readyAt)}标记）` : ""}
          {stored.publishedAt ? ` · 已公开（${beijingTimeLabelled(stored.publishedAt)}）` : ""}
        </p>
        <MastheadCard viewer={v} issue={stored} />
        <FiguresCard viewer={v} issue={stored} />
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
          {stored.original && (
            <>
              {" · "}
              <a href={`/archive/${encodeURIComponent(stored.id)}/original.pdf`}>PDF 原版</a>
            </>
          )}
        </p>
        <PreSendCard checks={checks} />
        {hasRole(v.token.role, "secretariat") && <IssueActions viewer={v} issue={stored} checks={checks} />}
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
    const email = (
      await deps.renderer.prepare(stored.issue, tier, { originalPdf: stored.original !== undefined })
    ).personalise(
      { email: "recipient@example.com", name: "示例收件人", ...(organization ? { organization } : {}) },
      {
        viewOnlineUrl: `${deps.publicUrl}/archive/${encodeURIComponent(stored.id)}`,
        unsubscribeUrl: `${deps.publicUrl}/unsubscribe/preview`,
      },
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

/** The masthead (刊名、期号、日期): shown to everyone, editable by the secretariat. */
function MastheadCard(props: { viewer: Viewer; issue: StoredIssue }) {
  const m = props.issue.issue.masthead ?? {};
  const edit = hasRole(props.viewer.token.role, "secretariat");
  const field = (name: "title" | "number" | "date", label: string, placeholder: string, max: number) => (
    <label>
      {label}
      <input type="text" name={name} value={m[name] ?? ""} placeholder={placeholder} maxlength={max} disabled={!edit} />
    </label>
  );
  return (
    <form
      method="post"
      action={`/admin/issues/${encodeURIComponent(props.issue.id)}/masthead`}
      class="filters card masthead"
      data-masthead-form
    >
      <Csrf viewer={props.viewer} />
      <strong class="grow">刊头</strong>
      {field("title", "刊名", "例如：山西通信", MASTHEAD_LIMITS.title)}
      {field("number", "期号", "例如：2026年第1期", MASTHEAD_LIMITS.number)}
      {field("date", "日期", "例如：2026年1月30日", MASTHEAD_LIMITS.date)}
      {edit && <button type="submit">保存刊头</button>}
      {!m.number && (
        <p class="warn grow" data-no-number>
          这一期还没有期号：邮件主题里将没有期号。
        </p>
      )}
    </form>
  );
}

/** The secretariat's actions on an issue: send it to chosen tiers, a test send, mark it ready, publish it. */
function IssueActions(props: { viewer: Viewer; issue: StoredIssue; checks: readonly PreSendCheck[] }) {
  const { viewer, issue } = props;
  const base = `/admin/issues/${encodeURIComponent(issue.id)}`;
  const numbered = hasIssueNumber(issue.issue);
  const failed = props.checks.filter((c) => c.status === "fail").length;
  return (
    <>
      <form method="post" action={`${base}/send`} class="card send-form">
        <Csrf viewer={viewer} />
        <h2>发送</h2>
        <fieldset>
          <legend>发送给哪些层级</legend>
          {TIERS.map((t) => (
            <label class="check">
              <input type="checkbox" name="tiers" value={t} checked /> {TIER_NAMES[t]}
            </label>
          ))}
        </fieldset>
        {!numbered && (
          <label class="check warn">
            <input type="checkbox" name="noNumber" value="yes" required /> 本期没有期号，确认仍然发送
          </label>
        )}
        {failed > 0 && (
          <label class="check warn" data-checks-failed>
            <input type="checkbox" name="checksFailed" value="yes" required />{" "}
            {`发送前检查有 ${failed} 项未通过（见上方“发送前检查”），确认仍然发送`}
          </label>
        )}
        <label class="check">
          <input type="checkbox" name="confirm" value="yes" required />{" "}
          确认发送给所选层级的全部收件人（已收到本期的不会重复发送）
        </label>
        <label title={MAYBE_RECEIVED_RISK}>
          <input type="checkbox" name="includeMaybeReceived" value="yes" /> 也发给可能已收到的人（他们可能收到两份）
        </label>
        <div class="actions">
          {failed > 0 ? (
            <button type="submit" class="danger">
              仍然发送（检查未通过）
            </button>
          ) : (
            <button type="submit">开始发送</button>
          )}
          <a href={`${base}/audience`}>先预览收件人（不会发送）</a>
        </div>
      </form>
      <form method="post" action={`${base}/test-send`} class="card test-form">
        <Csrf viewer={viewer} />
        <h2>测试发送</h2>
        <p class="muted">
          把所选层级的邮件发给下面的地址，主题前加【测试】。测试不算正式发送，收件人不会被记为已收到本期。
        </p>
        <p>
          <label for="test-to">收件地址（每行一个，或用逗号分隔，最多 50 个）</label>
          <textarea id="test-to" name="to" class="short" required placeholder="me@example.org"></textarea>
        </p>
        <label>
          {"层级 "}
          <select name="tier">
            {TIERS.map((t) => (
              <option value={t}>{TIER_NAMES[t]}</option>
            ))}
          </select>
        </label>{" "}
        <button type="submit">发送测试邮件</button>
      </form>
      <div class="actions">
        <PostButton
          viewer={viewer}
          action={`${base}/ready`}
          fields={{ ready: issue.readyAt ? "no" : "yes" }}
          label={issue.readyAt ? "取消待发" : "标记为待发"}
          kind="secondary"
        />
        <PostButton
          viewer={viewer}
          action={`${base}/public`}
          fields={{ public: issue.publishedAt ? "no" : "yes" }}
          label={issue.publishedAt ? "撤回公开" : "公开到网页存档"}
          kind="secondary"
        />
      </div>
    </>
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
                <span class="muted">{`（${a.paragraphs} 段${a.figures ? `，${a.figures} 张图片` : ""}${a.authors.length ? `，${a.authors.join("、")}` : ""}）`}</span>
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
  return sendPage(
    c,
    <Layout title="未找到" viewer={viewer} error="未找到。">
      <p>
        <a href="/admin">返回概览</a>
      </p>
    </Layout>,
    404,
  );
}
