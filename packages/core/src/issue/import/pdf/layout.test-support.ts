import type { PdfBox, PdfDocument, PdfImage, PdfPage, PdfTextItem } from "./pdf-document.ts";

/** One printed line for a test layout: its text and, unless the body's, its type and position. */
export interface LineSpec {
  text: string;
  /** Ems in from the text block's left edge (2 = a first-line indent); "center" centres the line. */
  at?: number | "center" | "right";
  size?: number;
  font?: string;
  /** Space above the line, in lines. */
  gap?: number;
  /** The baseline, from the top of the page, for a line outside the text block (a page number). */
  y?: number;
  /** One text item per character, as Chromium gives Noto CJK (else one item for the line). */
  glyphs?: boolean;
}

const LEFT = 80;
const RIGHT = 512;
const TOP = 100;
export const BODY = { font: "ABCDEF+SimSun", size: 12 };

const width = (s: string, size: number) => [...s].reduce((w, ch) => w + (/[\x20-\x7e]/.test(ch) ? size / 2 : size), 0);

/**
 * An A4 page of a test layout, lines set top to bottom at 1.5 line spacing in a block 80–512 pt:
 * the shape of what the PDF reader gives, without a PDF.
 *
 * @example
 * layoutPage(1, [{ text: "【协会消息】", font: "SimHei" }, { text: "正文……", at: 2 }]);
 */
export function layoutPage(
  number: number,
  lines: readonly (LineSpec | string)[],
  extra: { rules?: PdfBox[]; images?: PdfImage[] } = {},
): PdfPage {
  const items: PdfTextItem[] = [];
  let y = TOP;
  for (const raw of lines) {
    const l = typeof raw === "string" ? { text: raw } : raw;
    const size = l.size ?? BODY.size;
    if (l.y === undefined) y += (l.gap ?? 0) * size * 1.5 + size * 1.5;
    const base = l.y ?? y;
    const w = width(l.text, size);
    const x = l.at === "center" ? (LEFT + RIGHT - w) / 2 : l.at === "right" ? RIGHT - w : LEFT + (l.at ?? 0) * size;
    const font = l.font ?? BODY.font;
    if (!l.glyphs) items.push({ text: l.text, x, y: base, width: w, size, font });
    else {
      let cx = x;
      for (const ch of l.text) {
        const cw = width(ch, size);
        if (ch !== " ") items.push({ text: ch, x: cx, y: base, width: cw, size, font });
        cx += cw;
      }
    }
  }
  return { number, width: 595, height: 842, items, rules: extra.rules ?? [], images: extra.images ?? [] };
}

/** A document of test pages. */
export const layout = (...pages: PdfPage[]): PdfDocument => ({ pages });

/** A body line that runs to the right margin: `n` characters of running text. */
export const fullLine = (start: string, at = 0) => {
  const chars = Math.round((RIGHT - LEFT) / BODY.size) - at;
  return { text: (start + "正文内容继续展开说明情况并提出要求".repeat(4)).slice(0, chars), at };
};
