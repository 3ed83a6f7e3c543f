import { readFileSync } from "node:fs";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestService } from "../support/service.ts";

let ctx: Awaited<ReturnType<typeof startTestService>>;
let sendId: string;
const BOUNCED = "leader2@sxca.example.gov.cn";
const json = { "content-type": "application/json" };

beforeAll(async () => {
  ctx = await startTestService();
  const issueId = ctx.service.seeded!.issueId;
  sendId = (
    (await (
      await ctx.api(`/api/issues/${issueId}/sends`, { role: "secretariat", method: "POST", headers: json, body: "{}" })
    ).json()) as { sendId: string }
  ).sendId;
  let status = "";
  for (let i = 0; i < 300 && status !== "finished"; i++) {
    await new Promise((r) => setTimeout(r, 100));
    status = ((await (await ctx.api(`/api/sends/${sendId}`, { role: "viewer" })).json()) as { status: string }).status;
  }
  // SES's permanent bounce, re-addressed to one 报 recipient of this send.
  const [d] = await ctx.service.deps.deliveries.getMany(sendId, [BOUNCED]);
  if (!d) throw new Error(`no delivery for ${BOUNCED}`);
  const e = JSON.parse(readFileSync("packages/core/src/events/fixtures/bounce-permanent.json", "utf8"));
  e.mail.messageId = d.sesMessageId;
  e.mail.destination = [BOUNCED];
  e.mail.tags = { ...e.mail.tags, send: [sendId], tier: ["report"] };
  e.bounce.bouncedRecipients = [
    { emailAddress: BOUNCED, action: "failed", status: "5.1.1", diagnosticCode: "smtp; 550 5.1.1 user unknown" },
  ];
  await ctx.api("/api/events", {
    role: "admin",
    method: "POST",
    headers: { "content-type": "text/plain" },
    body: JSON.stringify([e]),
  });
}, 90_000);
afterAll(async () => ctx?.service.stop());

type Line = {
  tier: string;
  organization: string;
  listed: boolean;
  counts: Record<string, number>;
  recipients: { email: string; outcome: string; reason?: string; name: string }[];
};

describe("the report per organisation", () => {
  it("GET /api/sends/:id/organisations: per tier and organisation, sums equal to the send's totals, the printed ones first", async () => {
    const { organisations } = (await (
      await ctx.api(`/api/sends/${sendId}/organisations`, { role: "viewer" })
    ).json()) as { organisations: Line[] };
    const { totals } = (await (await ctx.api(`/api/sends/${sendId}`, { role: "viewer" })).json()) as {
      totals: Record<string, number>;
    };
    const sum = (k: string) => organisations.reduce((n, l) => n + l.counts[k]!, 0);
    expect(sum("total")).toBe(Object.values(totals).reduce((a, b) => a + b, 0));
    for (const k of ["delivered", "sent", "bounced", "complained", "failed", "unknown"])
      expect(sum(k), k).toBe(totals[k]);
    expect(sum("skipped") + sum("unsubscribed")).toBe(totals.skipped);
    expect(sum("pending")).toBe(totals.queued! + totals.sending!);
    const report = organisations.filter((l) => l.tier === "report");
    // The sample footer's 报 line: 中国通信企业协会、山西省民政厅社会组织管理局、山西省通信管理局领导 (、各中心、各处室).
    expect(report.slice(0, 3).map((l) => [l.organization, l.listed])).toEqual([
      ["中国通信企业协会", true],
      ["山西省民政厅社会组织管理局", true],
      ["山西省通信管理局", true],
    ]);
    const tx = report.find((l) => l.organization === "山西省通信管理局")!;
    expect(tx.counts.bounced).toBe(1);
    expect(tx.recipients.find((r) => r.email === BOUNCED)).toMatchObject({
      outcome: "bounced",
      reason: "smtp; 550 5.1.1 user unknown",
    });
    expect((await ctx.api(`/api/sends/no-such-send/organisations`, { role: "viewer" })).status).toBe(404);
  });

  it("GET /api/sends/:id/report.xlsx: a workbook with a sheet of organisations and one of every recipient, in Chinese", async () => {
    const res = await ctx.api(`/api/sends/${sendId}/report.xlsx`, { role: "viewer" });
    expect(res.headers.get("content-type")).toBe("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    expect(res.headers.get("content-disposition")).toMatch(
      /^attachment; filename="report-[\w-]+\.xlsx"; filename\*=UTF-8''%E6%8A%A5/,
    );
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await res.arrayBuffer()) as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(["单位汇总", "收件人明细"]);
    const [orgs, people] = wb.worksheets as [ExcelJS.Worksheet, ExcelJS.Worksheet];
    expect((orgs.getRow(1).values as string[]).slice(1, 5)).toEqual(["层级", "单位", "在简报名单上", "收件人数"]);
    expect((people.getRow(1).values as string[]).slice(1, 7)).toEqual(["层级", "单位", "姓名", "职务", "邮箱", "结果"]);
    expect(people.rowCount - 1).toBe(28);
    const bounced = people.getRows(2, people.rowCount - 1)!.find((r) => r.getCell(5).value === BOUNCED)!;
    expect([
      bounced.getCell(2).value,
      bounced.getCell(6).value,
      bounced.getCell(7).value,
      bounced.getCell(8).value,
    ]).toEqual(["山西省通信管理局", "退信", "收件地址不存在（550 5.1.1）", "smtp; 550 5.1.1 user unknown"]);
  });
});
