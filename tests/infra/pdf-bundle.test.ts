import { cpSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";
import { afterAll, describe, expect, it } from "vitest";
import { parsePdfDocument } from "../../packages/core/src/issue/import/pdf/parse-pdf-document.ts";
import { features } from "../expected/pdf-features.ts";
import { chromiumAvailable } from "../support/chromium.ts";
import { bulletinPdf, closePdfBrowser, TYPOGRAPHIES } from "../support/pdf-fixtures.ts";

afterAll(closePdfBrowser);

// The api Lambda carries PDF.js bundled by esbuild, as SST bundles it, with the character maps and
// fonts that infra/api.ts copies beside it (copyFiles → pdfjs/): no node_modules at run time.
describe.skipIf(!chromiumAvailable)("PDF.js bundled for Lambda", () => {
  it("reads a bulletin PDF with the assets the function carries", { timeout: 120_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), "bulletin-bundle-"));
    await build({
      entryPoints: [join(process.cwd(), "packages/pdf/src/index.ts")],
      outfile: join(dir, "reader.mjs"),
      bundle: true,
      platform: "node",
      format: "esm",
      target: "node22",
      // SST's banner: a require() for the CommonJS dependencies of ESM bundles.
      banner: { js: "import { createRequire as topLevelCreateRequire } from 'module'; const require = topLevelCreateRequire(import.meta.url);" },
      logLevel: "silent",
    });
    for (const assets of ["cmaps", "standard_fonts"]) cpSync(join(process.cwd(), "node_modules/pdfjs-dist", assets), join(dir, "pdfjs", assets), { recursive: true });
    writeFileSync(join(dir, "package.json"), '{"type":"module"}');
    const { PdfJsReader } = (await import(pathToFileURL(join(dir, "reader.mjs")).href)) as typeof import("../../packages/pdf/src/index.ts");
    const doc = await new PdfJsReader({ assetsDir: join(dir, "pdfjs") }).read(await bulletinPdf(features, TYPOGRAPHIES.featuresSans));
    expect(parsePdfDocument(doc).issue).toEqual(features);
  });
});
