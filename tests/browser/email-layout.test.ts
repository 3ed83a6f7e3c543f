/// <reference lib="dom" />
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { type Issue, parsePdfText, TIERS } from "@bulletin/core";
import { MjmlRenderer } from "@bulletin/mjml";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromiumAvailable, launchChromium } from "../support/chromium.ts";

const OUT = resolve("tests/.artifacts");
const SEEDS = ["000_72499c077e53a44e.txt", "004_c6f4c6a81dc11ba8.txt"];
// Long unbroken runs (a URL, a file name, a number) must wrap, not widen the email.
const UNBROKEN: Issue = {
  sections: [
    {
      name: "链接",
      articles: [
        {
          title: `详见https://www.example.gov.cn/${"a".repeat(80)}/notice.html`,
          authors: [],
          paragraphs: [`文件下载：https://www.example.gov.cn/files/${"x".repeat(120)}.pdf，编号${"1".repeat(60)}。`],
        },
      ],
    },
  ],
  distribution: { report: [`${"某".repeat(70)}单位`], distribute: [], copy: [] },
};
const links = {
  unsubscribeUrl: "https://bulletin.example.org/u/t",
  viewOnlineUrl: "https://bulletin.example.org/issues/x",
};

describe.skipIf(!chromiumAvailable)("the bulletin email in a browser (headless Chromium)", () => {
  let browser: Browser;
  const files: { name: string; path: string; titles: number }[] = [];

  beforeAll(async () => {
    mkdirSync(join(OUT, "emails"), { recursive: true });
    mkdirSync(join(OUT, "screenshots"), { recursive: true });
    const renderer = new MjmlRenderer();
    const issues = SEEDS.map(
      (seed) => [seed.slice(0, 3), parsePdfText(readFileSync(`samples/bulletins/${seed}`, "utf8")).issue] as const,
    );
    for (const [label, issue] of [...issues, ["unbroken", UNBROKEN] as const]) {
      for (const tier of TIERS) {
        const email = (await renderer.prepare(issue, tier)).personalise(
          { email: "leader1@sxca.example.gov.cn", name: "局领导", organization: "山西省通信管理局" },
          links,
        );
        const name = `${label}-${tier}`;
        const path = join(OUT, "emails", `${name}.html`);
        writeFileSync(path, email.html);
        files.push({ name, path, titles: issue.sections.flatMap((s) => s.articles).length });
      }
    }
    browser = await launchChromium();
  });
  afterAll(async () => browser?.close());

  for (const colorScheme of ["light", "dark"] as const) {
    it(`in ${colorScheme} mode: headlines, paragraphs and footer text stand out from their background`, async () => {
      const f = files.find((x) => x.name === "004-report")!;
      const page = await browser.newPage({ viewport: { width: 600, height: 800 }, colorScheme });
      await page.goto(`file://${f.path}`);
      const worst = await page.evaluate(() => {
        const rgb = (c: string) => (c.match(/[\d.]+/g) ?? []).map(Number);
        const lum = ([r = 0, g = 0, b = 0]: number[]) => {
          const ch = (v: number) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
          return 0.2126 * ch(r) + 0.7152 * ch(g) + 0.0722 * ch(b);
        };
        const background = (el: Element | null): number[] => {
          for (; el; el = el.parentElement) {
            const c = rgb(getComputedStyle(el).backgroundColor);
            if (c.length === 3 || (c.length === 4 && c[3]! > 0)) return c.slice(0, 3);
          }
          return [255, 255, 255];
        };
        const ratio = (el: Element) => {
          const [a, b] = [lum(rgb(getComputedStyle(el).color)), lum(background(el))];
          return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
        };
        const els = Array.from(document.querySelectorAll("h2, p.body, .footer p, .distribution p"));
        return Math.min(...els.map(ratio));
      });
      expect(worst).toBeGreaterThanOrEqual(4.5);
      await page.screenshot({ path: join(OUT, "screenshots", `004-report-${colorScheme}.png`) });
      await page.close();
    });
  }

  for (const width of [375, 600]) {
    it(`at ${width} px: no horizontal scroll, every headline visible (screenshots in tests/.artifacts)`, async () => {
      for (const f of files) {
        const page = await browser.newPage({ viewport: { width, height: 800 } });
        // Offline: the email must not need anything from the network to lay out.
        await page.route("**/*", (route) =>
          route.request().url().startsWith("file:") ? route.continue() : route.abort(),
        );
        await page.goto(`file://${f.path}`);
        const layout = await page.evaluate(() => ({
          scrollWidth: document.documentElement.scrollWidth,
          innerWidth: window.innerWidth,
          titles: Array.from(document.querySelectorAll("h2")).map((h) => {
            const r = h.getBoundingClientRect();
            const style = getComputedStyle(h);
            return {
              text: h.textContent ?? "",
              left: r.left,
              right: r.right,
              height: r.height,
              shown: style.visibility !== "hidden" && style.display !== "none",
            };
          }),
        }));
        expect(layout.scrollWidth, `${f.name} scrolls sideways at ${width}px`).toBeLessThanOrEqual(layout.innerWidth);
        expect(layout.titles).toHaveLength(f.titles);
        for (const t of layout.titles) {
          expect(
            t.shown && t.height > 0 && t.left >= 0 && t.right <= width,
            `${f.name}: "${t.text}" not visible at ${width}px`,
          ).toBe(true);
        }
        await page.screenshot({ path: join(OUT, "screenshots", `${f.name}-${width}.png`), fullPage: true });
        await page.close();
      }
    });
  }
});
