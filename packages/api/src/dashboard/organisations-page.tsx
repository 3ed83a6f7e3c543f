/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import { FOLLOW_UP, type OrganisationLine, OUTCOMES, TIERS } from "@bulletin/core";
import { Hono } from "hono";
import type { ApiDeps } from "../api-deps.ts";
import { reportFileName, reportWorkbook, sendOrganisations } from "../send-report.ts";
import type { DashboardEnv } from "./auth.tsx";
import { notFound } from "./issue-pages.tsx";
import { BEIJING, beijingTime, OUTCOME_LABELS, TIER_NAMES } from "./labels.ts";
import { Layout, sendPage } from "./layout.tsx";
import { explainReason } from "./reasons.ts";

/**
 * GET /admin/sends/:id/organisations: the report per organisation (报送回执), as the printed
 * 报/发/送 block thinks: did each organisation get it, and whom to phone. GET …/report.xlsx: the
 * same as an Excel workbook (what GET /api/sends/:id/report.xlsx gives).
 */
export function organisationsPage(deps: ApiDeps) {
  const app = new Hono<DashboardEnv>();

  app.get("/admin/sends/:id/organisations", async (c) => {
    if (!(await deps.sends.get(c.req.param("id")))) return notFound(c, c.get("viewer"));
    const { send, label, lines } = await sendOrganisations(deps, c.req.param("id"));
    const base = `/admin/sends/${encodeURIComponent(send.id)}`;
    const followUp = lines.flatMap((l) =>
      l.recipients
        .filter((r) => FOLLOW_UP.includes(r.outcome))
        .map((r) => ({ ...r, tier: l.tier, organization: l.organization })),
    );
    const nobody = lines.filter((l) => l.listed && l.counts.total === 0);
    return sendPage(
      c,
      <Layout title={`报送回执 ${label}`} viewer={c.get("viewer")}>
        <p>
          <a href={base}>« 发送详情</a>
        </p>
        <h1>
          {`报送回执：${label}`}
          {send.test ? "（测试）" : ""}
        </h1>
        <p class="muted">按单位统计这次发送的结果。“在名单上”指简报末尾的报、发、送名单印有这个单位。</p>
        <p>
          <a class="button" href={`${base}/report.xlsx`} download>
            导出 Excel
          </a>
        </p>
        <section class="card" data-follow-up>
          <h2>{`需要跟进（${followUp.length}）`}</h2>
          {followUp.length === 0 ? (
            <p class="ok">没有退信、失败或结果未知的收件人。</p>
          ) : (
            <div class="scroll">
              <table class="follow-up">
                <thead>
                  <tr>
                    <th>单位</th>
                    <th>层级</th>
                    <th>姓名</th>
                    <th>职务</th>
                    <th>邮箱</th>
                    <th>结果</th>
                    <th>原因</th>
                  </tr>
                </thead>
                <tbody>
                  {followUp.map((r) => (
                    <tr data-email={r.email} data-outcome={r.outcome}>
                      <td>{r.organization || "（单位未知）"}</td>
                      <td class="nowrap">{TIER_NAMES[r.tier]}</td>
                      <td>{r.name}</td>
                      <td>{r.role}</td>
                      <td>{r.email}</td>
                      <td class="nowrap">{OUTCOME_LABELS[r.outcome]}</td>
                      <td>{explainReason(r.reason) || (r.outcome === "unknown" ? "不确定对方是否收到" : "")}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {nobody.length > 0 && (
            <p
              class="warn"
              data-nobody
            >{`名单上的这些单位在这次发送中没有收件人：${nobody.map((l) => `${l.organization}（${TIER_NAMES[l.tier]}）`).join("、")}。`}</p>
          )}
        </section>
        {TIERS.map((tier) => (
          <OrganisationTable tier={tier} lines={lines.filter((l) => l.tier === tier)} />
        ))}
      </Layout>,
    );
  });

  app.get("/admin/sends/:id/report.xlsx", async (c) => {
    if (!(await deps.sends.get(c.req.param("id")))) return notFound(c, c.get("viewer"));
    const report = await sendOrganisations(deps, c.req.param("id"));
    return c.body((await reportWorkbook(report)) as Uint8Array<ArrayBuffer>, 200, {
      "Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      "Content-Disposition": reportFileName(report.send.id),
    });
  });
  return app;
}

/** The columns worth a column: an outcome nobody in the send had is left out. */
function OrganisationTable(props: { tier: (typeof TIERS)[number]; lines: OrganisationLine[] }) {
  if (props.lines.length === 0) return null;
  const shown = OUTCOMES.filter((o) => props.lines.some((l) => l.counts[o] > 0));
  return (
    <section data-tier={props.tier}>
      <h2>{TIER_NAMES[props.tier]}</h2>
      <div class="scroll">
        <table class="organisations">
          <thead>
            <tr>
              <th>单位</th>
              <th>在名单上</th>
              <th class="num">收件人</th>
              {shown.map((o) => (
                <th class="num">{OUTCOME_LABELS[o]}</th>
              ))}
              <th>收件人明细</th>
            </tr>
          </thead>
          <tbody>
            {props.lines.map((l) => (
              <tr data-organization={l.organization} class={l.listed && l.counts.total === 0 ? "warn" : ""}>
                <td>{l.organization || "（单位未知）"}</td>
                <td class="nowrap">{l.listed ? "是" : ""}</td>
                <td class="num">{l.counts.total}</td>
                {shown.map((o) => (
                  <td class="num" data-outcome={o}>
                    {l.counts[o]}
                  </td>
                ))}
                <td>
                  {l.recipients.length === 0
                    ? "没有收件人"
                    : l.recipients
                        .map(
                          (r) =>
                            `${r.name || r.email}${r.role ? `（${r.role}）` : ""}：${OUTCOME_LABELS[r.outcome]}${r.updatedAt && r.outcome === "delivered" ? ` ${beijingTime(r.updatedAt)}` : ""}`,
                        )
                        .join("；")}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p class="muted">{`送达时间为${BEIJING}。`}</p>
    </section>
  );
}
