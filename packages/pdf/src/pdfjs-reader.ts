import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import {
  ImportError,
  MIN_PHOTO_SIDE,
  type PdfBox,
  type PdfDocument,
  type PdfImage,
  type PdfPage,
  type PdfReader,
  type PdfTextItem,
  type WebPhoto,
} from "@bulletin/core";
import { ensureDomMatrix } from "./dom-matrix.ts";
import { oversizedImages } from "./oversized-images.ts";
import { type DecodedImage, webPhoto } from "./web-photo.ts";

type Pdfjs = typeof import("pdfjs-dist/legacy/build/pdf.mjs");
type PdfjsPage = Awaited<ReturnType<Awaited<ReturnType<Pdfjs["getDocument"]>["promise"]>["getPage"]>>;
type Matrix = [number, number, number, number, number, number];

/** A rule is at most this thick (points); table borders and masthead rules are 0.5–3. */
const RULE_THICKNESS = 4;
/** …and at least this long. */
const RULE_LENGTH = 12;
/**
 * PDF.js decodes no picture of more pixels than this (64 megapixels: 192 MB as RGB), so that a
 * small PDF cannot make it allocate gigabytes (a deflated picture of one colour compresses a
 * thousandfold). A camera's 24-megapixel photo is well inside.
 */
export const MAX_IMAGE_PIXELS = 64_000_000;
/** A picture painted as a photo with fewer pixels than this on a side is a stretched scrap, not a photo. */
const MIN_PHOTO_PIXELS = 16;
/** How long to wait for PDF.js to hand over a decoded picture before giving up on it. */
const DECODE_TIMEOUT_MS = 20_000;

/** m1 × m2, as PDF composes transformation matrices. */
function multiply(m1: Matrix, m2: readonly number[]): Matrix {
  const [a, b, c, d, e, f] = m2 as Matrix;
  return [
    m1[0] * a + m1[2] * b,
    m1[1] * a + m1[3] * b,
    m1[0] * c + m1[2] * d,
    m1[1] * c + m1[3] * d,
    m1[0] * e + m1[2] * f + m1[4],
    m1[1] * e + m1[3] * f + m1[5],
  ];
}

function apply(m: Matrix, x: number, y: number): [number, number] {
  return [x * m[0] + y * m[2] + m[4], x * m[1] + y * m[3] + m[5]];
}

/**
 * The package's own character maps (CJK fonts need them) and standard fonts, read from disk: nothing
 * is fetched at run time. Bundled for Lambda, the package is not there: the function carries copies.
 */
function assetsOf(dir: string | undefined): { cMapUrl: string; standardFontDataUrl: string } {
  const root = dir ?? dirname(createRequire(import.meta.url).resolve("pdfjs-dist/package.json"));
  return { cMapUrl: `${join(root, "cmaps")}/`, standardFontDataUrl: `${join(root, "standard_fonts")}/` };
}

let loaded: Promise<Pdfjs> | undefined;
/**
 * PDF.js, loaded on first use: after its DOMMatrix is in place (it needs one as it loads), and with
 * its parser handed over. PDF.js runs the parser on the main thread in Node (a "fake worker"); giving
 * it the module ourselves, instead of letting it import a path relative to its own file, keeps it
 * working when the code is bundled for Lambda.
 */
function loadPdfjs(): Promise<Pdfjs> {
  loaded ??= (async () => {
    ensureDomMatrix();
    (globalThis as { pdfjsWorker?: unknown }).pdfjsWorker = await import("pdfjs-dist/legacy/build/pdf.worker.mjs");
    return import("pdfjs-dist/legacy/build/pdf.mjs");
  })();
  return loaded;
}

/**
 * Core's PdfReader on Mozilla's PDF.js: every text item with its position, size and font name, the
 * rules drawn on each page, and where images are painted, in points from the page's top-left corner.
 * Each image painted large enough to be a photo comes with its picture for the web (sharp: a JPEG
 * at most 1200 px wide), made once however often it is painted, or with why it could not be made.
 *
 * @example
 * const layout = await new PdfJsReader().read(readFileSync("bulletin.pdf"));
 */
export class PdfJsReader implements PdfReader {
  private readonly assets: { cMapUrl: string; standardFontDataUrl: string };

  /** `assetsDir` holds PDF.js's cmaps/ and standard_fonts/; by default, those of the installed package. */
  constructor(opts: { assetsDir?: string } = {}) {
    this.assets = assetsOf(opts.assetsDir);
  }

