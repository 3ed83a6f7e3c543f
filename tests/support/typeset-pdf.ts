import { execFileSync } from "node:child_process";
import { deflateSync } from "node:zlib";
import type { Browser } from "playwright-core";
import type { Article, Issue } from "@bulletin/core";

/**
 * How a secretariat might set its bulletin in Word or WPS, as CSS: the body's type, the headings'
 * (larger, or the same size in another family), kickers, subtitles, author lines, page numbers, the
 * masthead and the 报/发/send block as ruled lines or as a table. Sizes in points, margins in mm.
 */
export interface Typography {
  body: { font: string; size: number; lineHeight?: number; justify?: boolean };
  heading: { font: string; size: number; bold?: boolean; align?: "center" | "left" };
  kicker?: { font?: string; size: number };
  subtitle?: { font?: string; size: number; dashes?: boolean };
  /** The author's line under a title. */
  authorLine?: { font?: string; size?: number; prefix?: string };
  section?: { font?: string; size?: number; bold?: boolean };
  /** [top, right, bottom, left] in mm; GB/T 9704's type area by default. */
  margins?: [number, number, number, number];
  pageNumbers?: "centre" | "right" | "none";
  runningHeader?: string;
  masthead?: { title: string; number: string; total?: string; editor: string; date: string };
  distribution?: { as: "rules" | "table"; size?: number; colon?: boolean; imprint?: string };
  /** Where bylines go: after the last paragraph (as the samples print them), or alone at the right. */
  bylines?: "end" | "right";
  /** Titles of articles printed letter-spaced with the author alone under them. */
  authorUnderTitle?: readonly string[];
  /** Photos after a paragraph of an article (by title), with an optional caption under them. */
  photos?: readonly {
    article: string;
    afterParagraph: number;
    caption?: string /** The picture's pixels; 240×160 by default. */;
    pixels?: readonly [number, number];
  }[];
  /** The type of in-article headings (paragraphs such as 一、网络覆盖再延伸), at the body's size. */
  innerHeadings?: { font: string; bold?: boolean };
}

const INNER_HEADING = /^[一二三四五六七八九十]+、[^。]*$/u;

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
const font = (name: string | undefined, fallback: string) => `font-family:'${name ?? fallback}'`;

/**
 * Typesets an Issue as a bulletin PDF with headless Chromium (A4, real fonts, page numbers in the
 * footer), as the tests' stand-in for a PDF saved from Word or WPS.
 *
 * @example
 * const pdf = await typesetPdf(browser, issue, { body: { font: "Noto Serif CJK SC", size: 12 }, heading: { font: "Noto Sans CJK SC", size: 14, bold: true } });
 */
export async function typesetPdf(browser: Browser, issue: Issue, t: Typography): Promise<Uint8Array<ArrayBuffer>> {
  assertFonts(t);
  const page = await browser.newPage();
  try {
    await page.setContent(bulletinHtml(issue, t), { waitUntil: "load" });
    const numberStyle = `font-size:14pt;width:100%;margin:0 20mm;${font(undefined, t.body.font)};text-align:${t.pageNumbers === "right" ? "right" : "center"}`;
    const pdf = await page.pdf({
      format: "A4",
      preferCSSPageSize: true,
      printBackground: true,
      displayHeaderFooter: t.pageNumbers !== "none" || t.runningHeader !== undefined,
      headerTemplate: t.runningHeader
        ? `<div style="font-size:9pt;width:100%;text-align:center;${font(undefined, t.body.font)}">${esc(t.runningHeader)}</div>`
        : "<span></span>",
      footerTemplate:
        t.pageNumbers === "none"
          ? "<span></span>"
          : `<div style="${numberStyle}">— <span class="pageNumber"></span> —</div>`,
    });
    return new Uint8Array(pdf);
  } finally {
    await page.close();
  }
}

let installed: string | undefined;
/**
 * Chromium silently falls back to another face for a missing font, which would typeset a different
 * bulletin than the test means: fail at once, naming the package (.ci/run installs them).
 */
