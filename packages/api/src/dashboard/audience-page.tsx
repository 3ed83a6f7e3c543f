/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import { type Coverage, TIERS } from "@bulletin/core";
import { Hono } from "hono";
import type { ApiDeps } from "../api-deps.ts";
import { dryRunSend } from "@bulletin/wiring";
import type { DashboardEnv } from "./auth.tsx";
import { notFound } from "./issue-pages.tsx";
import { Layout, sendPage } from "./layout.tsx";
import { MAYBE_RECEIVED_RISK, TIER_NAMES } from "./labels.ts";
import { explainReason } from "./reasons.ts";

/** Enough to check a list by eye; the rest is counted. */
const SKIPPED_SHOWN = 200;

/**
 * GET /admin/issues/:id/audience: the dry run of the send button. Who each tier would reach if the
 * issue were sent now, and who would be skipped and why (unsubscribed, suppressed, already received
 * this issue), from the same dryRunSend as the API's `{dryRun: true}`. The "maybe received" (an
 * earlier send's delivery ended unknown) are shown apart, with the risk of including them.
 * Nothing is stored or sent.
 */
export function audiencePage(deps: ApiDeps) {
  const app = new Hono<DashboardEnv>();
  app.get("/admin/issues/:id/audience", async (c) => {
    const stored = await deps.issues.get(c.req.param("id"));
    if (!stored) return notFound(c, c.get("viewer"));
    const {
      counts,
      skipped: all,
      maybeReceived,
      coverage,
      warnings,
    } = await dryRunSend(deps, stored, { tiers: [...TIERS], test: false, resend: false });
    const maybe = new Set(maybeReceived);
    const skipped = all.filter((s) => !maybe.has(s.email));
    const skippedBy = Object.fromEntries(TIERS.map((t) => [t, all.filter((s) => s.tier === t).length]));
    const total = TIERS.reduce((n, t) => n + counts[t], 0);
    return sendPage(
      c,
      <Layout title={`发送预览 ${stored.label}`} viewer={c.get("viewer")}>
        <h1>{`发送预览：${stored.label}`}</h1>
        <p>
          <a href={`/admin/issues/${encodeURIComponent(stored.id)}`}>« {stored.label}</a>
        </p>
        <p class="muted">若现在发送给全部三个层级，将会这样发出。这只是预览：没有发送任何邮件。</p>
        {warnings.includes("send.no-issue-number") && (
          <p class="warn" data-warning="no-issue-number">
            这一期还没有期号。发送前请在期刊页填写期号，否则邮件主题里没有期号。
          </p>
        )}
        {warnings.includes("send.email-too-heavy") && (
          <p class="warn" data-warning="email-too-heavy">
            邮件内嵌了图片，每封超过 1.5
            MB，部分邮箱可能拒收或截断。建议在设置页把图片改为“链接”，或在期刊页删去几张图片。
          </p>
        )}
        <table data-audience="counts">
          <thead>
            <tr>
              <th>层级</th>
              <th>将收到</th>
              <th>跳过</th>
            </tr>
          </thead>
          <tbody>
            {TIERS.map((t) => (
              <tr data-tier={t}>
                <td>{TIER_NAMES[t]}</td>
                <td>{counts[t]}</td>
                <td>{skippedBy[t]}</td>
              </tr>
            ))}
            <tr>
              <th>合计</th>
              <th>{total}</th>
              <th>{all.length}</th>
            </tr>
          </tbody>
        </table>
        <h2>{`可能已收到的收件人（${maybeReceived.length}）`}</h2>
        <p class="muted" data-audience="maybe-risk">
          {MAYBE_RECEIVED_RISK}
        </p>
        {maybeReceived.length === 0 ? (
          <p class="muted">没有。</p>
        ) : (
          <table data-audience="maybe">
            <thead>
              <tr>
                <th>邮箱</th>
                <th>层级</th>
              </tr>
            </thead>
            <tbody>
              {all
                .filter((s) => maybe.has(s.email))
                .slice(0, SKIPPED_SHOWN)
                .map((s) => (
                  <tr>
                    <td>{s.email}</td>
                    <td>{TIER_NAMES[s.tier]}</td>
                  </tr>
                ))}
            </tbody>
          </table>
        )}
        <h2>{`跳过的收件人（${skipped.length}）`}</h2>
        {skipped.length === 0 ? (
          <p class="muted">没有。</p>
        ) : (
          <table data-audience="skipped">
            <thead>
              <tr>
                <th>邮箱</th>
                <th>层级</th>
                <th>原因</th>
              </tr>
            </thead>
            <tbody>
              {skipped.slice(0, SKIPPED_SHOWN).map((s) => (
                <tr>
                  <td>{s.email}</td>
                  <td>{TIER_NAMES[s.tier]}</td>
                  <td>{explainReason(s.reason)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {skipped.length > SKIPPED_SHOWN && <p class="muted">{`另有 ${skipped.length - SKIPPED_SHOWN} 个未列出。`}</p>}
        <CoverageView coverage={coverage} />
      </Layout>,
    );
  });
  return app;
}

/**
 * The printed 报/发/送 lists against the recipients: who the footer names that has no active
 * recipient in that tier. A warning to act on (add a recipient), never a block.
 */
function CoverageView(props: { coverage: Coverage }) {
  const missing = TIERS.reduce((n, t) => n + props.coverage[t].missing.length, 0);
  return (
    <section data-coverage>
      <h2>对照简报末尾的报、发、送名单</h2>
      <p class={missing ? "warn" : "ok"}>
        {missing
          ? `有 ${missing} 个单位印在名单上，但收件人名单里没有这个单位的正常收件人，他们收不到这一期。可以先添加收件人再发送。`
          : "名单上的每个单位都有正常的收件人。"}
      </p>
      <div class="scroll">
        <table data-coverage-table>
          <thead>
            <tr>
              <th>层级</th>
              <th>有收件人</th>
              <th>没有收件人</th>
              <th>泛指（不逐一核对）</th>
            </tr>
          </thead>
          <tbody>
            {TIERS.map((t) => {
              const c = props.coverage[t];
              return (
                <tr data-tier={t}>
                  <td class="nowrap">{TIER_NAMES[t]}</td>
                  <td data-covered>{c.covered.join("、") || "—"}</td>
                  <td data-missing class={c.missing.length ? "warn" : ""}>
                    {c.missing.join("、") || "—"}
                  </td>
                  <td data-groups class="muted">
                    {c.groups.join("、") || "—"}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
}