  async read(bytes: Uint8Array): Promise<PdfDocument> {
    const pdfjs = await loadPdfjs();
    // PDF.js takes ownership of the buffer it is given; the caller keeps its bytes (to store them).
    const task = pdfjs.getDocument({
      data: new Uint8Array(bytes),
      ...this.assets,
      cMapPacked: true,
      // A font program is data, never code: no eval (CVE-2024-4367), no system fonts, no canvas.
      isEvalSupported: false,
      disableFontFace: true,
      useSystemFonts: false,
      isOffscreenCanvasSupported: false,
      isImageDecoderSupported: false,
      maxImageSize: MAX_IMAGE_PIXELS,
      fontExtraProperties: false,
      verbosity: pdfjs.VerbosityLevel.ERRORS,
    });
    try {
      const doc = await task.promise.catch((e: unknown) => {
        throw translate(e);
      });
      const pages: PdfPage[] = [];
      const photos = new Map<string, Promise<Pick<PdfImage, "photo" | "problem">>>();
      for (let n = 1; n <= doc.numPages; n++) {
        const page = await doc.getPage(n).catch((e: unknown) => {
          throw translate(e);
        });
        pages.push(
          await readPage(pdfjs, page, n, photos).catch((e: unknown) => {
            throw translate(e);
          }),
        );
        page.cleanup();
      }
      const undecoded = oversizedImages(bytes, MAX_IMAGE_PIXELS);
      return { pages, ...(undecoded.length > 0 ? { undecoded } : {}) };
    } finally {
      await task.destroy();
    }
  }
}

async function readPage(
  pdfjs: Pdfjs,
  page: PdfjsPage,
  number: number,
  photos: Map<string, Promise<Pick<PdfImage, "photo" | "problem">>>,
): Promise<PdfPage> {
  const viewport = page.getViewport({ scale: 1 });
  const view = viewport.transform as Matrix;
  const content = await page.getTextContent({ disableNormalization: true });
  const ops = await page.getOperatorList();
  const items: PdfTextItem[] = [];
  for (const it of content.items) {
    if (!("str" in it) || it.str === "") continue;
    // PDF.js puts in spaces of its own where it sees a gap (height 0); the importer reads gaps itself.
    // A space the document typed (a glyph, with a height) is kept.
    if (it.str.trim() === "" && it.height === 0) continue;
    const t = it.transform as Matrix;
    const [x, y] = apply(view, t[4], t[5]);
    const font = fontOf(page, it.fontName);
    items.push({
      text: it.str,
      x,
      y,
      width: it.width,
      size: Math.hypot(t[2], t[3]) || Math.hypot(t[0], t[1]),
      font: font.name,
      ...(font.bold ? { bold: true } : {}),
    });
  }
  const { rules, painted } = graphics(pdfjs.OPS, ops, view);
  const images: PdfImage[] = [];
  for (const { box, source } of painted) {
    if (box.width < MIN_PHOTO_SIDE || box.height < MIN_PHOTO_SIDE || source === undefined) {
      images.push(box);
      continue;
    }
    const key = typeof source === "string" ? source : undefined;
    let made = key ? photos.get(key) : undefined;
    if (!made) {
      made = photoOf(page, source);
      if (key) photos.set(key, made);
    }
    images.push({ ...box, ...(key ? { key } : {}), ...(await made) });
  }
  return { number, width: viewport.width, height: viewport.height, items, rules, images };
}

/**
 * The picture of an image: `source` is PDF.js's object id (a picture in the page's or, when it is
 * shared between pages, the document's objects) or, for a small inline image, its decoded data.
 */
async function photoOf(
  page: PdfjsPage,
  source: string | DecodedImage | { mask: true },
): Promise<Pick<PdfImage, "photo" | "problem">> {
  if (typeof source !== "string" && "mask" in source)
    return { problem: { kind: "undecodable", detail: "a stencil mask (one colour), not a picture" } };
  const decoded = typeof source === "string" ? await decodedImage(page, source) : source;
  if (!decoded?.data) return { problem: { kind: "undecodable", detail: "PDF.js could not decode this picture" } };
  if (decoded.width < MIN_PHOTO_PIXELS || decoded.height < MIN_PHOTO_PIXELS) {
    return {
      problem: {
        kind: "absurd-size",
        detail: `a picture of only ${decoded.width}×${decoded.height} pixels, painted as large as a photo`,
      },
    };
  }
  try {
    const photo: WebPhoto = await webPhoto(decoded);
    return { photo };
  } catch (e) {
    return {
      problem: {
        kind: "undecodable",
        detail: `its pixels could not be converted (${String((e as Error).message ?? e).slice(0, 80)})`,
      },
    };
  }
}

/** PDF.js hands a decoded picture over when it is ready; null when it could not decode it. */
function decodedImage(page: PdfjsPage, id: string): Promise<DecodedImage | null> {
  const objs = id.startsWith("g_") ? page.commonObjs : page.objs;
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(null), DECODE_TIMEOUT_MS);
    objs.get(id, (data: unknown) => {
      clearTimeout(timer);
      resolve((data as DecodedImage | null) ?? null);
    });
  });
}

