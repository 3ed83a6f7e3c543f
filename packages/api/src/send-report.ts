import {
  NotFoundError,
  type OrganisationLine,
  organisationReport,
  OUTCOMES,
  type ReportRow,
  type Send,
  TIER_LABELS,
} from "@bulletin/core";
import ExcelJS from "exceljs";
import type { ApiDeps } from "./api-deps.ts";
import { matchingRows } from "./dashboard/delivery-rows.ts";
import { BEIJING, beijingTime, OUTCOME_LABELS, TIER_NAMES } from "./dashboard/labels.ts";
import { explainReason } from "./dashboard/reasons.ts";

/**
 * A send's report per organisation: every delivery joined with its recipient (a page of the ledger
 * at a time), grouped by tier and organisation as core's organisationReport does.
 *
 * @example
 * const { send, lines } = await sendOrganisations(deps, sendId);
 */
export async function sendOrganisations(
  deps: Pick<ApiDeps, "sends" | "issues" | "deliveries" | "recipients">,
  sendId: string,
): Promise<{ send: Send; label: string; lines: OrganisationLine[] }> {
  const send = await deps.sends.get(sendId);
  if (!send) throw new NotFoundError("send.not-found", `no send ${sendId}`);
  const issue = await deps.issues.get(send.issueId);
  const rows: ReportRow[] = [];
  for await (const page of matchingRows(deps, sendId, {})) {
    for (const d of page)
      rows.push({
        email: d.email,
        tier: d.tier,
        status: d.status,
        reason: d.reason,
        updatedAt: d.updatedAt,
        name: d.name,
        organization: d.organization,
        role: d.role,
      });
  }
  const distribution = issue?.issue.distribution ?? { report: [], distribute: [], copy: [] };
  return { send, label: issue?.label ?? send.issueId, lines: organisationReport(rows, distribution) };
}

/**
 * The report as an Excel workbook (exceljs): a sheet with a line per organisation and one with
 * every recipient, headers in Chinese, times in Beijing time. Cells are written as values, never
 * formulas, so a name like "=HYPERLINK(…)" stays text.
 *
 * @example
 * const bytes = await reportWorkbook(report); // for GET /api/sends/:id/report.xlsx
 */
export async function reportWorkbook(report: {
  send: Send;
  label: string;
  lines: OrganisationLine[];
}): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  wb.creator = "简报发送";
  wb.created = new Date(report.send.createdAt);
  const orgs = wb.addWorksheet("单位汇总", { views: [{ state: "frozen", ySplit: 1 }] });
  orgs.columns = [
    { header: "层级", key: "tier", width: 12 },
    { header: "单位", key: "organization", width: 32 },
    { header: "在简报名单上", key: "listed", width: 12 },
    { header: "收件人数", key: "total", width: 10 },
    ...OUTCOMES.map((o) => ({ header: OUTCOME_LABELS[o], key: o, width: 10 })),
    { header: "需跟进", key: "followUp", width: 10 },
  ];
  for (const l of report.lines) {
    orgs.addRow({
      tier: TIER_NAMES[l.tier],
      organization: l.organization || "（单位未知）",
      listed: l.listed ? "是" : "否",
      total: l.counts.total,
      ...Object.fromEntries(OUTCOMES.map((o) => [o, l.counts[o]])),
      followUp: l.counts.bounced + l.counts.failed + l.counts.unknown,
    });
  }
  const people = wb.addWorksheet("收件人明细", { views: [{ state: "frozen", ySplit: 1 }] });
  people.columns = [
    { header: "层级", key: "tier", width: 8 },
    { header: "单位", key: "organization", width: 32 },
    { header: "姓名", key: "name", width: 12 },
    { header: "职务", key: "role", width: 14 },
    { header: "邮箱", key: "email", width: 32 },
    { header: "结果", key: "outcome", width: 12 },
    { header: "原因", key: "reason", width: 40 },
    { header: "原始信息", key: "raw", width: 40 },
    { header: `更新时间（${BEIJING}）`, key: "updatedAt", width: 18 },
  ];
  for (const l of report.lines) {
    for (const r of l.recipients) {
      people.addRow({
        tier: TIER_LABELS[l.tier],
        organization: l.organization || "（单位未知）",
        name: r.name,
        role: r.role,
        email: r.email,
        outcome: OUTCOME_LABELS[r.outcome],
        reason: explainReason(r.reason),
        raw: r.reason ?? "",
        updatedAt: r.updatedAt ? beijingTime(r.updatedAt) : "",
      });
    }
  }
  for (const sheet of [orgs, people]) sheet.getRow(1).font = { bold: true };
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

/**
 * The Content-Disposition of the workbook: an ASCII name (the send id, cleaned), and the Chinese
 * one for browsers that read RFC 6266's filename*.
 *
 * @example
 * reportFileName("3f2a…"); // 'attachment; filename="report-3f2a….xlsx"; filename*=UTF-8\'\'%E6%8A%A5%E9%80%81%E5%9B%9E%E6%89%A7-3f2a….xlsx'
 */
export function reportFileName(sendId: string): string {
  const id = sendId.replace(/[^A-Za-z0-9-]/g, "_").slice(0, 64);
  return `attachment; filename="report-${id}.xlsx"; filename*=UTF-8''${encodeURIComponent(`报送回执-${id}.xlsx`)}`;
}
