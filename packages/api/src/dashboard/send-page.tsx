/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import {
  type DeliveryStatus,
  type DomainGroup,
  effectiveLimit,
  type Engagement,
  type Send,
  sendProgress,
  type SendStatus,
  TIER_LABELS,
  TIERS,
  type Tier,
  type Totals,
} from "@bulletin/core";
import { Hono } from "hono";
import type { ApiDeps } from "../api-deps.ts";
import type { DashboardEnv } from "./auth.tsx";
import { type DeliveryFilter, deliveryPage, parseDeliveryFilter } from "./delivery-rows.ts";
import { notFound } from "./issue-pages.tsx";
import { Layout, PostButton, sendPage, type Viewer } from "./layout.tsx";
import { BEIJING, beijingTime, DELIVERY_LABELS, SEND_LABELS, TIER_NAMES } from "./labels.ts";
import { explainPause, explainReason } from "./reasons.ts";
import { RecipientTable } from "./recipient-table.tsx";
import { hasRole } from "./roles.ts";
import { ReputationLine, TierBars } from "./tier-bars.tsx";
import { Choice, errorOf, hrefWith, noticeOf, Pager } from "./widgets.tsx";

const ROWS_PER_PAGE = 50;

/** The cards after 状态 and 收件人: the statuses of the table's columns, settled first (in-flight ones only while there are any). */
const CARD_STATUSES = Object.keys(DELIVERY_LABELS) as DeliveryStatus[];

/** The controls and the send statuses they apply in (as core's pauseSend, resumeSend, cancelSend, retryFailed accept). */
export const SEND_CONTROLS = {
  pause: { label: "暂停", from: ["dispatching", "sending"] },
  resume: { label: "恢复", from: ["paused"] },
  cancel: { label: "取消发送", from: ["scheduled", "dispatching", "sending", "paused"] },
  retry: { label: "重试失败的收件人", from: ["finished", "sending", "paused"] },
} as const satisfies Record<string, { label: string; from: readonly SendStatus[] }>;
export type SendControl = keyof typeof SEND_CONTROLS;

/**
 * The controls worth offering for a send: valid for its status, and retry only with failures.
 *
 * @example
 * controlsFor({ ...send, status: "paused" }, totals); // ["resume", "cancel"] (+ "retry" when some failed)
 */
export function controlsFor(send: Send, totals: Totals): SendControl[] {
  return (Object.keys(SEND_CONTROLS) as SendControl[]).filter(
    (k) =>
      (SEND_CONTROLS[k].from as readonly SendStatus[]).includes(send.status) && (k !== "retry" || totals.failed > 0),
  );
}

/**
 * GET /admin/sends/:id: status, totals and rate, per-tier bars, reputation against SES's thresholds,
 * opens and clicks, the controls (secretariat), and the recipient table with its filters.
 */
