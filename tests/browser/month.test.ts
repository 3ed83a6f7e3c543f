/// <reference lib="dom" />
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import ExcelJS from "exceljs";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encodeGbk } from "../../packages/core/src/text/gbk.test-support.ts";
import { readSentEmails } from "@bulletin/emulators";
import { startTestService } from "../support/service.ts";

// The secretariat's whole month from the dashboard alone, step by step, in a real browser: set up
// the association, import a GBK CSV of recipients, import the issue and fix its number, test-send
// it, send it to chosen tiers, see per organisation who got it and whom to follow up, export that
// to Excel, and revoke a token that leaked. Each step's page is also photographed at 375 and 1280 px.
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const available = existsSync(CHROMIUM);
if (!available && process.env.CI) throw new Error(`${CHROMIUM} is missing: .ci/run installs Debian's chromium`);
const SHOTS = resolve("tests/.artifacts/screenshots");
const tmp = join(tmpdir(), `bulletin-month-${process.pid}`);

describe.skipIf(!available)("a month from the dashboard alone (headless Chromium)", () => {
  let ctx: Awaited<ReturnType<typeof startTestService>>;
  let browser: Browser;
  let admin: Page;
  let issueId: string;
  let sendId: string;

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    mkdirSync(tmp, { recursive: true });
    ctx = await startTestService({ LOCAL_SES_EVENTS: "on" });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    });
    admin = await signIn(ctx.tokens.admin);
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await ctx?.service.stop();
  });

  async function signIn(token: string): Promise<Page> {
    const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${ctx.service.url}/admin/login`);
    await page.fill("input[name=token]", token);
    await Promise.all([page.waitForURL(`${ctx.service.url}/admin`), page.click("button[type=submit]")]);
    return page;
  }

  /** The page as a phone and a desktop show it; nothing may scroll sideways but the tables' own boxes. */
  async function photograph(page: Page, name: string) {
    for (const width of [375, 1280]) {
      await page.setViewportSize({ width, height: 900 });
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      expect(overflow, `${name} at ${width} px scrolls sideways`).toBeLessThanOrEqual(0);
      await page.screenshot({ path: join(SHOTS, `month-${name}-${width}.png`), fullPage: true });
    }
    await page.setViewportSize({ width: 1280, height: 900 });
  }

  /** Every visible text on the page: what a clerk reads (no English sentence may be among it). */
  const visibleText = (page: Page) => page.evaluate(() => document.body.innerText);

  it("1. sets up the association on the 设置 page: name, sender, reply-to, footer", async () => {
    await admin.click("a[href='/admin/settings']");
    await admin.fill("input[name=bulletinName]", "山西通信");
    await admin.fill("input[name=sender]", "山西省通信行业协会秘书处");
    await admin.fill("input[name=replyTo]", "office@sxca.example.org");
    await admin.fill("textarea[name=footer]", "地址：太原市小店区\n电话：0351-1234567");
    await admin.fill("textarea[name='tiers.report.note']", "请各位领导审阅。");
    await admin.click("form.settings button[type=submit]");
    expect(await admin.textContent("[role=status]")).toContain("已保存设置");
    expect(await admin.inputValue("input[name=bulletinName]")).toBe("山西通信");
    // A line break in a header field is refused, with the field named in Chinese, and nothing saved.
    await admin.fill("input[name=subjectTemplate]", "{前缀}{名称}");
    await admin.click("form.settings button[type=submit]");
    expect(await admin.textContent("[role=alert]")).toContain("邮件主题格式有误，未保存");
    expect(
      (
        (await (await ctx.api("/api/settings", { role: "viewer" })).json()) as {
          settings: { subjectTemplate: string; sender: string };
        }
      ).settings,
    ).toMatchObject({ subjectTemplate: "{前缀}{刊名} {期号}", sender: "山西省通信行业协会秘书处" });
    await admin.goto(`${ctx.service.url}/admin/settings`);
    await photograph(admin, "settings");
  }, 60_000);

  it("2. imports a GBK CSV of recipients with the per-row report, adds, edits and deletes a recipient", async () => {
    const csv =
      "email,name,organization,tier,role\nwang@sxtx.example.gov.cn,王小明,山西省通信管理局,报,处长\nli@tower.example.com,李四,山西铁塔,发,经理\nbad-address,赵五,山西联通,发,\nzhou@sxca.example.org,周六,中国互联网协会,vip,\n";
    const file = join(tmp, "通讯录.csv");
    writeFileSync(file, encodeGbk(csv));
    await admin.click("a[href='/admin/recipients']");
    await admin.click("text=从 CSV 文件导入");
    await admin.setInputFiles("form[data-form=import] input[name=file]", file);
    await admin.click("form[data-form=import] button[type=submit]");
    expect(await admin.textContent("[data-import-report] [data-counts]")).toBe(
      "新增 2 人，更新 0 人，未变 0 人，跳过 0 行，拒绝 2 行。",
    );
    const rejected = await admin.$$eval("table.rejected tbody tr", (trs) =>
      trs.map((tr) => Array.from(tr.children).map((td) => td.textContent)),
    );
    expect(rejected).toEqual([
      ["4", "bad-address", "邮箱中没有 @"],
      ["5", "zhou@sxca.example.org", "层级“vip”无法识别（应为 报、发、送，或 report、distribute、copy）"],
    ]);
    expect((await ctx.service.deps.recipients.get("wang@sxtx.example.gov.cn"))?.name).toBe("王小明");
    await photograph(admin, "recipients-import");

    await admin.click("text=添加收件人");
    await admin.fill("form[data-form=add] input[name=email]", "Proof@SXCA.example.org");
    await admin.fill("form[data-form=add] input[name=name]", "校对员");
    await admin.fill("form[data-form=add] input[name=organization]", "山西省通信行业协会");
    await admin.selectOption("form[data-form=add] select[name=tier]", "copy");
    await admin.click("form[data-form=add] button[type=submit]");
    expect(await admin.textContent("[role=status]")).toBe("已添加收件人。");
    expect(await admin.textContent("h1")).toBe("proof@sxca.example.org");
    await admin.selectOption("form[data-form=edit] select[name=tier]", "distribute");
    await admin.fill("form[data-form=edit] input[name=role]", "校对");
    await admin.click("form[data-form=edit] button[type=submit]");
    expect(await admin.textContent("[role=status]")).toBe("已保存收件人。");
    expect(await ctx.service.deps.recipients.get("proof@sxca.example.org")).toMatchObject({
      tier: "distribute",
      role: "校对",
      status: "active",
    });
    await photograph(admin, "recipient-edit");
    await admin.goto(`${ctx.service.url}/admin/recipients/li%40tower.example.com`);
    await admin.click("button[data-action=删除此收件人]");
    expect(await admin.textContent("[role=status]")).toBe("已删除收件人。");
    expect(await ctx.service.deps.recipients.get("li@tower.example.com")).toBeNull();
  }, 60_000);

  it("3. imports the issue (its text saved as GBK by Notepad) and fixes its number; the list shows it", async () => {
    const gbk = join(tmp, "简报.txt");
    writeFileSync(gbk, encodeGbk(readFileSync("samples/bulletins/000_72499c077e53a44e.txt", "utf8")));
    await admin.click("a[href='/admin/import']");
    await admin.setInputFiles("input[name=file]", gbk);
    await Promise.all([
      admin.waitForURL(/\/admin\/issues\/[^/?]+$/),
      admin.click("form[action='/admin/import'] button[type=submit]"),
    ]);
    issueId = decodeURIComponent(new URL(admin.url()).pathname.split("/").pop()!);
    expect(await admin.textContent("[role=status]")).toContain("已导入");
    expect((await ctx.service.deps.issues.get(issueId))!.issue.sections[1]!.name).toBe("行业综合");
    expect(await admin.textContent("[data-no-number]")).toContain("还没有期号");
    await admin.fill("form[data-masthead-form] input[name=title]", "山西通信");
    await admin.fill("form[data-masthead-form] input[name=number]", "2026年第1期");
    await admin.fill("form[data-masthead-form] input[name=date]", "2026年1月30日");
    await admin.click("form[data-masthead-form] button[type=submit]");
    expect(await admin.textContent("[role=status]")).toContain("已保存刊头");
    expect(await admin.$("[data-no-number]")).toBeNull();
    expect(await admin.textContent("h1")).toBe("山西通信 2026年第1期");
    await photograph(admin, "issue");
    await admin.click("a.brand");
    expect(await admin.textContent(`section[data-issue="${issueId}"] [data-masthead]`)).toContain(
      "期号 2026年第1期 · 2026年1月30日",
    );
  }, 60_000);

  it("4. test-sends the 送 email to a typed address: 【测试】 in the subject, the From name encoded, nobody marked as having received it", async () => {
    await admin.goto(`${ctx.service.url}/admin/issues/${encodeURIComponent(issueId)}`);
    await admin.fill("form.test-form textarea[name=to]", "me@sxca.example.org");
    await admin.selectOption("form.test-form select[name=tier]", "copy");
    await admin.click("form.test-form button[type=submit]");
    expect(await admin.textContent("[role=status]")).toContain("测试邮件已开始发送");
    const testId = decodeURIComponent(new URL(admin.url()).pathname.split("/").pop()!);
    const finished = await waitFinished(testId);
    // "finished" is recorded from the send's own counts; under a loaded CI the emulator may store the
    // copy a moment later, so wait for it rather than read the store once.
    let mail: Awaited<ReturnType<typeof readSentEmails>>[number] | undefined;
    for (let i = 0; i < 100 && !mail; i++) {
      mail = (await readSentEmails(ctx.service.stack)).find((m) => m.destination.to[0] === "me@sxca.example.org");
      if (!mail) await new Promise((r) => setTimeout(r, 100));
    }
    if (!mail)
      throw new Error(`the test copy never reached SES; the send's totals: ${JSON.stringify(finished.totals)}`);
    expect(mail.subject).toBe("【测试】【抄送】山西通信 2026年第1期");
    expect(Buffer.from(/=\?UTF-8\?B\?([^?]+)\?=/.exec(mail.from)![1]!, "base64").toString("utf8")).toBe(
      "山西省通信行业协会秘书处",
    );
    expect(mail.replyTo).toEqual(["office@sxca.example.org"]);
    expect(mail.body.text).toContain("电话：0351-1234567");
    expect((await ctx.service.deps.copies.received(issueId, ["me@sxca.example.org"])).size).toBe(0);
    // The notice was for that one page: a reload does not repeat it.
    await admin.reload();
    expect(await admin.$("[role=status]")).toBeNull();
  }, 60_000);

  it("5. the audience preview compares the printed 报/发/送 lists with the recipients", async () => {
    await admin.goto(`${ctx.service.url}/admin/issues/${encodeURIComponent(issueId)}/audience`);
    const report = await admin.$eval("[data-coverage-table] tr[data-tier=report]", (tr) => ({
      covered: tr.querySelector("[data-covered]")!.textContent,
      missing: tr.querySelector("[data-missing]")!.textContent,
      groups: tr.querySelector("[data-groups]")!.textContent,
    }));
    expect(report).toEqual({
      covered: "中国通信企业协会、山西省民政厅社会组织管理局、山西省通信管理局领导",
      missing: "—",
      groups: "各中心、各处室",
    });
    await photograph(admin, "audience");
  }, 60_000);

  it("6. sends it to 报 and 发 only; the send page's cards and table agree, and a finished send shows its average rate", async () => {
    await admin.goto(`${ctx.service.url}/admin/issues/${encodeURIComponent(issueId)}`);
    await admin.uncheck("form.send-form input[name=tiers][value=copy]");
    await admin.check("form.send-form input[name=confirm]");
    await admin.click("form.send-form button[type=submit]");
    expect(await admin.textContent("[role=status]")).toBe("已开始发送。");
    sendId = decodeURIComponent(new URL(admin.url()).pathname.split("/").pop()!);
    const send = await waitFinished(sendId, true);
    expect(send.tiers).toEqual(["report", "distribute"]);
    expect((send.byTier.copy?.sent ?? 0) + (send.byTier.copy?.delivered ?? 0)).toBe(0);
    await admin.reload();
    expect(await admin.$("[role=status]")).toBeNull();
    const cards = Object.fromEntries(
      await admin.$$eval("[data-card]", (ds) =>
        ds.map((d) => [d.getAttribute("data-card"), Number(d.querySelector("b")!.textContent)]),
      ),
    );
    const totals = Object.fromEntries(
      await admin.$$eval("table.tier-totals tfoot td[data-status]", (tds) =>
        tds.map((td) => [td.getAttribute("data-status"), Number(td.textContent)]),
      ),
    );
    for (const [status, n] of Object.entries(cards)) expect(n, status).toBe(totals[status]);
    expect(cards.delivered).toBeGreaterThan(0);
    expect(await admin.textContent("[data-send-status]")).toContain("平均速率");
    expect(await admin.textContent("[data-rate]")).toMatch(/^\d+(\.\d+)? 封\/秒$/);
    expect(await admin.textContent("[data-rate]")).not.toBe("0 封/秒");
    await photograph(admin, "send");
  }, 90_000);

  it("7. sees per organisation who got it and whom to follow up, and exports it to Excel", async () => {
    // SES reports a hard bounce for one 报 recipient (the local mailbox only simulates SES's own test addresses).
    const [d] = await ctx.service.deps.deliveries.getMany(sendId, ["wang@sxtx.example.gov.cn"]);
    if (!d) throw new Error("no delivery for wang@sxtx.example.gov.cn");
    const e = JSON.parse(readFileSync("packages/core/src/events/fixtures/bounce-permanent.json", "utf8"));
    e.mail.messageId = d.sesMessageId;
    e.mail.destination = [d.email];
    e.mail.tags = { ...e.mail.tags, send: [sendId], tier: ["report"] };
    e.bounce.bouncedRecipients = [
      { emailAddress: d.email, action: "failed", status: "5.1.1", diagnosticCode: "smtp; 550 5.1.1 user unknown" },
    ];
    await ctx.api("/api/events", {
      role: "admin",
      method: "POST",
      headers: { "content-type": "text/plain" },
      body: JSON.stringify([e]),
    });

    await admin.goto(`${ctx.service.url}/admin/sends/${encodeURIComponent(sendId)}`);
    await admin.click("text=按单位查看回执");
    const follow = await admin.$$eval("table.follow-up tbody tr", (trs) =>
      trs.map((tr) => Array.from(tr.children).map((td) => td.textContent)),
    );
    expect(follow).toContainEqual([
      "山西省通信管理局",
      "报（报送）",
      "王小明",
      "处长",
      "wang@sxtx.example.gov.cn",
      "退信",
      "收件地址不存在（550 5.1.1）",
    ]);
    const first = await admin.$eval("section[data-tier=report] tbody tr", (tr) => tr.getAttribute("data-organization"));
    expect(first).toBe("中国通信企业协会");
    await photograph(admin, "organisations");
    const [download] = await Promise.all([admin.waitForEvent("download"), admin.click("text=导出 Excel")]);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile((await download.path())!);
    expect(wb.worksheets.map((w) => w.name)).toEqual(["单位汇总", "收件人明细"]);
    const rows = wb.getWorksheet("收件人明细")!.getSheetValues().slice(2) as unknown[][];
    expect(rows.find((r) => r[5] === "wang@sxtx.example.gov.cn")?.slice(1, 8)).toEqual([
      "报",
      "山西省通信管理局",
      "王小明",
      "处长",
      "wang@sxtx.example.gov.cn",
      "退信",
      "收件地址不存在（550 5.1.1）",
    ]);
    // What a clerk reads on these pages is Chinese: no English sentence slipped through.
    for (const text of [await visibleText(admin)])
      expect(text).not.toMatch(/\b(?:already|received|bounce|unknown|paused|failed|suppressed|the|is|not)\b/i);
  }, 90_000);

  it("8. revokes a token that leaked: its session is signed out at once", async () => {
    await admin.click("a[href='/admin/tokens']");
    await admin.fill("form[action='/admin/tokens'] input[name=label]", "王丽的笔记本");
    await admin.selectOption("form[action='/admin/tokens'] select[name=role]", "secretariat");
    await admin.click("form[action='/admin/tokens'] button[type=submit]");
    const secret = await admin.inputValue("[data-created-token] input");
    expect(secret).toMatch(/^blt_/);
    await photograph(admin, "tokens");
    const leaked = await signIn(secret);
    expect((await leaked.goto(`${ctx.service.url}/admin`))?.status()).toBe(200);
    // Shown once: the list never shows it again.
    await admin.goto(`${ctx.service.url}/admin/tokens`);
    expect(await admin.content()).not.toContain(secret);
    const row = admin.locator("tr", { hasText: "王丽的笔记本" });
    expect(await row.locator("td").nth(5).textContent()).toBe("有效");
    await row.locator("button[data-action=撤销]").click();
    expect(await admin.textContent("[role=status]")).toContain("已撤销令牌");
    expect(await admin.locator("tr", { hasText: "王丽的笔记本" }).count()).toBe(0);
    expect((await leaked.goto(`${ctx.service.url}/admin`))?.status()).toBe(401);
    expect(
      (await fetch(`${ctx.service.url}/api/issues`, { headers: { authorization: `Bearer ${secret}` } })).status,
    ).toBe(401);
  }, 60_000);

  async function waitFinished(id: string, withReports = false) {
    type S = {
      status: string;
      tiers: string[];
      totals: Record<string, number>;
      byTier: Record<string, Record<string, number>>;
    };
    let s: S | undefined;
    for (let i = 0; i < 300; i++) {
      s = (await (await ctx.api(`/api/sends/${encodeURIComponent(id)}`, { role: "viewer" })).json()) as S;
      if (s.status === "finished" && (!withReports || s.totals.sent === 0)) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(s?.status).toBe("finished");
    return s!;
  }
});
