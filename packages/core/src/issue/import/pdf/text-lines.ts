import type { PdfBox, PdfPage, PdfTextItem } from "./pdf-document.ts";

/** One printed line, rebuilt from the text items on one baseline, with its dominant type. */
export interface PdfLine {
  page: number;
  text: string;
  x: number;
  right: number;
  /** Baseline, from the top of the page. */
  y: number;
  size: number;
  /** The typeface's family, without subset prefix and style: "SimHei", "NotoSerifCJKsc". */
  family: string;
  bold: boolean;
  /** Pieces separated by a wide gap or a table border: the editor and the date of a masthead line. */
  segments: { text: string; x: number; right: number }[];
}

/** Items whose baselines differ by less than this share of the smaller size are on one line. */
const SAME_BASELINE = 0.4;
/** A gap wider than this many ems splits a line into segments. */
const SEGMENT_GAP = 1.6;
/** Between two CJK glyphs, a gap this wide (ems) was typed as a space: "。 （郝丹青）", "初 见 雄 安". */
const CJK_SPACE_GAP = 0.5;
/** Next to a Latin letter or digit, a smaller gap is a word space. */
const LATIN_SPACE_GAP = 0.18;

const SUBSET_PREFIX = /^[A-Z]{6}\+/;
const STYLE_SUFFIX =
  /[-,_ ]?(?:Bold|Regular|Light|ExtraLight|Medium|Italic|Oblique|Black|Heavy|Semi[Bb]old|Demi[Bb]old|Demi|ExtraBold|UltraBold|Book|Roman|Normal|Plain|Thin|W\d|MT|PS|Std|Pro|GB\d*|GBK|GB2312)$/;
const BOLD_NAME = /Bold|Black|Heavy|W[7-9]\b/;

/**
 * The family and weight a font name says: "ABCDEF+SimHei" → SimHei; "NotoSerifCJKsc-Bold" →
 * NotoSerifCJKsc, bold. The family is only compared with other lines' families, so a name Word wrote in
 * GBK bytes ("ËÎÌå" for 宋体) serves as well as a readable one.
 *
 * @example
 * fontStyle("BAAAAA+NotoSansCJKsc-Bold"); // { family: "NotoSansCJKsc", bold: true }
 */
export function fontStyle(name: string, boldFlag = false): { family: string; bold: boolean } {
  let family = name.replace(SUBSET_PREFIX, "");
  const bold = boldFlag || BOLD_NAME.test(family);
  for (let prev = ""; prev !== family; ) {
    prev = family;
    family = family.replace(STYLE_SUFFIX, "");
  }
  return { family: family || name, bold };
}

/**
 * Fonts such as Noto CJK map some ideographs to the Kangxi radicals that share their glyph (⼭ for 山,
 * ⾏ for 行), so extraction gives radicals in running text; their compatibility form is the ideograph.
 */
function unifyRadicals(s: string): string {
  return s.replace(/[\u2F00-\u2FDF\u2E80-\u2EFF]/gu, (ch) => ch.normalize("NFKC"));
}

const WIDE = /[\u2E80-\u9FFF\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\u3000-\u303F“”‘’—…·]/u;

interface Placed extends PdfTextItem {
  family: string;
  isBold: boolean;
}

/**
 * Rebuilds a page's lines from its text items: items on one baseline make a line, read left to right;
 * spaces are put back where the gap shows one; the line's size, family and weight are those of most
 * of its characters. Lines come top to bottom.
 *
 * @example
 * pageLines(page).map((l) => l.text); // ["山西通信简报", "2026年第1期", …]
 */
export function pageLines(page: PdfPage): PdfLine[] {
  const items: Placed[] = page.items
    .map((it) => ({ ...it, text: unifyRadicals(it.text) }))
    .filter((it) => it.text.trim() !== "" && Number.isFinite(it.x) && Number.isFinite(it.y) && it.size > 0)
    .map((it) => {
      const { family, bold } = fontStyle(it.font, it.bold);
      return { ...it, family, isBold: bold };
    })
    .sort((a, b) => a.y - b.y || a.x - b.x);
  const rows: Placed[][] = [];
  for (const it of items) {
    const row = rows[rows.length - 1];
    const base = row?.[0];
    if (row && base && Math.abs(it.y - base.y) <= SAME_BASELINE * Math.min(it.size, base.size)) row.push(it);
    else rows.push([it]);
  }
  const borders = page.rules.filter((r) => r.height > r.width);
  return rows.map((row) => toLine(page.number, row.sort((a, b) => a.x - b.x), borders));
}

function toLine(pageNo: number, row: Placed[], borders: PdfBox[]): PdfLine {
  const segments: PdfLine["segments"] = [];
  let seg: PdfLine["segments"][number] | null = null;
  let prev: Placed | null = null;
  for (const it of row) {
    const em = Math.max(it.size, prev?.size ?? 0);
    const gap = prev ? it.x - (prev.x + prev.width) : 0;
    const bordered = prev !== null && borders.some((b) => b.x >= prev!.x + prev!.width - 1 && b.x <= it.x + 1 && b.y <= it.y && b.y + b.height >= it.y - it.size / 2);
    if (!seg || !prev || gap > SEGMENT_GAP * em || bordered) {
      segments.push((seg = { text: it.text.trim(), x: it.x, right: it.x + it.width }));
    } else {
      const latin = /[A-Za-z0-9]$/.test(seg.text) || /^[A-Za-z0-9]/.test(it.text.trimStart());
      const cjk = WIDE.test(seg.text.slice(-1)) && WIDE.test(it.text.trimStart()[0] ?? "");
      const space = gap > (cjk || !latin ? CJK_SPACE_GAP : LATIN_SPACE_GAP) * em && !/\s$/.test(seg.text) && !/^\s/.test(it.text);
      seg.text += (space ? " " : "") + it.text;
      seg.right = Math.max(seg.right, it.x + it.width);
    }
    prev = it;
  }
  for (const s of segments) s.text = s.text.replace(/\s+/gu, " ").trim();
  const style = dominant(row);
  return {
    page: pageNo,
    text: segments.map((s) => s.text).join(" "),
    x: segments[0]!.x,
    right: Math.max(...segments.map((s) => s.right)),
    y: row.reduce((sum, it) => sum + it.y, 0) / row.length,
    size: style.size,
    family: style.family,
    bold: style.bold,
    segments,
  };
}

/** The style most of a line's characters are set in. */
function dominant(row: readonly Placed[]): { size: number; family: string; bold: boolean } {
  const weight = new Map<string, { n: number; size: number; family: string; bold: boolean }>();
  for (const it of row) {
    const size = Math.round(it.size * 2) / 2;
    const key = `${it.family}|${size}|${it.isBold}`;
    const w = weight.get(key) ?? { n: 0, size, family: it.family, bold: it.isBold };
    w.n += [...it.text.replace(/\s/gu, "")].length;
    weight.set(key, w);
  }
  return [...weight.values()].sort((a, b) => b.n - a.n)[0]!;
}