export function sendPageRoutes(deps: ApiDeps) {
  const app = new Hono<DashboardEnv>();
  app.get("/admin/sends/:id", async (c) => {
    const v = c.get("viewer");
    const send = await deps.sends.get(c.req.param("id"));
    if (!send) return notFound(c, v);
    const [progress, engagement, issue, waiting] = await Promise.all([
      sendProgress(send, deps.deliveries, deps.clock),
      deps.deliveries.engagement(send.id),
      deps.issues.get(send.issueId),
      deps.deliveries.queuedByGroup(send.id),
    ]);
    const filter = parseDeliveryFilter(c.req.query());
    const page = await deliveryPage(deps, send.id, filter, c.req.query("cursor"), ROWS_PER_PAGE);
    const base = `/admin/sends/${encodeURIComponent(send.id)}`;
    const t = progress.totals;
    const live = send.status === "sending" || send.status === "dispatching";
    return sendPage(
      c,
      <Layout
        title={`发送 ${issue?.label ?? send.issueId}`}
        viewer={v}
        notice={noticeOf(c)}
        error={errorOf(c)}
        refresh={live ? 5 : undefined}
      >
        <h1>
          {"发送："}
          <a href={`/admin/issues/${encodeURIComponent(send.issueId)}`}>{issue?.label ?? send.issueId}</a>
          {send.test ? "（测试）" : ""}
        </h1>
        <div class="stats" data-send-status={send.status}>
          <div>
            状态<b>{SEND_LABELS[send.status]}</b>
          </div>
          <div>
            收件人<b data-total="all">{send.total}</b>
          </div>
          {/* The same counters and words as the table below: each card is that column's 合计. */}
          {CARD_STATUSES.filter((s) => s === "delivered" || s === "bounced" || s === "failed" || t[s] > 0).map((s) => (
            <div data-card={s}>
              {DELIVERY_LABELS[s]}
              <b>{t[s]}</b>
            </div>
          ))}
          <div>
            {send.status === "finished" ? "平均速率" : "速率"}
            <b data-rate>{send.status === "finished" || send.status === "sending" ? `${progress.rate} 封/秒` : "—"}</b>
          </div>
        </div>
        <p class="muted">
          {`创建 ${beijingTime(send.createdAt)}`}
          {send.startedAt && ` · 开始 ${beijingTime(send.startedAt)}`}
          {send.finishedAt && ` · 结束 ${beijingTime(send.finishedAt)}`}
          {send.scheduledAt && ` · 计划 ${beijingTime(send.scheduledAt)}`}
          {`（${BEIJING}）`}
          {send.test
            ? ` · 测试发送：${(send.only ?? []).join("、")}，不算正式发送`
            : ` · 层级：${send.tiers.map((x) => TIER_NAMES[x]).join("、")}`}
        </p>
        {send.pauseReason && <p class="warn" data-pause-reason>{`暂停原因：${explainPause(send.pauseReason)}`}</p>}
        <p>
          <a href={`${base}/organisations`}>按单位查看回执（报送回执）</a>
        </p>
        {hasRole(v.token.role, "secretariat") && <Controls viewer={v} base={base} controls={controlsFor(send, t)} />}
        <DomainWaiting groups={deps.domainGroups ?? []} waiting={waiting} throttled={send.throttledGroups ?? []} />
        <h2>各层级</h2>
        <TierBars byTier={progress.byTier} />
        <ReputationLine totals={t} />
        <EngagementTable engagement={engagement} />
        <h2>收件人明细</h2>
        <FilterForm base={base} filter={filter} />
        <RecipientTable
          class="deliveries"
          rows={page.rows}
          status={(r) => r.status}
          columns={[
            { head: "层级", cell: (r) => TIER_LABELS[r.tier], class: "nowrap" },
            { head: "状态", cell: (r) => DELIVERY_LABELS[r.status], class: "nowrap" },
            { head: "原因", cell: (r) => explainReason(r.reason) },
          ]}
        />
        <Pager
          onFirst={!c.req.query("cursor")}
          first={hrefWith(base, { ...filter })}
          next={page.cursor && hrefWith(base, { ...filter, cursor: page.cursor })}
        />
      </Layout>,
    );
  });
  return app;
}

function Controls(props: { viewer: Viewer; base: string; controls: SendControl[] }) {
  if (props.controls.length === 0) return null;
  return (
    <div class="actions">
      {props.controls.map((k) => (
        <PostButton
          viewer={props.viewer}
          action={`${props.base}/${k}`}
          label={SEND_CONTROLS[k].label}
          kind={k === "cancel" ? "danger" : undefined}
        />
      ))}
    </div>
  );
}

/**
 * Who waits for a receiver's limit: per domain group (DOMAIN_RATES), its limit, whether a receiver
 * pushed back (the limit is halved for the rest of the send), and how many of its recipients are
 * still queued. The rest of the list goes at the account's rate meanwhile.
 */
