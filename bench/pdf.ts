// Benchmark: importing a bulletin PDF. A bulletin of 20 pages or more, typeset by Chromium in two
// typographies: Noto CJK, which Chromium embeds as Type 3 fonts, one text item a glyph (the slow
// case), and TrueType fonts, in runs. Timed from the bytes to the Issue (PDF.js reading every page,
// then the structure), cold (the first import in a fresh process, PDF.js loaded) and warm (median of 5).
import { importIssueFile, type Issue } from "@bulletin/core";
import { PdfJsReader } from "@bulletin/pdf";
import { features } from "../tests/expected/pdf-features.ts";
import { bulletinPdf, closePdfBrowser, seedIssue, TYPOGRAPHIES } from "../tests/support/pdf-fixtures.ts";
import { median, since, writeResults } from "./lib/report.ts";

const PAGES = 20;
const TARGET_MS = 2000;

/** The two samples and the feature bulletin in one issue, repeated until it fills `PAGES` pages. */
function longIssue(copies: number): Issue {
  const parts = Array.from({ length: copies }, () => [seedIssue("000"), seedIssue("004"), features]).flat();
  return {
    masthead: features.masthead!,
    sections: parts.flatMap((i) => i.sections),
    distribution: features.distribution,
  };
}

const reader = new PdfJsReader();
const rows: Record<string, unknown>[] = [];
const targets: { name: string; target: string; value: number | string; met: boolean }[] = [];
let first = true;
// The third: the same with camera-sized photos (3000×2000, as Word keeps a pasted photo), each
// decoded by PDF.js and made a 1200 px JPEG by sharp: what the photos cost.
const cameraPhotos = TYPOGRAPHIES.featuresSerif.photos.map((p) => ({ ...p, pixels: [3000, 2000] as const }));
for (const [name, typography] of [
  ["Noto CJK (Type 3, a glyph an item)", { ...TYPOGRAPHIES.songHei, photos: TYPOGRAPHIES.featuresSerif.photos }],
  ["明体/楷体 (TrueType runs)", { ...TYPOGRAPHIES.sameSizeKai, photos: TYPOGRAPHIES.featuresSerif.photos }],
  ["Noto CJK, with 3000×2000 photos", { ...TYPOGRAPHIES.songHei, photos: cameraPhotos }],
] as const) {
  let pdf = await bulletinPdf(longIssue(1), typography);
  let pages = (await reader.read(pdf)).pages.length;
  for (let copies = 2; pages < PAGES; copies++) {
    pdf = await bulletinPdf(longIssue(copies), typography);
    pages = (await reader.read(pdf)).pages.length;
  }
  // Cold: a new reader's first import (the first bulletin also pays for loading PDF.js).
  let t = performance.now();
  const { issue } = await importIssueFile(pdf, { name: "bulletin.pdf" }, { pdf: new PdfJsReader() });
  const cold = since(t);
  const warm: number[] = [];
  for (let i = 0; i < 5; i++) {
    t = performance.now();
    await importIssueFile(pdf, { name: "bulletin.pdf" }, { pdf: reader });
    warm.push(since(t));
  }
  const articles = issue.sections.reduce((n, s) => n + s.articles.length, 0);
  const photos = issue.sections.reduce((n, s) => n + s.articles.reduce((m, a) => m + (a.figures?.length ?? 0), 0), 0);
  rows.push({
    typography: name,
    pages,
    "PDF MB": (pdf.length / 1024 / 1024).toFixed(2),
    articles,
    photos,
    "cold ms": cold,
    "warm ms (median of 5)": median(warm),
    "peak RSS MB": Math.round(process.resourceUsage().maxRSS / 1024),
  });
  targets.push({
    name: `${pages}-page PDF, ${name}, warm`,
    target: `< ${TARGET_MS} ms`,
    value: median(warm),
    met: median(warm) < TARGET_MS,
  });
  targets.push({
    name: `${pages}-page PDF, ${name}, cold${first ? " (PDF.js loaded)" : ""}`,
    target: `< ${TARGET_MS} ms`,
    value: cold,
    met: cold < TARGET_MS,
  });
  first = false;
}
await closePdfBrowser();
writeResults("pdf", { rows, targets });
