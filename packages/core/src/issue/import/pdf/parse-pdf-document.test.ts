import { describe, expect, it } from "vitest";
import { ImportError } from "../../../errors/errors.ts";
import { BODY, fullLine, layout, layoutPage } from "./layout.test-support.ts";
import type { PdfImage } from "./pdf-document.ts";
import { parsePdfDocument } from "./parse-pdf-document.ts";
import { fontStyle, pageLines } from "./text-lines.ts";

// The importer on layouts built by hand: each rule of docs/bulletin-layout.md on its own. The PDFs
// Chromium typesets are in tests/import-pdf.test.ts.

const HEI = "GHIJKL+SimHei";
const KAI = "MNOPQR+KaiTi_GB2312";

describe("fontStyle", () => {
  it.each([
    ["ABCDEF+SimHei", "SimHei", false],
    ["BAAAAA+NotoSerifCJKsc-Bold", "NotoSerifCJKsc", true],
    ["FangSong_GB2312", "FangSong", false],
    ["TimesNewRomanPS-BoldMT", "TimesNewRoman", true],
    ["ËÎÌå", "ËÎÌå", false],
  ])("%s is %s, bold %s", (name, family, bold) => {
    expect(fontStyle(name)).toEqual({ family, bold });
  });
});

describe("lines rebuilt from text items", () => {
  it("joins single glyphs on one baseline, puts back a typed space, and splits at a wide gap", () => {
    const [byline, masthead] = pageLines(
      layoutPage(1, [
        { text: "任务。 （张俊清 王丽）", glyphs: true },
        { text: "秘书处编", glyphs: true },
      ]),
    );
    expect(byline!.text).toBe("任务。 （张俊清 王丽）");
    expect(masthead!.segments.map((s) => s.text)).toEqual(["秘书处编"]);
    const [split] = pageLines({
      ...layoutPage(1, []),
      items: [
        { text: "山西省通信行业协会秘书处编", x: 80, y: 200, width: 156, size: 12, font: "A" },
        { text: "2026年1月26日", x: 430, y: 200, width: 78, size: 12, font: "A" },
      ],
    });
    expect(split!.segments.map((s) => s.text)).toEqual(["山西省通信行业协会秘书处编", "2026年1月26日"]);
  });

  it("reads no space into a justified line, whose glyphs are all spread alike", () => {
    const items = [..."全省通信行业召开会议"].map((ch, i) => ({
      text: ch,
      x: 80 + i * 14,
      y: 200,
      width: 12,
      size: 12,
      font: "A",
    }));
    expect(pageLines({ ...layoutPage(1, []), items })[0]!.text).toBe("全省通信行业召开会议");
  });

  it("gives the ideograph where a font's text map names the radical sharing its glyph", () => {
    expect(pageLines(layoutPage(1, ["⼭西⾏业⻛险⻘年"]))[0]!.text).toBe("山西行业风险青年");
  });
});

