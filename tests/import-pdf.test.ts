import fc from "fast-check";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ImportError } from "../packages/core/src/errors/errors.ts";
import { importIssueFile } from "../packages/core/src/issue/import/import-file.ts";
import type { ImportResult } from "../packages/core/src/issue/import/import-result.ts";
import { parsePdfDocument } from "../packages/core/src/issue/import/pdf/parse-pdf-document.ts";
import { pageLines } from "../packages/core/src/issue/import/pdf/text-lines.ts";
import { type Issue, IssueSchema } from "../packages/core/src/issue/issue-schema.ts";
import { PdfJsReader } from "@bulletin/pdf";
import { outlineOf } from "./expected/outline-of.ts";
import { features, featuresWithFigure } from "./expected/pdf-features.ts";
import { expected as expected000 } from "./expected/seed-000.ts";
import { expected as expected004 } from "./expected/seed-004.ts";
import { wellFormedIssueArb } from "./support/bulletin-arbitrary.ts";
import { unaccounted } from "./support/char-accounting.ts";
import { chromiumAvailable } from "./support/chromium.ts";
import { bulletinPdf, closePdfBrowser, seedIssue, TYPOGRAPHIES } from "./support/pdf-fixtures.ts";
import type { Typography } from "./support/typeset-pdf.ts";

// Bulletins typeset as PDFs by Chromium in several typographies, imported from the PDF itself. The
// expected outlines are the hand-written ones of the two samples, and the hand-written bulletin of
// expected/pdf-features.ts; never the parser's own output.
const reader = new PdfJsReader();

interface Imported {
  result: ImportResult;
  /** Every line's text as the PDF gives it, for the character accounting. */
  text: string;
}

async function importPdf(pdf: Uint8Array): Promise<Imported> {
  const doc = await reader.read(pdf);
  return {
    result: parsePdfDocument(doc),
    text: doc.pages
      .flatMap(pageLines)
      .map((l) => l.text)
      .join("\n"),
  };
}

afterAll(closePdfBrowser);

describe.skipIf(!chromiumAvailable)("the sample bulletins typeset as PDFs", () => {
  const cases = [
    ["000", expected000, "songHei"],
    ["000", expected000, "sameSizeKai"],
    ["004", expected004, "songHei"],
    ["004", expected004, "sameSizeKai"],
  ] as const;
  const imported = new Map<string, Imported>();
  beforeAll(async () => {
    for (const [seed, , style] of cases)
      imported.set(`${seed} ${style}`, await importPdf(await bulletinPdf(seedIssue(seed), TYPOGRAPHIES[style])));
  }, 120_000);

  it.each(cases)("%s in %s imports to the same outline as its text", (seed, expected, style) => {
    const { result } = imported.get(`${seed} ${style}`)!;
    expect(result.format).toBe("pdf");
    expect(outlineOf(result.issue)).toEqual(expected);
    expect(IssueSchema.parse(result.issue)).toEqual(result.issue);
    expect(result.warnings).toEqual([]);
  });

  it("reads the masthead's name, number with its running total, and date where the PDF has them", () => {
    expect(imported.get("004 songHei")!.result.issue.masthead).toEqual({
      title: "山西通信",
      number: "2025年第9期（总第213期）",
      date: "2025年9月30日",
    });
    // Typeset without a masthead: none is made up.
    expect(imported.get("004 sameSizeKai")!.result.issue.masthead).toBeUndefined();
  });

  it.each(cases)("%s in %s keeps every character once, or lists it as dropped", (seed, _expected, style) => {
    const { result, text } = imported.get(`${seed} ${style}`)!;
    expect(unaccounted(text, result)).toEqual({});
    const furniture = result.dropped.filter((d) => d.reason !== "markup");
    // What is dropped is the furniture, the editor line and the imprint: page numbers on every page.
    expect(new Set(furniture.map((d) => d.reason))).toEqual(
      new Set(style === "songHei" ? ["page-number", "masthead"] : ["page-number", "imprint"]),
    );
    expect(furniture.filter((d) => d.reason === "page-number").map((d) => d.page)).toEqual(
      furniture.filter((d) => d.reason === "page-number").map((_, i) => i + 1),
    );
  });
});

