/// <reference lib="dom" />
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashToken } from "../../packages/api/src/auth/tokens.ts";
import { explainReason } from "../../packages/api/src/dashboard/reasons.ts";
import { readSentEmails } from "@bulletin/emulators";
import type { Role } from "@bulletin/core";
import { startTestService } from "../support/service.ts";

// Debian's chromium (.ci/run installs it when missing); never a downloaded browser.
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const available = existsSync(CHROMIUM);
if (!available && process.env.CI) throw new Error(`${CHROMIUM} is missing: .ci/run installs Debian's chromium`);

const SHOTS = resolve("tests/.artifacts/screenshots");
// One sample recipient of each tier bounces (samples/recipients.csv).
const BOUNCED = ["leader2@sxca.example.gov.cn", "member@bohao.example.com", "info@isc.example.org"].sort();

/** SES's documented permanent-bounce event, re-addressed to one delivery of our send (its message id and tags). */
function bounceFor(delivery: { sendId: string; tier: string; email: string; sesMessageId?: string }) {
  const { sendId, tier, email } = delivery;
  const e = JSON.parse(readFileSync("packages/core/src/events/fixtures/bounce-permanent.json", "utf8")) as Record<
    string,
    any
  >;
  e.mail.messageId = delivery.sesMessageId;
  e.mail.destination = [email];
  e.mail.tags = { ...e.mail.tags, send: [sendId], tier: [tier] };
  e.bounce.bouncedRecipients = [
    { emailAddress: email, action: "failed", status: "5.1.1", diagnosticCode: "smtp; 550 5.1.1 user unknown" },
  ];
  return e;
}

type Status = { status: string; totals: Record<string, number>; byTier: Record<string, Record<string, number>> };

