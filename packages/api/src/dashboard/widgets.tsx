/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { Send, Totals } from "@bulletin/core";
export { errorOf, noticeOf } from "./flash.ts";
import { BEIJING, beijingTime, SEND_LABELS } from "./labels.ts";

/**
 * A link to `path` with the given query parameters, empty ones left out.
 *
 * @example
 * hrefWith("/admin/recipients", { tier: "report", q: "" }); // "/admin/recipients?tier=report"
 */
export function hrefWith(path: string, params: Record<string, string | undefined>): string {
  const query = new URLSearchParams(Object.entries(params).filter((e): e is [string, string] => !!e[1])).toString();
  return query ? `${path}?${query}` : path;
}

/**
 * Links to the first and the next page (cursors only go forward).
 *
 * @example
 * <Pager first={hrefWith(path, filters)} next={page.cursor && hrefWith(path, { ...filters, cursor: page.cursor })} />
 */
export function Pager(props: { first: string; next?: string | undefined; onFirst: boolean }) {
  if (props.onFirst && !props.next) return null;
  return (
    <nav class="pager" aria-label="分页">
      {!props.onFirst && <a href={props.first}>« 第一页</a>}
      {props.next && (
        <a href={props.next} rel="next">
          下一页 »
        </a>
      )}
    </nav>
  );
}

/** A select of fixed options with labels, keeping the current choice; "" means all. */
export function Choice(props: {
  name: string;
  label: string;
  value: string | undefined;
  options: Record<string, string>;
}) {
  return (
    <label>
      {props.label}
      <select name={props.name}>
        <option value="">全部</option>
        {Object.entries(props.options).map(([value, text]) => (
          <option value={value} selected={value === props.value}>
            {text}
          </option>
        ))}
      </select>
    </label>
  );
}

export interface SendRow {
  send: Send;
  totals: Totals;
}

/**
 * The sends of an issue with their counts (from the ledger's counters).
 *
 * @example
 * <SendsTable rows={[{ send, totals }]} />
 */
export function SendsTable(props: { rows: SendRow[] }) {
  if (props.rows.length === 0) return <p class="muted">尚未发送。</p>;
  return (
    <div class="scroll">
      <table>
        <thead>
          <tr>
            <th>{`创建时间（${BEIJING}）`}</th>
            <th>状态</th>
            <th class="num">收件人</th>
            <th class="num">已发出</th>
            <th class="num">已送达</th>
            <th class="num">退信</th>
            <th class="num">投诉</th>
            <th class="num">失败</th>
            <th class="num">跳过</th>
            <th></th>
          </tr>
        </thead>
        <tbody>
          {props.rows.map(({ send, totals: t }) => (
            <tr>
              <td class="nowrap">
                {beijingTime(send.createdAt)}
                {send.test ? "（测试）" : ""}
                {send.status === "scheduled" && send.scheduledAt ? `（计划于 ${beijingTime(send.scheduledAt)}）` : ""}
              </td>
              <td>
                <span class="badge">{SEND_LABELS[send.status]}</span>
              </td>
              <td class="num">{send.total}</td>
              <td class="num">{t.sent + t.delivered + t.bounced + t.complained}</td>
              <td class="num">{t.delivered}</td>
              <td class="num">{t.bounced}</td>
              <td class="num">{t.complained}</td>
              <td class="num">{t.failed}</td>
              <td class="num">{t.skipped}</td>
              <td>
                <a href={`/admin/sends/${encodeURIComponent(send.id)}`}>详情</a>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
