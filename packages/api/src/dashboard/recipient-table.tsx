/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { Child } from "hono/jsx";
import { BEIJING, beijingTime } from "./labels.ts";

/** What every row of such a table has: who the person is and when their row last changed. */
export interface PersonRow {
  email: string;
  name: string;
  organization: string;
  updatedAt: string;
}

/** One of the columns a page puts between 单位 and 更新时间. */
export interface Column<R> {
  head: string;
  cell: (row: R) => Child;
  /** "nowrap" for short words that must not break, such as a status. */
  class?: string;
}

/**
 * A page of people as the recipient list and a send's recipient table show them: 邮箱, 姓名, 单位,
 * the page's own columns, 更新时间 (Beijing time); one row per address, marked data-email (and
 * data-status when the page gives one) for the filters' links and the tests.
 *
 * @example
 * <RecipientTable class="recipients" rows={page.items} columns={[{ head: "职务", cell: (r) => r.role }]} />
 */
export function RecipientTable<R extends PersonRow>(props: {
  class: string;
  rows: readonly R[];
  columns: readonly Column<R>[];
  /** Where the address links to; absent, it is plain text. */
  href?: (row: R) => string;
  status?: (row: R) => string;
}) {
  if (props.rows.length === 0) return <p class="muted">没有符合条件的收件人。</p>;
  return (
    <div class="scroll">
      <table class={props.class}>
        <thead>
          <tr>
            <th>邮箱</th>
            <th>姓名</th>
            <th>单位</th>
            {props.columns.map((col) => (
              <th>{col.head}</th>
            ))}
            <th>{`更新时间（${BEIJING}）`}</th>
          </tr>
        </thead>
        <tbody>
          {props.rows.map((r) => (
            <tr data-email={r.email} data-status={props.status?.(r)}>
              <td>{props.href ? <a href={props.href(r)}>{r.email}</a> : r.email}</td>
              <td>{r.name}</td>
              <td>{r.organization}</td>
              {props.columns.map((col) => (
                <td class={col.class}>{col.cell(r)}</td>
              ))}
              <td class="nowrap">{beijingTime(r.updatedAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