function DomainWaiting(props: {
  groups: readonly DomainGroup[];
  waiting: Record<string, number>;
  throttled: readonly string[];
}) {
  const rows = props.groups.filter((g) => (props.waiting[g.name] ?? 0) > 0 || props.throttled.includes(g.name));
  if (rows.length === 0) return null;
  return (
    <div class="card" data-domain-waiting>
      <h2>按收件域名限速</h2>
      <p class="muted">对方邮件服务器限制每小时接收的数量；以下域名的收件人按限速排队，其他收件人照常发送。</p>
      <ul>
        {rows.map((g) => (
          <li data-group={g.name} data-waiting={props.waiting[g.name] ?? 0}>
            {`${g.domains.join("、")}（限 ${rateWords(effectiveLimit(g, props.throttled), g.rate)}）：等待 ${props.waiting[g.name] ?? 0} 人`}
            {props.throttled.includes(g.name)
              ? `。对方曾提示“发送过于频繁”，本次发送的限额已减半（原为 ${rateWords(g.limit, g.rate)}）`
              : ""}
          </li>
        ))}
      </ul>
    </div>
  );
}

const UNIT_WORDS: Record<string, string> = { s: "每秒", min: "每分钟", h: "每小时", d: "每天" };

/** "3000/h" → "每小时 3000 封". */
function rateWords(limit: number, rate: string): string {
  return `${UNIT_WORDS[rate.split("/")[1] ?? ""] ?? ""} ${limit} 封`;
}

function EngagementTable(props: { engagement: Record<Tier, Engagement> }) {
  const e = props.engagement;
  if (!TIERS.some((t) => e[t].opened + e[t].clicked + e[t].automatedOpened + e[t].automatedClicked > 0)) return null;
  const automated = TIERS.reduce((n, t) => n + e[t].automatedOpened + e[t].automatedClicked, 0);
  return (
    <>
      <h2>打开与点击</h2>
      <div class="scroll">
        <table class="engagement">
          <thead>
            <tr>
              <th>层级</th>
              <th class="num">打开人数</th>
              <th class="num">打开次数</th>
              <th class="num">点击人数</th>
              <th class="num">点击次数</th>
            </tr>
          </thead>
          <tbody>
            {TIERS.map((t) => (
              <tr>
                <th>{TIER_LABELS[t]}</th>
                <td class="num">{e[t].openedFirst}</td>
                <td class="num">{e[t].opened}</td>
                <td class="num">{e[t].clickedFirst}</td>
                <td class="num">{e[t].clicked}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p class="muted">打开依赖收件人加载图片，仅供参考。同一事件重复导入只计一次。</p>
      {automated > 0 ? (
        <p class="muted" data-automated={automated}>
          另有 {TIERS.reduce((n, t) => n + e[t].automatedOpened, 0)} 次打开、
          {TIERS.reduce((n, t) => n + e[t].automatedClicked, 0)}{" "}
          次点击判定为安全扫描程序自动访问（它点了邮件中不可见的检测链接），未计入上表。
        </p>
      ) : null}
    </>
  );
}

function FilterForm(props: { base: string; filter: DeliveryFilter }) {
  const f = props.filter;
  return (
    <form method="get" action={props.base} class="filters card">
      <Choice name="tier" label="层级" value={f.tier} options={TIER_NAMES} />
      <Choice name="status" label="状态" value={f.status} options={DELIVERY_LABELS} />
      <label>
        单位
        <input type="text" name="org" value={f.org ?? ""} />
      </label>
      <label>
        搜索（邮箱、姓名、单位）
        <input type="search" name="q" value={f.q ?? ""} />
      </label>
      <button type="submit">筛选</button>
      <a class="button secondary" href={props.base}>
        清除
      </a>
      <a class="button secondary" href={hrefWith(`${props.base}/deliveries.csv`, { ...f })} download>
        导出 CSV
      </a>
    </form>
  );
}
