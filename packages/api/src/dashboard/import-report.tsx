/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { ImportReport } from "@bulletin/core";
import { errorMessage } from "./error-messages.ts";
import { RECIPIENT_LABELS } from "./labels.ts";

/**
 * What a recipient CSV import did, shown above the list: the counts, then the rows it rejected
 * (to correct and import again) and the rows it skipped (addresses that left the list), each by
 * its line in the file.
 */
export function ImportReportView(props: { report: ImportReport & { name: string } }) {
  const r = props.report;
  return (
    <section class="card import-report" data-import-report>
      <h2>{`导入结果：${r.name}`}</h2>
      <p
        data-counts
      >{`新增 ${r.created} 人，更新 ${r.updated} 人，未变 ${r.unchanged} 人，跳过 ${r.skipped.length} 行，拒绝 ${r.rejected.length} 行。`}</p>
      <LinesTable
        class="rejected"
        title="未导入的行（请修改后重新导入）"
        lines={r.rejected.map((x) => ({ line: x.line, email: x.email ?? "", why: errorMessage(x.code, x.details) }))}
      />
      <LinesTable
        class="skipped"
        title="跳过的行（地址已离开名单，导入不会恢复）"
        lines={r.skipped.map((x) => ({
          line: x.line,
          email: x.email,
          why: skippedBecause(x.reason),
        }))}
      />
    </section>
  );
}

/** Lines of the file with their address and why: 行号, 邮箱, 原因. Nothing when there are none. */
function LinesTable(props: { class: string; title: string; lines: { line: number; email: string; why: string }[] }) {
  if (props.lines.length === 0) return null;
  return (
    <>
      <h3>{props.title}</h3>
      <div class="scroll">
        <table class={props.class}>
          <thead>
            <tr>
              <th>行号</th>
              <th>邮箱</th>
              <th>原因</th>
            </tr>
          </thead>
          <tbody>
            {props.lines.map((x) => (
              <tr data-line={x.line}>
                <td class="num">{x.line}</td>
                <td>{x.email}</td>
                <td>{x.why}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

/** "已退订", "已退信", "已投诉": the status's label as a reason, without doubling a label's own 已. */
function skippedBecause(reason: string): string {
  const label = RECIPIENT_LABELS[reason as keyof typeof RECIPIENT_LABELS] ?? reason;
  return label.startsWith("已") ? label : `已${label}`;
}