function fontOf(page: PdfjsPage, id: string): { name: string; bold: boolean } {
  try {
    if (!page.commonObjs.has(id)) return { name: id, bold: false };
    const f = page.commonObjs.get(id) as { name?: string; bold?: boolean; black?: boolean } | null;
    return { name: f?.name || id, bold: Boolean(f?.bold || f?.black) };
  } catch {
    return { name: id, bold: false };
  }
}

/** An image painted on the page, and where its picture comes from (see photoOf). */
interface Painted {
  box: PdfBox;
  source?: string | DecodedImage | { mask: true };
}

/**
 * Walks the operator list with the current transformation matrix: thin painted paths become rules,
 * painted images their boxes (an image fills the unit square of the matrix it is painted with).
 */
function graphics(
  OPS: Pdfjs["OPS"],
  ops: { fnArray: number[]; argsArray: unknown[] },
  view: Matrix,
): { rules: PdfBox[]; painted: Painted[] } {
  const PAINT_PATH = new Set<number>([
    OPS.stroke,
    OPS.closeStroke,
    OPS.fill,
    OPS.eoFill,
    OPS.fillStroke,
    OPS.eoFillStroke,
    OPS.closeFillStroke,
    OPS.closeEOFillStroke,
  ]);
  const PAINT_IMAGE = new Set<number>([
    OPS.paintImageXObject,
    OPS.paintInlineImageXObject,
    OPS.paintImageMaskXObject,
    OPS.paintImageXObjectRepeat,
  ]);
  const rules: PdfBox[] = [];
  const painted: Painted[] = [];
  const stack: Matrix[] = [];
  let ctm: Matrix = [1, 0, 0, 1, 0, 0];
  const boxOf = (x0: number, y0: number, x1: number, y1: number): PdfBox => {
    const m = multiply(view, ctm);
    const pts = [apply(m, x0, y0), apply(m, x1, y0), apply(m, x0, y1), apply(m, x1, y1)];
    const xs = pts.map((p) => p[0]);
    const ys = pts.map((p) => p[1]);
    return {
      x: Math.min(...xs),
      y: Math.min(...ys),
      width: Math.max(...xs) - Math.min(...xs),
      height: Math.max(...ys) - Math.min(...ys),
    };
  };
  for (let i = 0; i < ops.fnArray.length; i++) {
    const fn = ops.fnArray[i]!;
    const args = ops.argsArray[i] as unknown[] | null;
    if (fn === OPS.save) stack.push(ctm);
    else if (fn === OPS.restore) ctm = stack.pop() ?? ctm;
    else if (fn === OPS.transform && args) ctm = multiply(ctm, args as number[]);
    else if (fn === OPS.paintFormXObjectBegin && args) {
      stack.push(ctm);
      const matrix = args[0] as number[] | null;
      if (matrix && matrix.length === 6) ctm = multiply(ctm, matrix);
    } else if (fn === OPS.paintFormXObjectEnd) ctm = stack.pop() ?? ctm;
    else if (fn === OPS.constructPath && args && PAINT_PATH.has(args[0] as number)) {
      const mm = args[2] as ArrayLike<number> | null;
      if (!mm || mm.length < 4) continue;
      const box = boxOf(mm[0]!, mm[1]!, mm[2]!, mm[3]!);
      const horizontal = box.height <= RULE_THICKNESS && box.width >= RULE_LENGTH;
      const vertical = box.width <= RULE_THICKNESS && box.height >= RULE_LENGTH;
      if (horizontal || vertical) rules.push(box);
    } else if (PAINT_IMAGE.has(fn)) painted.push({ box: boxOf(0, 0, 1, 1), ...sourceOf(OPS, fn, args) });
  }
  return { rules, painted };
}

function sourceOf(OPS: Pdfjs["OPS"], fn: number, args: unknown[] | null): Pick<Painted, "source"> {
  const first = args?.[0];
  if (fn === OPS.paintImageMaskXObject) return { source: { mask: true } };
  if (fn === OPS.paintImageXObject && typeof first === "string") return { source: first };
  if (fn === OPS.paintInlineImageXObject && first && typeof first === "object" && "data" in first)
    return { source: first as DecodedImage };
  return {};
}

/** PDF.js's exceptions, by name, as the two ways a PDF cannot be read; nothing else escapes. */
function translate(e: unknown): ImportError {
  if (e instanceof ImportError) return e;
  const name = (e as { name?: string } | null)?.name ?? "";
  const message = (e as { message?: string } | null)?.message ?? String(e);
  if (name === "PasswordException") {
    return new ImportError(
      "import.pdf-encrypted",
      "this PDF is protected by a password: save it again without one (in WPS or Word: 文件 → 另存为, with no password) and import that",
      undefined,
      { cause: e },
    );
  }
  return new ImportError(
    "import.pdf-damaged",
    `this PDF is damaged and cannot be read (${message.slice(0, 120)}): export it again from Word or WPS`,
    undefined,
    { cause: e },
  );
}