describe.skipIf(!chromiumAvailable)("a bulletin with every feature of the layout", () => {
  const imported = new Map<string, Imported>();
  beforeAll(async () => {
    for (const style of ["featuresSerif", "featuresSans"] as const)
      imported.set(style, await importPdf(await bulletinPdf(features, TYPOGRAPHIES[style])));
  }, 120_000);

  it.each(["featuresSerif", "featuresSans"] as const)("in %s imports exactly as written", (style) => {
    const { result } = imported.get(style)!;
    // Kicker, —— subtitle, author line under a letter-spaced title, a two-line title straight over its
    // text, 一、 headings as paragraphs, a byline at the right, the 报/发/送 table or rules, the masthead.
    // The photo: a figure in its article, after the paragraph above it, with the caption under it.
    expect(result.issue).toEqual(featuresWithFigure(style));
    expect(result.imagesSkipped).toBe(0);
    expect(result.warnings).toEqual([]);
  });

  it.each(["featuresSerif", "featuresSans"] as const)(
    "in %s gives the photo's picture as a JPEG of the printed photo's pixels",
    async (style) => {
      const { result } = imported.get(style)!;
      expect(result.images).toHaveLength(1);
      const [image] = result.images!;
      expect(image).toMatchObject({ src: "images/1.jpg", width: 240, height: 160 });
      const meta = await sharp(image!.jpeg).metadata();
      expect(meta).toMatchObject({ format: "jpeg", width: 240, height: 160, space: "srgb" });
      // The printed picture is a gradient from red (left) to green (bottom): still so in the JPEG.
      const { data, info } = await sharp(image!.jpeg).raw().toBuffer({ resolveWithObject: true });
      const px = (x: number, y: number) => [
        ...data.subarray((y * info.width + x) * info.channels, (y * info.width + x) * info.channels + 3),
      ];
      expect(px(235, 5)[0]).toBeGreaterThan(200);
      expect(px(5, 155)[1]).toBeGreaterThan(200);
      expect(
        px(5, 5)
          .slice(0, 2)
          .every((v) => v < 40),
      ).toBe(true);
    },
  );

  it.each(["featuresSerif", "featuresSans"] as const)(
    "in %s keeps the photo's caption with it, drops the running header and the imprint, and nothing else",
    (style) => {
      const { result, text } = imported.get(style)!;
      expect(unaccounted(text, result)).toEqual({});
      const dropped = result.dropped.filter((d) => d.reason !== "markup").map((d) => `${d.reason}: ${d.text}`);
      expect(dropped.filter((d) => d.startsWith("caption"))).toEqual([]);
      if (style === "featuresSerif") {
        expect(dropped.filter((d) => d.startsWith("running-header")).length).toBeGreaterThanOrEqual(1);
        expect(dropped).toContain("imprint: （共印50份）");
      }
    },
  );
});

/** What typography decides: sections, headings, authors, paragraphs, the footer. */
function structure(issue: Issue) {
  return {
    distribution: issue.distribution,
    sections: issue.sections.map((s) => ({
      name: s.name,
      articles: s.articles.map((a) => ({
        kicker: a.kicker ?? null,
        title: a.title,
        subtitle: a.subtitle ?? null,
        authors: a.authors,
        paragraphs: a.paragraphs,
      })),
    })),
  };
}

describe.skipIf(!chromiumAvailable)("random well-formed bulletins typeset as PDFs", () => {
  const styles: Typography[] = [
    TYPOGRAPHIES.songHei,
    { ...TYPOGRAPHIES.sameSizeKai, authorUnderTitle: [] },
    // 明体 body, 22 pt 楷体 titles, —— subtitles, bylines at the right, the lists as a table.
    {
      body: { font: "AR PL UMing CN", size: 15 },
      heading: { font: "AR PL UKai CN", size: 22 },
      kicker: { size: 15 },
      subtitle: { size: 16, dashes: true },
      bylines: "right",
      distribution: { as: "table" },
    },
  ];
  const samples = fc.sample(wellFormedIssueArb(30), { numRuns: 6, seed: 7 });

  it("import to exactly the issue typeset, with every character accounted for", { timeout: 180_000 }, async () => {
    for (const [i, issue] of samples.entries()) {
      const { result, text } = await importPdf(await bulletinPdf(issue, styles[i % styles.length]!));
      expect(structure(result.issue), `sample ${i}`).toEqual(structure(issue));
      expect(unaccounted(text, result), `sample ${i}`).toEqual({});
    }
  });
});

describe.skipIf(!chromiumAvailable)("any PDF, however damaged", () => {
  it("is imported or refused with an ImportError, never a crash", { timeout: 180_000 }, async () => {
    const pdf = await bulletinPdf(features, TYPOGRAPHIES.featuresSans);
    const mutation = fc.oneof(
      // Bytes overwritten anywhere: the text streams, the fonts, the cross-reference table.
      fc
        .array(fc.tuple(fc.nat(pdf.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 40 })
        .map((edits) => {
          const out = new Uint8Array(pdf);
          for (const [at, byte] of edits) out[at] = byte;
          return out;
        }),
      // Cut short, as an interrupted download is.
      fc.integer({ min: 5, max: pdf.length - 1 }).map((n) => pdf.slice(0, n)),
      // A stretch removed from the middle: offsets in the xref point at the wrong objects.
      fc
        .tuple(fc.nat(pdf.length - 1), fc.integer({ min: 1, max: 4096 }))
        .map(([at, n]) => new Uint8Array([...pdf.subarray(0, at), ...pdf.subarray(at + n)])),
    );
    await fc.assert(
      fc.asyncProperty(mutation, async (bytes) => {
        try {
          const { issue } = await importIssueFile(bytes, { name: "mutated.pdf" }, { pdf: reader });
          expect(IssueSchema.parse(issue)).toEqual(issue);
        } catch (e) {
          if (!(e instanceof ImportError)) throw e;
          expect(e.code).toMatch(/^import\.(pdf-damaged|pdf-no-text|not-a-bulletin|empty)$/);
        }
      }),
      { numRuns: 40, seed: 20261204 },
    );
  });
});