describe("a bulletin read from its layout", () => {
  const body = (n: number) => [
    { text: `第${n}段开头，这一段讲述会议的主要内容和工作部署，`, at: 2 },
    fullLine("要求各单位认真贯彻落实"),
    { text: "确保取得实效。" },
  ];

  it("reads the masthead above its rule: name, number with the running total, Chinese-numeral date", () => {
    const page = layoutPage(
      1,
      [
        { text: "山西通信", size: 36, at: "center", font: "XiaoBiaoSong" },
        { text: "第九期", at: "center" },
        { text: "（总第213期）", at: "center" },
        { text: "山西省通信行业协会秘书处编", gap: 0.2 },
        { text: "【协会消息】", font: HEI, gap: 2 },
        { text: "标题一", size: 16, font: HEI, at: "center" },
        ...body(1),
      ],
      { rules: [{ x: 80, y: 230, width: 432, height: 2 }] },
    );
    page.items.push({
      text: "二〇二六年一月二十六日",
      x: 380,
      y: page.items.find((i) => i.text.includes("秘书处编"))!.y,
      width: 132,
      size: 12,
      font: "A",
    });
    const { issue, dropped } = parsePdfDocument(layout(page));
    expect(issue.masthead).toEqual({
      title: "山西通信",
      number: "第九期（总第213期）",
      date: "二〇二六年一月二十六日",
    });
    expect(dropped.filter((d) => d.reason === "masthead").map((d) => d.text)).toEqual(["山西省通信行业协会秘书处编"]);
    expect(issue.sections.map((s) => s.name)).toEqual(["协会消息"]);
  });

  it("takes a headline in the body's size but another family (楷体) for a heading, and 一、 in 黑体 for a paragraph", () => {
    const { issue } = parsePdfDocument(
      layout(
        layoutPage(1, [
          { text: "以“强党建 促发展”为主题", at: "center", gap: 1 },
          { text: "全省通信行业召开工作推进会", font: KAI, at: "center" },
          ...body(1),
          { text: "一、总体要求", font: HEI, at: 2 },
          ...body(2),
        ]),
      ),
    );
    const [article] = issue.sections[0]!.articles;
    expect(article).toMatchObject({ kicker: "以“强党建 促发展”为主题", title: "全省通信行业召开工作推进会" });
    expect(article!.paragraphs.map((p) => p.slice(0, 6))).toEqual(["第1段开头，", "一、总体要求", "第2段开头，"]);
  });

  it("takes a heading one size up in bold; a smaller line under it is its subtitle, a name its author", () => {
    const { issue } = parsePdfDocument(
      layout(
        layoutPage(1, [
          { text: "山西移动签署战略协议", size: 16, font: "SimSun-Bold", at: "center", gap: 1 },
          { text: "——共建“青春驿站”", size: 14, at: "center" },
          { text: "文/王丽", at: "center" },
          ...body(1),
        ]),
      ),
    );
    expect(issue.sections[0]!.articles[0]).toMatchObject({
      title: "山西移动签署战略协议",
      subtitle: "共建“青春驿站”",
      authors: ["王丽"],
    });
  });

  it("runs a paragraph on across a page break, and drops the page numbers and the running header", () => {
    const header = { text: "山西通信 2026年第1期", size: 9, at: "center" as const, y: 60 };
    const doc = layout(
      layoutPage(1, [
        header,
        { text: "标题", size: 16, font: HEI, at: "center" },
        { text: "这一段从第一页开始，", at: 2 },
        fullLine("一直写到页面的底部"),
        { text: "— 1 —", at: "center", y: 800 },
      ]),
      layoutPage(2, [
        header,
        fullLine("又在第二页接着写完"),
        { text: "全段到此结束。" },
        { text: "（郝丹青）", at: "right" },
        { text: "— 2 —", at: "center", y: 800 },
      ]),
    );
    const { issue, dropped } = parsePdfDocument(doc);
    const [article] = issue.sections[0]!.articles;
    expect(article!.paragraphs).toHaveLength(1);
    expect(article!.paragraphs[0]).toMatch(/^这一段从第一页开始，.*又在第二页接着写完.*全段到此结束。$/u);
    expect(article!.authors).toEqual(["郝丹青"]);
    expect(dropped.filter((d) => d.reason !== "markup").map((d) => `${d.reason} ${d.page}`)).toEqual([
      "running-header 1",
      "page-number 1",
      "running-header 2",
      "page-number 2",
    ]);
  });

  it("reads the 报/发/送 lists set as a table, a name broken at the cell's edge rejoined", () => {
    const { issue } = parsePdfDocument(
      layout(
        layoutPage(1, [
          { text: "标题", size: 16, font: HEI, at: "center" },
          ...body(1),
          // The first line runs to the cell's right edge, so the name it ends with goes on below.
          { text: "报 中国通信企业协会、山西省民政厅社会组织管理局、太原市协会、山西省通信管", gap: 2 },
          { text: "理局领导", at: 3 },
          { text: "发 本会副理事长、常务理事、理事" },
          { text: "（共印50份）", at: "right" },
        ]),
      ),
    );
    expect(issue.distribution).toEqual({
      report: ["中国通信企业协会", "山西省民政厅社会组织管理局", "太原市协会", "山西省通信管理局领导"],
      distribute: ["本会副理事长", "常务理事", "理事"],
      copy: [],
    });
  });

  it("refuses a PDF with no text layer (a scan), saying why", () => {
    const scan = layout({ ...layoutPage(1, []), images: [{ x: 0, y: 0, width: 595, height: 842 }] });
    expect(() => parsePdfDocument(scan)).toThrow(ImportError);
    expect(() => parsePdfDocument(scan)).toThrow(/scan/);
  });
});

