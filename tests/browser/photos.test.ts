/// <reference lib="dom" />
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { features } from "../expected/pdf-features.ts";
import { chromiumAvailable, launchChromium } from "../support/chromium.ts";
import { bulletinPdf, closePdfBrowser, TYPOGRAPHIES } from "../support/pdf-fixtures.ts";
import { startTestService } from "../support/service.ts";

const SHOTS = resolve("tests/.artifacts/screenshots");

// The photos of a bulletin PDF as a clerk and a reader see them: imported on the dashboard, shown
// in the email at a phone's width and at the 600 px column, and in the web version; a caption
// edited and a photo removed on the issue page, which the email follows.
describe.skipIf(!chromiumAvailable)("photos from the bulletin PDF", () => {
  let ctx: Awaited<ReturnType<typeof startTestService>>;
  let browser: Browser;
  let issueId = "";
  let file = "";

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    ctx = await startTestService();
    // A photo of a camera's proportions, larger than the email's column (the reader keeps 1200 px).
    const style = {
      ...TYPOGRAPHIES.featuresSans,
      photos: [
        { article: "春到太行", afterParagraph: 2, caption: "基站维护人员在巡检", pixels: [1600, 1000] as const },
      ],
    };
    file = join(mkdtempSync(join(tmpdir(), "bulletin-photos-")), "山西通信2026年第1期.pdf");
    writeFileSync(file, await bulletinPdf(features, style));
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await closePdfBrowser();
    await ctx?.service.stop();
  });

  async function signedIn(width: number): Promise<Page> {
    const page = await (await browser.newContext({ viewport: { width, height: 900 } })).newPage();
    await page.goto(`${ctx.service.url}/admin/import`);
    await page.fill("input[name=token]", ctx.tokens.secretariat);
    await Promise.all([page.waitForURL(`${ctx.service.url}/admin/import`), page.click("button[type=submit]")]);
    return page;
  }

  /** The email of a tier as a recipient's mail app shows it, at a width. */
  async function email(width: number): Promise<Page> {
    const page = await (
      await browser.newContext({
        viewport: { width, height: 900 },
        extraHTTPHeaders: { authorization: `Bearer ${ctx.tokens.viewer}` },
      })
    ).newPage();
    await page.goto(`${ctx.service.url}/api/issues/${issueId}/preview/distribute`, { waitUntil: "load" });
    return page;
  }

  /** Every picture of the page: loaded (its natural size), its shown box, and the caption's box under it. */
  function photos(page: Page) {
    return page.$$eval("img[src*='/images/']", (imgs) =>
      imgs.map((img) => {
        const i = img as HTMLImageElement;
        const box = i.getBoundingClientRect();
        const caption = i.parentElement?.querySelector(".caption")?.getBoundingClientRect();
        return {
          natural: [i.naturalWidth, i.naturalHeight],
          width: Math.round(box.width),
          height: Math.round(box.height),
          alt: i.alt,
          captionTop: caption ? Math.round(caption.top) : null,
          bottom: Math.round(box.bottom),
          right: Math.round(box.right),
          scroll: document.documentElement.scrollWidth <= window.innerWidth,
        };
      }),
    );
  }

  it("imports the PDF on the dashboard with its photo, shown on the issue page", async () => {
    const page = await signedIn(1280);
    await page.setInputFiles("input[name=file]", file);
    await Promise.all([
      page.waitForURL(/\/admin\/issues\/[^/?]+$/),
      page.click("form[action='/admin/import'] button[type=submit]"),
    ]);
    issueId = decodeURIComponent(new URL(page.url()).pathname.split("/").pop()!);
    expect(await page.textContent("[data-figures] h2")).toBe("图片（1 张）");
    expect(await page.textContent("[data-figure='3/0']")).toContain("第 3 篇《春到太行》，第 3 段之后 · 1200×750");
    expect(await page.$eval("[data-figures] img", (i) => (i as HTMLImageElement).naturalWidth)).toBe(1200);
    await page.context().close();
  }, 90_000);

  it.each([375, 600])(
    "shows the photo in the email at %i px: after its paragraph, as wide as the column, never wider than the screen, its caption under it",
    async (width) => {
      const page = await email(width);
      const [photo] = await photos(page);
      expect(photo).toMatchObject({ natural: [1200, 750], alt: "基站维护人员在巡检", scroll: true });
      // The 600 px column less its padding (24 px a side); on a phone, the screen less the same.
      expect(photo!.width).toBe(Math.min(552, width - 48));
      expect(photo!.height).toBe(Math.round((photo!.width * 750) / 1200));
      expect(photo!.captionTop).toBeGreaterThanOrEqual(photo!.bottom);
      const text = await page.evaluate(() => document.body.innerText);
      expect(text.indexOf("过去一年，公司在太行山区")).toBeLessThan(text.indexOf("基站维护人员在巡检"));
      expect(text.indexOf("基站维护人员在巡检")).toBeLessThan(text.indexOf("二、服务温度再提升"));
      await page.locator("img[src*='/images/']").scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(SHOTS, `email-photo-${width}.png`) });
      await page.context().close();
    },
    60_000,
  );

  it("shows it in the web version too", async () => {
    const page = await (await browser.newContext({ viewport: { width: 600, height: 900 } })).newPage();
    await page.goto(`${ctx.service.url}/archive/${issueId}`, { waitUntil: "load" });
    expect(await photos(page)).toEqual([expect.objectContaining({ natural: [1200, 750], width: 552 })]);
    await page.context().close();
  }, 60_000);

  it("lets the clerk change the caption and remove the photo on the issue page; the email follows", async () => {
    const page = await signedIn(375);
    await page.goto(`${ctx.service.url}/admin/issues/${encodeURIComponent(issueId)}`);
    await page.fill("[data-figure='3/0'] input[name=caption]", "太行山区的基站维护人员");
    await Promise.all([page.waitForNavigation(), page.click("[data-figure='3/0'] button:text('保存说明')")]);
    expect(await page.textContent("[role=status]")).toContain("已保存图片说明");
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await page.screenshot({ path: join(SHOTS, "dashboard-photos-375.png"), fullPage: true });
    let mail = await email(600);
    expect(await mail.textContent(".caption")).toBe("太行山区的基站维护人员");
    await mail.context().close();

    await Promise.all([page.waitForNavigation(), page.click("[data-figure='3/0'] button:text('删除这张图片')")]);
    expect(await page.textContent("[role=status]")).toContain("已删除这张图片");
    expect(await page.$("[data-figures]")).toBeNull();
    mail = await email(600);
    expect(await photos(mail)).toEqual([]);
    expect(await mail.evaluate(() => document.body.innerText)).not.toContain("太行山区的基站维护人员");
    await mail.context().close();
    await page.context().close();
  }, 90_000);
});
