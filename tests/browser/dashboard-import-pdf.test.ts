/// <reference lib="dom" />
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { features } from "../expected/pdf-features.ts";
import { scanPdf } from "../support/bad-pdfs.ts";
import { chromiumAvailable, launchChromium } from "../support/chromium.ts";
import { bulletinPdf, closePdfBrowser, TYPOGRAPHIES } from "../support/pdf-fixtures.ts";
import { startTestService } from "../support/service.ts";

const SHOTS = resolve("tests/.artifacts/screenshots");

// The clerk's first step each month, in a browser: the bulletin PDF uploaded on the import page,
// straight to the file store (the page's script asks for an upload URL and PUTs the file there),
// then imported; a scan is refused in Chinese.
describe.skipIf(!chromiumAvailable)("importing the bulletin PDF on the dashboard", () => {
  let ctx: Awaited<ReturnType<typeof startTestService>>;
  let browser: Browser;
  const files = { good: "", scan: "" };

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    ctx = await startTestService();
    const dir = mkdtempSync(join(tmpdir(), "bulletin-pdf-upload-"));
    files.good = join(dir, "山西通信2026年第1期.pdf");
    files.scan = join(dir, "扫描件.pdf");
    writeFileSync(files.good, await bulletinPdf(features, TYPOGRAPHIES.featuresSerif));
    writeFileSync(files.scan, await scanPdf());
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await closePdfBrowser();
    await ctx?.service.stop();
  });

  async function importPage(width: number): Promise<Page> {
    const page = await (await browser.newContext({ viewport: { width, height: 900 } })).newPage();
    await page.goto(`${ctx.service.url}/admin/import`);
    await page.fill("input[name=token]", ctx.tokens.secretariat);
    await Promise.all([page.waitForURL(`${ctx.service.url}/admin/import`), page.click("button[type=submit]")]);
    return page;
  }

  it("uploads the PDF to the file store, imports it, and shows its outline and the original", async () => {
    const page = await importPage(1280);
    const puts: string[] = [];
    page.on("request", (r) => {
      if (r.method() === "PUT") puts.push(new URL(r.url()).pathname);
    });
    await page.setInputFiles("input[name=file]", files.good);
    await Promise.all([
      page.waitForURL(/\/admin\/issues\/[^/?]+$/),
      page.click("form[action='/admin/import'] button[type=submit]"),
    ]);
    expect(await page.textContent("[role=status]")).toContain("已导入");
    // The photo came with it, shown on the issue page.
    expect(
      await page.$$eval("[data-figures] img", (imgs) => imgs.map((i) => (i as HTMLImageElement).naturalWidth)),
    ).toEqual([240]);
    expect(puts).toEqual([expect.stringMatching(/^\/local-upload\/uploads\/[\w-]+\.pdf$/)]);
    expect(await page.textContent("h1")).toBe("山西通信 2026年第1期（总第213期）");
    const titles = await page.$$eval("ol li", (lis) => lis.map((li) => li.textContent ?? ""));
    expect(titles.some((t) => t.includes("召开2026年度会员大会暨第三届理事会第五次会议"))).toBe(true);
    const original = await page.getAttribute("a:text('PDF 原版')", "href");
    const res = await page.request.get(`${ctx.service.url}${original}`);
    expect(res.headers()["content-type"]).toBe("application/pdf");
    await page.screenshot({ path: join(SHOTS, "dashboard-import-pdf.png"), fullPage: true });
    await page.context().close();
  }, 90_000);

  it("refuses a scan with the reason in Chinese, on a phone-width page that does not scroll sideways", async () => {
    const page = await importPage(375);
    await page.setInputFiles("input[name=file]", files.scan);
    await Promise.all([page.waitForLoadState("load"), page.click("form[action='/admin/import'] button[type=submit]")]);
    await page.waitForSelector("text=扫描件");
    const text = await page.textContent("body");
    expect(text).toContain("无法导入");
    expect(text).not.toMatch(/this PDF|scan/);
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await page.screenshot({ path: join(SHOTS, "dashboard-import-scan-375.png"), fullPage: true });
    await page.context().close();
  }, 90_000);
});