function assertFonts(t: Typography): void {
  installed ??= execFileSync("fc-list", [":", "family"], { encoding: "utf8" });
  const wanted = [
    t.body.font,
    t.heading.font,
    t.kicker?.font,
    t.subtitle?.font,
    t.authorLine?.font,
    t.section?.font,
    t.innerHeadings?.font,
  ];
  for (const family of wanted) {
    if (family && !installed.includes(family))
      throw new Error(
        `the font "${family}" is not installed: apt-get install fonts-noto-cjk fonts-wqy-zenhei fonts-arphic-uming fonts-arphic-ukai`,
      );
  }
}

/** The HTML of the bulletin, for Chromium to print. */
export function bulletinHtml(issue: Issue, t: Typography): string {
  const [mt, mr, mb, ml] = t.margins ?? [37, 26, 35, 28];
  const head = t.heading;
  const css = `
@page { size: A4; margin: ${mt}mm ${mr}mm ${mb}mm ${ml}mm; }
body { margin: 0; ${font(t.body.font, "")}; font-size: ${t.body.size}pt; line-height: ${t.body.lineHeight ?? 1.75}; color: #000; }
p { margin: 0; text-indent: 2em; text-align: ${t.body.justify === false ? "left" : "justify"}; }
.title { ${font(head.font, "")}; font-size: ${head.size}pt; font-weight: ${head.bold ? "bold" : "normal"}; text-align: ${head.align ?? "center"}; text-indent: 0; margin: 0.6em 0 0.3em; }
.kicker { ${font(t.kicker?.font, t.body.font)}; font-size: ${t.kicker?.size ?? t.body.size}pt; text-align: ${head.align ?? "center"}; text-indent: 0; margin-top: 0.8em; }
.kicker + .title { margin-top: 0.1em; }
.subtitle { ${font(t.subtitle?.font, t.body.font)}; font-size: ${t.subtitle?.size ?? t.body.size}pt; text-align: ${head.align ?? "center"}; text-indent: 0; margin-bottom: 0.4em; }
.author { ${font(t.authorLine?.font, t.body.font)}; font-size: ${t.authorLine?.size ?? t.body.size}pt; text-align: center; text-indent: 0; margin-bottom: 0.4em; }
.spaced { letter-spacing: 1em; margin-right: -1em; }
.byline { text-align: right; text-indent: 0; padding-right: 2em; }
.section { ${font(t.section?.font, head.font)}; font-size: ${t.section?.size ?? t.body.size}pt; font-weight: ${t.section?.bold === false ? "normal" : "bold"}; text-indent: 0; margin: 0.8em 0 0.2em; }
.photo { text-align: center; text-indent: 0; margin: 0.4em 0; }
.photo img { width: 60%; height: auto; }
.inner { ${font(t.innerHeadings?.font, t.body.font)}; font-weight: ${t.innerHeadings?.bold ? "bold" : "normal"}; }
.caption { font-size: ${Math.max(9, t.body.size - 3)}pt; text-align: center; text-indent: 0; margin-bottom: 0.4em; }
.masthead h1 { ${font(head.font, "")}; color: #c00; font-size: 36pt; letter-spacing: 0.2em; text-align: center; margin: 0; font-weight: bold; line-height: 1.4; }
.masthead .number { text-align: center; text-indent: 0; }
.masthead .editor { display: flex; justify-content: space-between; border-bottom: 2px solid #c00; padding: 0 0.5em 0.3em; margin-bottom: 1em; }
.banner { margin-top: 2em; font-size: ${t.distribution?.size ?? t.body.size - 2}pt; page-break-inside: avoid; }
.banner .list { text-indent: 0; padding: 0.15em 0.5em; text-align: left; }
.banner .thick { border-top: 1.5pt solid #000; } .banner .thin { border-top: 0.75pt solid #000; }
.banner table { border-collapse: collapse; width: 100%; } .banner td { border: 0.75pt solid #000; padding: 0.2em 0.5em; vertical-align: top; }
.banner td.label { width: 3em; text-align: center; white-space: nowrap; }
.imprint { text-indent: 0; text-align: right; font-size: ${t.distribution?.size ?? t.body.size - 2}pt; }
`;
  const parts: string[] = [];
  if (t.masthead) parts.push(mastheadHtml(t.masthead));
  for (const section of issue.sections) {
    if (section.name !== null) parts.push(`<div class="section">【${esc(section.name)}】</div>`);
    for (const a of section.articles) parts.push(articleHtml(a, t));
  }
  parts.push(distributionHtml(issue, t));
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><style>${css}</style></head><body>${parts.join("\n")}</body></html>`;
}

function mastheadHtml(m: NonNullable<Typography["masthead"]>): string {
  return `<div class="masthead"><h1>${esc(m.title)}</h1><p class="number">${esc(m.number)}${m.total ? esc(m.total) : ""}</p><div class="editor"><span>${esc(m.editor)}</span><span>${esc(m.date)}</span></div></div>`;
}

function articleHtml(a: Article, t: Typography): string {
  const under = t.authorUnderTitle?.includes(a.title) ?? false;
  const out: string[] = [];
  if (a.kicker) out.push(`<div class="kicker">${esc(a.kicker)}</div>`);
  out.push(`<div class="title">${under ? `<span class="spaced">${esc(a.title)}</span>` : esc(a.title)}</div>`);
  if (a.subtitle) out.push(`<div class="subtitle">${t.subtitle?.dashes ? "——" : ""}${esc(a.subtitle)}</div>`);
  if (under && a.authors.length)
    out.push(`<div class="author">${esc(t.authorLine?.prefix ?? "")}${esc(a.authors.join(" "))}</div>`);
  const byline = !under && a.authors.length ? `（${a.authors.join(" ")}）` : "";
  a.paragraphs.forEach((p, i) => {
    const last = i === a.paragraphs.length - 1;
    const end = last && byline && t.bylines !== "right" ? ` ${esc(byline)}` : "";
    const inner = t.innerHeadings && INNER_HEADING.test(p) ? ' class="inner"' : "";
    out.push(`<p${inner}>${esc(p)}${end}</p>`);
    for (const photo of t.photos ?? []) {
      if (photo.article === a.title && photo.afterParagraph === i) {
        out.push(
          `<div class="photo"><img src="data:image/png;base64,${photo.pixels ? gradientPng(...photo.pixels) : PHOTO}" alt=""></div>`,
        );
        if (photo.caption) out.push(`<div class="caption">${esc(photo.caption)}</div>`);
      }
    }
  });
  if (byline && t.bylines === "right") out.push(`<p class="byline">${esc(byline)}</p>`);
  return out.join("\n");
}

function distributionHtml(issue: Issue, t: Typography): string {
  const d = t.distribution ?? { as: "rules" };
  const rows = (
    [
      ["报", issue.distribution.report],
      ["发", issue.distribution.distribute],
      ["送", issue.distribution.copy],
    ] as const
  ).filter(([, orgs]) => orgs.length > 0);
  const colon = d.colon === false ? "" : "：";
  const imprint = d.imprint ? `<p class="imprint">${esc(d.imprint)}</p>` : "";
  if (d.as === "table") {
    return `<div class="banner"><table>${rows.map(([label, orgs]) => `<tr><td class="label">${label}${colon}</td><td>${esc(orgs.join("、"))}</td></tr>`).join("")}</table>${imprint}</div>`;
  }
  const lines = rows.map(
    ([label, orgs], i) =>
      `<div class="${i === 0 ? "thick" : "thin"}"></div><p class="list">${label}${colon}${esc(orgs.join("、"))}</p>`,
  );
  return `<div class="banner">${lines.join("")}<div class="thick"></div>${imprint}</div>`;
}

/** A 240×160 PNG with a gradient: a photo as far as the PDF and its reader are concerned. */
const PHOTO = gradientPng(240, 160);

/** A PNG of w×h pixels, red growing to the right and green downwards, base64. */
function gradientPng(w: number, h: number): string {
  const raw = Buffer.alloc((w * 3 + 1) * h);
  for (let y = 0; y < h; y++) {
    raw[y * (w * 3 + 1)] = 0;
    for (let x = 0; x < w; x++) raw.set([(x * 255) / w, (y * 255) / h, 128], y * (w * 3 + 1) + 1 + x * 3);
  }
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (b: Buffer) => {
    let c = 0xffffffff;
    for (const x of b) c = crcTable[(c ^ x) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
    const out = Buffer.alloc(8 + data.length + 4);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc(body), 8 + data.length);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  const png = Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("IDAT", deflateSync(raw)),
    chunk("IEND", Buffer.alloc(0)),
  ]);
  return png.toString("base64");
}
