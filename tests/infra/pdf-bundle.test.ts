import { cpSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";
import { afterAll, describe, expect, it } from "vitest";
import { parsePdfDocument } from "@bulletin/core";
import { featuresWithFigure } from "../expected/pdf-features.ts";
import { chromiumAvailable } from "../support/chromium.ts";
import { bulletinPdf, closePdfBrowser, TYPOGRAPHIES } from "../support/pdf-fixtures.ts";

afterAll(closePdfBrowser);

// The api Lambda carries PDF.js bundled by esbuild, as SST bundles it, with the character maps and
// fonts that infra/api.ts copies beside it (copyFiles → pdfjs/), and sharp left out of the bundle
// and installed beside it (nodejs.install: node_modules/sharp, for arm64 on AWS; this machine's here).
describe.skipIf(!chromiumAvailable)("PDF.js bundled for Lambda", () => {
  it("reads a bulletin PDF, its photo included, with the assets and the sharp the function carries", {
    timeout: 120_000,
  }, async () => {
    const dir = mkdtempSync(join(tmpdir(), "bulletin-bundle-"));
    const result = await build({
      entryPoints: [join(process.cwd(), "packages/pdf/src/index.ts")],
      outfile: join(dir, "reader.mjs"),
      bundle: true,
      platform: "node",
      format: "esm",
      target: "node22",
      // SST's banner: a require() for the CommonJS dependencies of ESM bundles.
      banner: {
        js: "import { createRequire as topLevelCreateRequire } from 'module'; const require = topLevelCreateRequire(import.meta.url);",
      },
      // What SST does with a package in nodejs.install (and always with sharp): external.
      external: ["sharp"],
      metafile: true,
      logLevel: "silent",
    });
    expect(Object.keys(result.metafile.inputs).some((f) => f.includes("node_modules/sharp/"))).toBe(false);
    expect(readFileSync(join(dir, "reader.mjs"), "utf8")).toMatch(/from\s*"sharp"|import\("sharp"\)/);
    mkdirSync(join(dir, "node_modules"));
    symlinkSync(join(process.cwd(), "node_modules/sharp"), join(dir, "node_modules/sharp"), "dir");
    for (const assets of ["cmaps", "standard_fonts"])
      cpSync(join(process.cwd(), "node_modules/pdfjs-dist", assets), join(dir, "pdfjs", assets), { recursive: true });
    writeFileSync(join(dir, "package.json"), '{"type":"module"}');
    const { PdfJsReader } = (await import(
      pathToFileURL(join(dir, "reader.mjs")).href
    )) as typeof import("../../packages/pdf/src/index.ts");
    const doc = await new PdfJsReader({ assetsDir: join(dir, "pdfjs") }).read(
      await bulletinPdf(featuresWithFigure("featuresSans"), TYPOGRAPHIES.featuresSans),
    );
    const { issue, images } = parsePdfDocument(doc);
    expect(issue).toEqual(featuresWithFigure("featuresSans"));
    expect(images?.map((i) => [i.src, i.width, i.height, [...i.jpeg.subarray(0, 3)]])).toEqual([
      ["images/1.jpg", 240, 160, [0xff, 0xd8, 0xff]],
    ]);
  });
});