describe("photos in the text", () => {
  const jpeg = (n: number) => ({ jpeg: new Uint8Array([0xff, 0xd8, n]), width: 1200, height: 800 });
  const para = (n: number, gap = 0) => [
    { text: `第${n}段开头，这一段讲述会议的主要内容和工作部署，`, at: 2, gap },
    fullLine("要求各单位认真贯彻落实"),
    { text: "确保取得实效。" },
  ];
  /** A page whose lines leave `gap` lines of room before the line starting with `before`; the photo fills it. */
  const withPhoto = (
    lines: Parameters<typeof layoutPage>[1],
    before: string,
    photo: Partial<PdfImage>,
    captionLine?: string,
  ) => {
    const page = layoutPage(1, lines);
    const below = page.items.find((i) => i.text.startsWith(before))!;
    // The room: 8 lines of 18 pt above `below`'s line, the caption (if any) in its last line.
    const bottom = below.y - 12 - (captionLine ? 24 : 6);
    const box = { x: 200, y: bottom - 110, width: 190, height: 110, ...photo };
    page.images.push(box);
    if (captionLine)
      page.items.push({ text: captionLine, x: 265, y: bottom + 13, width: 60, size: 10, font: BODY.font });
    return page;
  };

  it("places a photo after the paragraph above it, with the smaller line under it as its caption", () => {
    const page = withPhoto(
      [{ text: "标题", size: 16, font: HEI, at: "center" }, ...para(1), ...para(2, 8), ...para(3)],
      "第2段",
      { photo: jpeg(1) },
      "会议现场",
    );
    const { issue, images, imagesSkipped, dropped } = parsePdfDocument(layout(page));
    const [article] = issue.sections[0]!.articles;
    expect(article!.paragraphs.map((p) => p.slice(0, 3))).toEqual(["第1段", "第2段", "第3段"]);
    expect(article!.figures).toEqual([
      { src: "images/1.jpg", alt: "会议现场", caption: "会议现场", afterParagraph: 0, width: 1200, height: 800 },
    ]);
    expect(images).toEqual([{ src: "images/1.jpg", jpeg: new Uint8Array([0xff, 0xd8, 1]), width: 1200, height: 800 }]);
    expect(imagesSkipped).toBe(0);
    expect(dropped.filter((d) => d.reason === "caption")).toEqual([]);
  });

  it("places a photo under the headline before the first paragraph (-1), with alt text from the title when it has no caption", () => {
    const page = withPhoto([{ text: "标题", size: 16, font: HEI, at: "center" }, ...para(1, 8), ...para(2)], "第1段", {
      photo: jpeg(1),
    });
    const [article] = parsePdfDocument(layout(page)).issue.sections[0]!.articles;
    expect(article!.figures).toEqual([
      { src: "images/1.jpg", alt: "配图：标题", afterParagraph: -1, width: 1200, height: 800 },
    ]);
  });

  it("places a photo at the end of an article in that article, not the next", () => {
    const page = withPhoto(
      [
        { text: "标题一", size: 16, font: HEI, at: "center" },
        ...para(1),
        { text: "标题二", size: 16, font: HEI, at: "center", gap: 8 },
        ...para(2),
      ],
      "标题二",
      { photo: jpeg(1) },
      "合影",
    );
    const { issue } = parsePdfDocument(layout(page));
    const [one, two] = issue.sections[0]!.articles;
    expect(one!.figures).toEqual([
      { src: "images/1.jpg", alt: "合影", caption: "合影", afterParagraph: 0, width: 1200, height: 800 },
    ]);
    expect(two!.figures).toBeUndefined();
    expect(two!.title).toBe("标题二");
  });

  it("leaves out a photo the reader could not decode, with a warning and its caption, and imports the text", () => {
    const page = withPhoto(
      [{ text: "标题", size: 16, font: HEI, at: "center" }, ...para(1), ...para(2, 8)],
      "第2段",
      { problem: { kind: "undecodable", detail: "a JPEG PDF.js cannot decode" } },
      "会议现场",
    );
    const { issue, images, imagesSkipped, warnings, dropped } = parsePdfDocument(layout(page));
    const [article] = issue.sections[0]!.articles;
    expect(article!.paragraphs).toHaveLength(2);
    expect(article!.figures).toBeUndefined();
    expect(images).toBeUndefined();
    expect(imagesSkipped).toBe(1);
    expect(warnings).toEqual([expect.stringMatching(/^page 1: a photo was left out \(a JPEG PDF\.js cannot decode\)/)]);
    expect(dropped.filter((d) => d.reason === "caption").map((d) => d.text)).toEqual(["会议现场"]);
  });

  it("says a picture too large to read was left out", () => {
    const doc = {
      ...layout(layoutPage(1, [{ text: "标题", size: 16, font: HEI, at: "center" }, ...para(1)])),
      undecoded: [{ width: 30000, height: 20000 }],
    };
    const { warnings, imagesSkipped } = parsePdfDocument(doc);
    expect(warnings).toContain("a picture of 30000×20000 pixels is too large to read and was left out");
    expect(imagesSkipped).toBe(1);
  });

  it("takes no ornament for a photo: a tiny image, or the same one at the same place on every page", () => {
    const logo = { x: 80, y: 40, width: 60, height: 40, photo: jpeg(9) };
    const icon = { x: 90, y: 300, width: 12, height: 12, photo: jpeg(8) };
    const p1 = layoutPage(1, [{ text: "标题", size: 16, font: HEI, at: "center" }, ...para(1), ...para(2)], {
      images: [logo, icon],
    });
    const p2 = layoutPage(2, [...para(3)], { images: [logo] });
    const { issue, images, imagesSkipped } = parsePdfDocument(layout(p1, p2));
    expect(issue.sections[0]!.articles[0]!.figures).toBeUndefined();
    expect(images).toBeUndefined();
    expect(imagesSkipped).toBe(0);
  });

  it("numbers the photos of an issue in reading order, across articles and pages", () => {
    const p1 = withPhoto(
      [{ text: "标题一", size: 16, font: HEI, at: "center" }, ...para(1), ...para(2, 8)],
      "第2段",
      { photo: jpeg(1) },
      "甲",
    );
    const p2 = layoutPage(2, [{ text: "标题二", size: 16, font: HEI, at: "center" }, ...para(3, 8)]);
    const third = p2.items.find((i) => i.text.startsWith("第3段"))!;
    p2.images.push({ x: 200, y: third.y - 140, width: 190, height: 110, photo: jpeg(2) });
    const { issue, images } = parsePdfDocument(layout(p1, p2));
    expect(issue.sections[0]!.articles.map((a) => a.figures?.map((f) => [f.src, f.afterParagraph]))).toEqual([
      [["images/1.jpg", 0]],
      [["images/2.jpg", -1]],
    ]);
    expect(images?.map((i) => i.jpeg[2])).toEqual([1, 2]);
  });
});
