import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import sharp from "sharp";
import { beforeAll, describe, expect, it } from "vitest";
import type { ImportResult } from "../packages/core/src/issue/import/import-result.ts";
import { parsePdfDocument } from "../packages/core/src/issue/import/pdf/parse-pdf-document.ts";
import { pageLines } from "../packages/core/src/issue/import/pdf/text-lines.ts";
import type { Issue } from "../packages/core/src/issue/issue-schema.ts";
import { PdfJsReader } from "@bulletin/pdf";
import { outlineOf } from "./expected/outline-of.ts";
import type { ExpectedOutline } from "./expected/outline-type.ts";
import { features, featuresWithFigure } from "./expected/pdf-features.ts";
import { expected as expected000 } from "./expected/seed-000.ts";
import { expected as expected004 } from "./expected/seed-004.ts";
import { unaccounted } from "./support/char-accounting.ts";
import { seedIssue } from "./support/pdf-fixtures.ts";
import { bulletinDocx, type WordStyle } from "./support/word-docx.ts";

// Bulletins saved as PDF by a word processor, not a browser: .docx files with Word's paragraph
// styles, converted by LibreOffice, as Word or WPS would. The word processor justifies Chinese by
// spacing characters out, adds its own gap between Chinese and Latin, lets punctuation hang past
// the margin and numbers odd and even pages at their outside edge. .ci/run installs LibreOffice;
// locally the test is skipped without it.
const SOFFICE = spawnSync("sh", ["-c", "command -v soffice"], { encoding: "utf8" }).stdout.trim();
if (!SOFFICE && process.env.CI)
  throw new Error("soffice is missing: .ci/run installs Debian's libreoffice-writer-nogui");

const MASTHEAD = {
  title: "山西通信",
  number: "2026年第1期（总第213期）",
  editor: "山西省通信行业协会秘书处编",
  date: "2026年1月26日",
};
const UNDER = ["初见雄安", "春到太行"];
const STYLES: Record<string, WordStyle> = {
  /** GB/T 9704: 三号 Ming body at 28 pt lines, 黑体 sections, a bold 22 pt serif title, the masthead. */
  gbt: {
    body: "AR PL UMing CN",
    size: 16,
    line: 28,
    head: "WenQuanYi Zen Hei",
    title: "Noto Serif CJK SC",
    titleSize: 22,
    titleBold: true,
    kai: "AR PL UKai CN",
    margins: [37, 26, 35, 28],
    masthead: MASTHEAD,
    authorUnderTitle: UNDER,
  },
  /** 小四 Noto Serif with 15 pt bold Noto Sans titles, narrow margins, no masthead. */
  xiaosi: {
    body: "Noto Serif CJK SC",
    size: 12,
    line: 20,
    head: "Noto Sans CJK SC",
    title: "Noto Sans CJK SC",
    titleSize: 15,
    titleBold: true,
    kai: "AR PL UKai CN",
    margins: [25, 19, 25, 19],
    authorUnderTitle: UNDER,
  },
  /** 四号 Ming with titles, subtitles and author lines all in 楷体 at the body's size. */
  sameSize: {
    body: "AR PL UMing CN",
    size: 14,
    line: 24,
    head: "WenQuanYi Zen Hei",
    title: "AR PL UKai CN",
    titleSize: 14,
    titleBold: false,
    kai: "AR PL UKai CN",
    margins: [30, 25, 30, 25],
    masthead: MASTHEAD,
    authorUnderTitle: UNDER,
  },
};
/**
 * The feature bulletin's photo as a secretariat pastes it into Word: an 800×500 JPEG shown 300 pt
 * wide, after the third paragraph of 春到太行, its caption under it (the figure it must import as is
 * FEATURE_FIGURES.featuresSans's, at the picture's own size).
 */
const PHOTO = await sharp({ create: { width: 800, height: 500, channels: 3, background: { r: 40, g: 120, b: 200 } } })
  .composite([
    {
      input: { create: { width: 400, height: 250, channels: 3, background: { r: 230, g: 180, b: 30 } } },
      left: 400,
      top: 250,
    },
  ])
  .jpeg({ quality: 85 })
  .toBuffer();
for (const o of Object.values(STYLES))
  o.photo = {
    article: "春到太行",
    afterParagraph: 2,
    caption: "基站维护人员在巡检",
    jpeg: new Uint8Array(PHOTO),
    width: 300,
    height: 187.5,
  };
const withPhoto = (): Issue => {
  const issue = featuresWithFigure("featuresSans");
  return {
    ...issue,
    sections: issue.sections.map((s) => ({
      ...s,
      articles: s.articles.map((a) =>
        a.figures ? { ...a, figures: a.figures.map((f) => ({ ...f, width: 800, height: 500 })) } : a,
      ),
    })),
  };
};
const BULLETINS: [string, () => Issue, ExpectedOutline | "exact"][] = [
  ["000", () => seedIssue("000"), expected000],
  ["004", () => seedIssue("004"), expected004],
  ["features", () => features, "exact"],
];