describe.skipIf(!available)("the admin dashboard in a browser (headless Chromium)", () => {
  let ctx: Awaited<ReturnType<typeof startTestService>>;
  let browser: Browser;
  let issueId: string;
  let sendId: string;
  let scheduledId: string;
  const call = (path: string, init: RequestInit = {}) =>
    ctx.api(path, {
      role: "admin",
      ...init,
      headers: { "content-type": "application/json", ...(init.headers as Record<string, string> | undefined) },
    });

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    ctx = await startTestService();
    issueId = ctx.service.seeded?.issueId ?? (await ctx.service.deps.issues.list()).items[0]!.id;
    sendId = (
      (await (await call(`/api/issues/${issueId}/sends`, { method: "POST", body: "{}" })).json()) as { sendId: string }
    ).sendId;
    let s: Status | undefined;
    for (let i = 0; i < 300 && s?.status !== "finished"; i++) {
      if (i) await new Promise((r) => setTimeout(r, 100));
      s = (await (await call(`/api/sends/${sendId}`)).json()) as Status;
    }
    expect(s?.status).toBe("finished");
    const events = await Promise.all(
      BOUNCED.map(async (email) => bounceFor((await ctx.service.deps.deliveries.getMany(sendId, [email]))[0]!)),
    );
    const report = (await (
      await call("/api/events", {
        method: "POST",
        headers: { "content-type": "text/plain" },
        body: JSON.stringify(events),
      })
    ).json()) as { applied: number };
    expect(report, JSON.stringify(report)).toMatchObject({ applied: 3 });
    // A send far in the future: it can still be cancelled, so its page offers controls to who may use them.
    scheduledId = (
      (await (
        await call(`/api/issues/${issueId}/sends`, {
          method: "POST",
          body: JSON.stringify({ scheduledAt: "2099-01-01T00:00:00Z" }),
        })
      ).json()) as { sendId: string }
    ).sendId;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    });
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await ctx?.service.stop();
  });

  /** A new browser session: /admin asks for a sign-in (401), the token goes into the form. */
  async function signedIn(role: Role): Promise<Page> {
    const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1100, height: 900 } });
    const page = await context.newPage();
    const first = await page.goto(`${ctx.service.url}/admin`);
    expect(first?.status()).toBe(401);
    await page.fill("input[name=token]", ctx.tokens[role]);
    await Promise.all([page.waitForURL(`${ctx.service.url}/admin`), page.click("button[type=submit]")]);
    await expect(page.locator("h1").first().textContent()).resolves.toBe("期刊与发送");
    return page;
  }

  it("shows a send's bars and totals, filters the bounced recipients, and exports exactly them as CSV", async () => {
    const page = await signedIn("secretariat");
    const api = (await (await call(`/api/sends/${sendId}`)).json()) as Status;
    await page.click(`a[href="/admin/sends/${sendId}"]`);
    await page.waitForURL(`**/admin/sends/${sendId}`);

    const bars = await page.$$eval("svg g[data-tier]", (gs) =>
      gs.map((g) => ({
        tier: g.getAttribute("data-tier"),
        total: Number(g.getAttribute("data-total")),
        segments: Array.from(g.querySelectorAll("rect[data-status]")).map(
          (r) =>
            [
              r.getAttribute("data-status"),
              Number(r.getAttribute("data-count")),
              Number(r.getAttribute("width")),
            ] as const,
        ),
      })),
    );
    expect(bars.map((b) => b.tier)).toEqual(["report", "distribute", "copy"]);
    for (const bar of bars) {
      const byStatus = Object.fromEntries(Object.entries(api.byTier[bar.tier!]!).filter(([, n]) => n > 0));
      expect(Object.fromEntries(bar.segments.map(([s, n]) => [s, n]))).toEqual(byStatus);
      expect(bar.total).toBe(Object.values(byStatus).reduce((a, b) => a + b, 0));
      expect(bar.segments.every(([, , w]) => w > 0)).toBe(true);
      expect(bar.segments.find(([s]) => s === "bounced")?.[1]).toBe(1);
    }
    expect(await page.textContent("[data-total=all]")).toBe(String(bars.reduce((n, b) => n + b.total, 0)));
    // 3 bounces of 28 accepted is far over SES's 5%: shown as a warning.
    expect(await page.getAttribute("[data-rate=bounce]", "class")).toBe("warn");
    expect(await page.getAttribute("[data-rate=complaint]", "class")).toBe("ok");
    await page.screenshot({ path: join(SHOTS, "dashboard-send.png"), fullPage: true });

    await page.selectOption("select[name=status]", "bounced");
    await Promise.all([page.waitForURL(/status=bounced/), page.click("form.filters button[type=submit]")]);
    const rows = await page.$$eval("table.deliveries tbody tr", (trs) =>
      trs.map((tr) => [tr.getAttribute("data-email"), tr.children[4]!.textContent]),
    );
    expect(rows.map(([email]) => email).sort()).toEqual(BOUNCED);
    expect(rows.every(([, status]) => status === "退信")).toBe(true);

    const [download] = await Promise.all([page.waitForEvent("download"), page.click("text=导出 CSV")]);
    const csv = readFileSync((await download.path())!, "utf8");
    expect(csv.startsWith("\uFEFFemail,name,organization,tier,status,reason,sesMessageId,updatedAt\r\n")).toBe(true);
    const lines = csv
      .slice(1)
      .trimEnd()
      .split("\r\n")
      .slice(1)
      .map((l) => l.split(","));
    expect(lines.map((l) => l[0]).sort()).toEqual(BOUNCED);
    expect(lines.every((l) => l[4] === "bounced")).toBe(true);
    expect(lines.find((l) => l[0] === "member@bohao.example.com")?.slice(1, 4)).toEqual([
      "会员单位联系人",
      "博浩科技",
      "distribute",
    ]);
    await page.context().close();
  }, 60_000);

  it("imports an uploaded issue and shows its outline", async () => {
    const page = await signedIn("secretariat");
    await page.click("a[href='/admin/import']");
    await page.setInputFiles("input[name=file]", "samples/bulletins/000_72499c077e53a44e.txt");
    await Promise.all([
      page.waitForURL(/\/admin\/issues\/[^/?]+$/),
      page.click("form[action='/admin/import'] button[type=submit]"),
    ]);
    expect(await page.textContent("[role=status]")).toContain("已导入");
    expect(await page.$$eval("ol li", (lis) => lis.length)).toBeGreaterThan(3);
    const id = decodeURIComponent(new URL(page.url()).pathname.split("/").pop()!);
    expect((await ctx.service.deps.issues.get(id))?.format).toBe("text");
    await page.context().close();
  }, 60_000);

  it("previews the send button's audience: who each tier would reach, who would be skipped and why, and sends nothing", async () => {
    const page = await signedIn("secretariat");
    const sendsBefore = (await ctx.service.deps.sends.listByIssue(issueId, { limit: 100 })).items.length;
    const inboxBefore = (await readSentEmails(ctx.service.stack)).length;
    const expected = (await (
      await call(`/api/issues/${issueId}/sends`, { method: "POST", body: JSON.stringify({ dryRun: true }) })
    ).json()) as { counts: Record<string, number>; skipped: { email: string; reason: string }[] };
    await page.goto(`${ctx.service.url}/admin/issues/${issueId}`);
    await Promise.all([page.waitForURL(/\/audience$/), page.click(`a[href$="/audience"]`)]);
    const counts = await page.$$eval("table[data-audience=counts] tr[data-tier]", (trs) =>
      trs.map((tr) => [tr.getAttribute("data-tier"), Number(tr.children[1]!.textContent)]),
    );
    expect(Object.fromEntries(counts)).toEqual(expected.counts);
    const skipped = await page.$$eval("table[data-audience=skipped] tbody tr", (trs) =>
      trs.map((tr) => [tr.children[0]!.textContent!, tr.children[2]!.textContent!]),
    );
    // Everyone got this issue already: all 28 are skipped, each with its reason in the secretariat's words.
    expect(skipped).toHaveLength(28);
    expect(Object.fromEntries(skipped)).toEqual(
      Object.fromEntries(expected.skipped.map((s) => [s.email, explainReason(s.reason)])),
    );
    for (const email of BOUNCED) expect(Object.fromEntries(skipped)[email]).not.toBe("已收到本期（不重复发送）");
    expect(skipped.filter(([, reason]) => reason === "已收到本期（不重复发送）")).toHaveLength(28 - BOUNCED.length);
    await page.screenshot({ path: join(SHOTS, "dashboard-audience.png"), fullPage: true });
    expect((await ctx.service.deps.sends.listByIssue(issueId, { limit: 100 })).items).toHaveLength(sendsBefore);
    expect(await readSentEmails(ctx.service.stack)).toHaveLength(inboxBefore);
    await page.context().close();
  }, 60_000);

  it("lists the suppressed addresses; an admin lifts one and sees who lifted it", async () => {
    const page = await signedIn("admin");
    await page.click("a[href='/admin/suppressions']");
    const listed = await page.$$eval("table.suppressions tbody tr", (trs) =>
      trs.map((tr) => tr.getAttribute("data-email")),
    );
    expect(listed.sort()).toEqual(BOUNCED);
    const target = BOUNCED[0]!;
    await Promise.all([
      page.waitForURL(/\/admin\/suppressions\?email=/),
      page.click(`tr[data-email="${target}"] button[data-action=解除屏蔽]`),
    ]);
    const admin = await ctx.service.deps.tokens.findByHash(hashToken(ctx.tokens.admin));
    expect(await page.textContent(`[data-lookup="${target}"]`)).toContain(`由 ${admin!.label} 解除（原因：退信`);
    expect(await ctx.service.deps.suppressions.get(target)).toBeNull();
    await page.context().close();
  }, 60_000);

  it("previews a tier's email in a sandboxed frame", async () => {
    const page = await signedIn("viewer");
    await page.click(`a[href="/admin/issues/${issueId}"]`);
    await Promise.all([page.waitForURL(/preview\/copy$/), page.click(`a[href$="/preview/copy"]`)]);
    expect(await page.getAttribute("iframe.preview", "sandbox")).toBe("");
    const email = (await (await page.$("iframe.preview"))!.contentFrame())!;
    expect(await email.$$eval("h2", (hs) => hs.length)).toBeGreaterThan(3);
    expect(await email.evaluate(() => document.documentElement.lang)).toBe("zh-CN");
    await page.screenshot({ path: join(SHOTS, "dashboard-preview.png") });
    await page.context().close();
  }, 60_000);

  it("a viewer sees no controls; the secretariat sees the ones valid for the send's status", async () => {
    const controls = (page: Page) =>
      page.$$eval("form[method=post] button[data-action]", (bs) =>
        bs.map((b) => b.getAttribute("data-action")).filter((a) => a !== null),
      );
    const viewer = await signedIn("viewer");
    await viewer.goto(`${ctx.service.url}/admin/sends/${scheduledId}`);
    expect(await controls(viewer)).toEqual([]);
    await viewer.goto(`${ctx.service.url}/admin/issues/${issueId}`);
    expect(await viewer.$$("form[action$='/send'], form[action$='/ready'], form[action$='/public']")).toHaveLength(0);
    expect(await viewer.$$("a[href='/admin/import']")).toHaveLength(0);
    await viewer.screenshot({ path: join(SHOTS, "dashboard-issue-viewer.png"), fullPage: true });
    await viewer.context().close();

    const secretariat = await signedIn("secretariat");
    await secretariat.goto(`${ctx.service.url}/admin/sends/${scheduledId}`);
    expect(await controls(secretariat)).toEqual(["取消发送"]);
    await secretariat.click("button[data-action=取消发送]");
    expect(await secretariat.textContent("[role=status]")).toBe("已取消发送。");
    expect(await secretariat.textContent("[data-send-status]")).toContain("已取消");
    expect(await controls(secretariat)).toEqual([]);
    expect((await ctx.service.deps.sends.get(scheduledId))!.status).toBe("cancelled");
    await secretariat.context().close();
  }, 60_000);
});
