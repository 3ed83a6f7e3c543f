import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Browser } from "playwright-core";
import { parsePdfText, type Issue } from "@bulletin/core";
import { launchChromium } from "./chromium.ts";
import { bulletinHtml, type Typography, typesetPdf } from "./typeset-pdf.ts";

/** The two sample bulletins, as their text gives them: what the tests typeset into PDFs. */
export const SEED_FILES = {
  "000": "samples/bulletins/000_72499c077e53a44e.txt",
  "004": "samples/bulletins/004_c6f4c6a81dc11ba8.txt",
} as const;
export const seedIssue = (seed: keyof typeof SEED_FILES): Issue =>
  parsePdfText(readFileSync(SEED_FILES[seed], "utf8")).issue;

const MASTHEAD = {
  title: "山西通信",
  number: "2025年第9期",
  total: "（总第213期）",
  editor: "山西省通信行业协会秘书处编",
  date: "2025年9月30日",
};

/**
 * Typographies of the tests' bulletins: the fonts are Debian's (fonts-noto-cjk, fonts-arphic-*,
 * fonts-wqy-zenhei), which .ci/run installs. Noto CJK is embedded by Chromium as Type 3 fonts, one
 * glyph a text item; the others as TrueType, in runs.
 */
export const TYPOGRAPHIES = {
  /** 宋体 body, 黑体 headings one size up, a smaller 黑体 kicker: the most common bulletin. */
  songHei: {
    body: { font: "Noto Serif CJK SC", size: 12 },
    heading: { font: "Noto Sans CJK SC", size: 14, bold: true },
    kicker: { font: "Noto Sans CJK SC", size: 12 },
    subtitle: { font: "Noto Sans CJK SC", size: 12 },
    section: { font: "Noto Sans CJK SC", size: 14 },
    masthead: MASTHEAD,
    distribution: { as: "rules" },
    authorUnderTitle: ["初见雄安"],
  },
  /** GB/T 9704: headings at the body's 三号 in 楷体, kickers in the body's type, 报/发/送 as a table. */
  sameSizeKai: {
    body: { font: "AR PL UMing CN", size: 16, lineHeight: 1.6 },
    heading: { font: "AR PL UKai CN", size: 16 },
    section: { font: "WenQuanYi Zen Hei", size: 16, bold: false },
    margins: [30, 22, 30, 24],
    pageNumbers: "right",
    distribution: { as: "table", colon: false, imprint: "山西省通信行业协会秘书处 2025年10月9日印发" },
    authorUnderTitle: ["初见雄安"],
    bylines: "right",
  },
  /** Every feature: kicker, —— subtitle, 文/ author line, photo and caption, running header, 总第N期. */
  featuresSerif: {
    body: { font: "Noto Serif CJK SC", size: 12 },
    heading: { font: "Noto Sans CJK SC", size: 16, bold: true },
    kicker: { font: "Noto Sans CJK SC", size: 12 },
    subtitle: { size: 12, font: "AR PL UKai CN", dashes: true },
    authorLine: { font: "AR PL UKai CN", prefix: "文/" },
    section: { font: "Noto Sans CJK SC", size: 14 },
    masthead: { ...MASTHEAD, number: "2026年第1期", date: "2026年1月26日" },
    runningHeader: "山西通信 2026年第1期",
    distribution: { as: "table", imprint: "（共印50份）" },
    authorUnderTitle: ["春到太行"],
    innerHeadings: { font: "Noto Sans CJK SC" },
    photos: [{ article: "召开2026年度会员大会暨第三届理事会第五次会议", afterParagraph: 0, caption: "会议现场" }],
    bylines: "right",
  },
  /** The same in a 黑体 body with 明体 titles, narrow margins, a photo mid-article, ruled 报/发/送. */
  featuresSans: {
    body: { font: "WenQuanYi Zen Hei", size: 14, lineHeight: 1.5 },
    heading: { font: "AR PL UMing CN", size: 18, bold: true },
    subtitle: { size: 14, dashes: true },
    section: { font: "WenQuanYi Zen Hei", size: 14 },
    masthead: { ...MASTHEAD, number: "2026年第1期", date: "2026年1月26日" },
    margins: [25, 20, 25, 20],
    pageNumbers: "right",
    distribution: { as: "rules" },
    authorUnderTitle: ["春到太行"],
    innerHeadings: { font: "AR PL UKai CN" },
    photos: [{ article: "春到太行", afterParagraph: 2, caption: "基站维护人员在巡检" }],
  },
} satisfies Record<string, Typography>;

const CACHE = resolve("tests/.artifacts/pdf");
let browser: Promise<Browser> | undefined;

/**
 * The bulletin typeset as a PDF by headless Chromium, cached under tests/.artifacts/pdf by the hash
 * of what was typeset, so test files share the work.
 *
 * @example
 * const pdf = await bulletinPdf(seedIssue("004"), TYPOGRAPHIES.songHei);
 */
export function bulletinPdf(issue: Issue, t: Typography): Promise<Uint8Array<ArrayBuffer>> {
  return cached([bulletinHtml(issue, t), t.pageNumbers, t.runningHeader], async (b) => typesetPdf(b, issue, t));
}

/** Any page printed to an A4 PDF by Chromium, cached alike. */
export function bulletinHtmlPdf(html: string): Promise<Uint8Array<ArrayBuffer>> {
  return cached([html], async (b) => {
    const page = await b.newPage();
    try {
      await page.setContent(html, { waitUntil: "load" });
      return new Uint8Array(await page.pdf({ format: "A4" }));
    } finally {
      await page.close();
    }
  });
}

async function cached(
  key: unknown,
  make: (b: Browser) => Promise<Uint8Array<ArrayBuffer>>,
): Promise<Uint8Array<ArrayBuffer>> {
  const file = join(CACHE, `${createHash("sha256").update(JSON.stringify(key)).digest("hex").slice(0, 16)}.pdf`);
  if (existsSync(file)) return new Uint8Array(readFileSync(file));
  browser ??= launchChromium();
  const pdf = await make(await browser);
  mkdirSync(CACHE, { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, pdf);
  renameSync(tmp, file);
  return pdf;
}

/** Closes the browser bulletinPdf started, if it did. */
export async function closePdfBrowser(): Promise<void> {
  const b = browser;
  browser = undefined;
  await (await b)?.close();
}