const CACHE = resolve("tests/.artifacts/word");
const reader = new PdfJsReader();
const imported = new Map<string, { result: ImportResult; text: string }>();

/** Every bulletin in every style, saved as PDF by LibreOffice in one run (cached by its input). */
async function wordPdfs(): Promise<Map<string, Uint8Array>> {
  const jobs = Object.entries(STYLES).flatMap(([style, o]) =>
    BULLETINS.map(([name, issue]) => ({ key: `${name} ${style}`, issue: issue(), o })),
  );
  const hashOf = (j: (typeof jobs)[number]) =>
    createHash("sha256")
      .update(JSON.stringify([j.issue, j.o]))
      .digest("hex")
      .slice(0, 16);
  const missing = jobs.filter((j) => !existsSync(join(CACHE, `${hashOf(j)}.pdf`)));
  if (missing.length) {
    const dir = mkdtempSync(join(tmpdir(), "bulletin-word-"));
    for (const j of missing) writeFileSync(join(dir, `${hashOf(j)}.docx`), await bulletinDocx(j.issue, j.o));
    execFileSync(
      SOFFICE,
      [
        "--headless",
        `-env:UserInstallation=file://${dir}/profile`,
        "--convert-to",
        "pdf",
        "--outdir",
        dir,
        ...missing.map((j) => join(dir, `${hashOf(j)}.docx`)),
      ],
      { stdio: "ignore", timeout: 240_000 },
    );
    mkdirSync(CACHE, { recursive: true });
    for (const j of missing) renameSync(join(dir, `${hashOf(j)}.pdf`), join(CACHE, `${hashOf(j)}.pdf`));
  }
  return new Map(jobs.map((j) => [j.key, new Uint8Array(readFileSync(join(CACHE, `${hashOf(j)}.pdf`)))]));
}

describe.skipIf(!SOFFICE)("bulletins saved as PDF by a word processor", () => {
  beforeAll(async () => {
    for (const [key, pdf] of await wordPdfs()) {
      const doc = await reader.read(pdf);
      imported.set(key, {
        result: parsePdfDocument(doc),
        text: doc.pages
          .flatMap(pageLines)
          .map((l) => l.text)
          .join("\n"),
      });
    }
  }, 300_000);

  const cases = Object.keys(STYLES).flatMap((style) =>
    BULLETINS.map(([name, , expected]) => [name, style, expected] as const),
  );
  it.each(cases)("%s in the %s style imports to its outline", (name, style, expected) => {
    const { result } = imported.get(`${name} ${style}`)!;
    if (expected === "exact")
      expect({ ...result.issue, masthead: undefined }).toEqual({ ...withPhoto(), masthead: undefined });
    else expect(outlineOf(result.issue)).toEqual(expected);
    expect(result.issue.masthead).toEqual(
      STYLES[style]!.masthead
        ? { title: "山西通信", number: "2026年第1期（总第213期）", date: "2026年1月26日" }
        : undefined,
    );
    expect(result.warnings).toEqual([]);
  });

  it.each(Object.keys(STYLES))(
    "the photo in the %s style comes with its picture: the JPEG the word processor kept, made again for the web",
    async (style) => {
      const { result } = imported.get(`features ${style}`)!;
      expect(result.images?.map((i) => [i.src, i.width, i.height])).toEqual([["images/1.jpg", 800, 500]]);
      const { data, info } = await sharp(result.images![0]!.jpeg).raw().toBuffer({ resolveWithObject: true });
      const px = (x: number, y: number) => [...data.subarray((y * info.width + x) * 3, (y * info.width + x) * 3 + 3)];
      // Blue, and the yellow quarter at the bottom right, within JPEG's error.
      for (const [[x, y], rgb] of [
        [
          [100, 100],
          [40, 120, 200],
        ],
        [
          [700, 450],
          [230, 180, 30],
        ],
      ] as const)
        for (const [i, v] of px(x, y).entries()) expect(Math.abs(v - rgb[i]!)).toBeLessThan(24);
    },
  );

  it.each(cases)(
    "%s in the %s style keeps every character once, and drops the page numbers of odd and even pages",
    (name, style) => {
      const { result, text } = imported.get(`${name} ${style}`)!;
      expect(unaccounted(text, result)).toEqual({});
      const pages = result.dropped.filter((d) => d.reason === "page-number").map((d) => d.page);
      expect(pages).toEqual(pages.map((_, i) => i + 1));
      expect(pages.length).toBeGreaterThan(1);
    },
  );
});
