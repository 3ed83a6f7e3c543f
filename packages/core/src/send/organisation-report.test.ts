import { describe, expect, it } from "vitest";
import { organisationReport, OUTCOMES, type ReportRow } from "./organisation-report.ts";

const row = (
  email: string,
  tier: ReportRow["tier"],
  organization: string,
  status: ReportRow["status"],
  reason?: string,
): ReportRow => ({ email, tier, organization, status, reason, name: email.split("@")[0]!, role: "" });
const distribution = {
  report: ["中国通信企业协会", "山西省通信管理局领导", "山西省民政厅社会组织管理局", "各中心"],
  distribute: ["常务理事"],
  copy: ["相关单位"],
};

describe("organisationReport", () => {
  it("counts each recipient once per organisation, printed organisations first, with sums equal to the send's totals", () => {
    const rows = [
      row("a@tx.cn", "report", "山西省通信管理局", "delivered"),
      row("b@tx.cn", "report", "山西省通信管理局", "bounced", "smtp; 550 5.1.1 user unknown"),
      row("c@cace.cn", "report", "中国通信企业协会", "unknown", "no answer from the sender"),
      row("d@mob.cn", "distribute", "山西移动", "skipped", "unsubscribed"),
      row("e@mob.cn", "distribute", "山西移动", "skipped", "already received this issue"),
      row("f@x.cn", "distribute", "", "queued"),
      row("g@x.cn", "copy", "北京市通信行业协会", "complained", "abuse"),
      row("h@x.cn", "copy", "北京市通信行业协会", "sent"),
      row("i@x.cn", "copy", "北京市通信行业协会", "failed", "MessageRejected: x"),
    ];
    const lines = organisationReport(rows, distribution);
    expect(lines.map((l) => [l.tier, l.organization, l.listed, l.counts.total])).toEqual([
      ["report", "中国通信企业协会", true, 1],
      ["report", "山西省通信管理局", true, 2],
      ["report", "山西省民政厅社会组织管理局", true, 0],
      ["distribute", "山西移动", false, 2],
      ["distribute", "", false, 1],
      ["copy", "北京市通信行业协会", false, 3],
    ]);
    const sum = (o: (typeof OUTCOMES)[number]) => lines.reduce((n, l) => n + l.counts[o], 0);
    expect(Object.fromEntries(OUTCOMES.map((o) => [o, sum(o)]))).toEqual({
      delivered: 1,
      sent: 1,
      bounced: 1,
      complained: 1,
      failed: 1,
      unsubscribed: 1,
      skipped: 1,
      unknown: 1,
      pending: 1,
    });
    expect(lines[1]!.recipients.map((r) => [r.email, r.outcome, r.reason])).toEqual([
      ["a@tx.cn", "delivered", undefined],
      ["b@tx.cn", "bounced", "smtp; 550 5.1.1 user unknown"],
    ]);
  });
});
