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
/** A gap this much wider (ems) than the line's usual one was typed as a space… */
const SPACE_GAP = 0.15;
/** …except between Chinese and Latin, where word processors add about a quarter em themselves. */
const AUTOSPACE_GAP = 0.4;
/** Glyphs this far apart (ems), every one, are letter-spaced. */
const LETTER_SPACING = 0.5;
const NO_SPACE_BEFORE = /^[、，。；：？！）》」』”’…]/u;
const NO_SPACE_AFTER = /[（《「『“‘]$/u;
const LATIN_END = /[A-Za-z0-9]$/;
const LATIN_START = /^[A-Za-z0-9]/;

const SUBSET_PREFIX = /^[A-Z]{6}\+/;
const STYLE_SUFFIX =
  /(?:[-,_ ](?:Bold|Regular|Light|ExtraLight|Medium|Italic|Oblique|Black|Heavy|Semi[Bb]old|Demi[Bb]old|Demi|ExtraBold|UltraBold|Book|Roman|Normal|Plain|Thin|W\d|GB\d*|GBK)|MT|PS|Std|Pro)$/;
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
 * Radicals that fonts draw with the same glyph as an ideograph, so a PDF's text map may name the
 * radical where the page shows the ideograph (⻛ for 风, ⻘ for 青). Read off Noto CJK SC's own
 * character map: each pair is a radical and the ideograph sharing its glyph. The Kangxi radicals
 * (⼭ for 山, ⾏ for 行) have the ideograph as their compatibility form, so NFKC gives the rest.
 */
const RADICAL_PAIRS =
  "⺂乛⺃乚⺅亻⺉刂⺋㔾⺏尣⺐尢⺒巳⺓幺⺔彑⺕彐⺖忄⺘扌⺙攵⺛旡⺞歺⺟母⺠民⺡氵⺣灬⺤爫⺦丬⺨犭⺭礻⺯糹⺰纟⺱罓⺳㓁⺹耂⺺肀⺾艹⺿艹⻀艹⻂衤⻅见⻆角⻈讠⻉贝⻋车⻌辶⻐钅⻑長⻒镸⻓长⻔门⻖阝⻘青⻙韦⻚页⻛风⻜飞⻝食⻟飠⻠饣⻢马⻣骨⻤鬼⻥鱼⻦鸟⻧卤⻨麦⻩黄⻪黾⻫斉⻬齐⻮齿⻯竜⻰龙⻱龜⻲亀⻳龟⼾户⻎辶⺎兀⺫罒⺲罒⻃覀⻄西⻍辶⻭歯⻁虎";
const RADICALS = new Map<string, string>();
for (let i = 0; i < RADICAL_PAIRS.length; i += 2) RADICALS.set(RADICAL_PAIRS[i]!, RADICAL_PAIRS[i + 1]!);

function unifyRadicals(s: string): string {
  return s.replace(/[\u2E80-\u2FDF]/gu, (ch) => RADICALS.get(ch) ?? ch.normalize("NFKC"));
}

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
    .filter((it) => it.text !== "" && Number.isFinite(it.x) && Number.isFinite(it.y) && it.size > 0)
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
  return rows
    .map((row) => row.sort((a, b) => a.x - b.x))
    .filter((row) => row.some((it) => it.text.trim() !== ""))
    .map((row) => toLine(page.number, row, borders));
}

function toLine(pageNo: number, all: Placed[], borders: PdfBox[]): PdfLine {
  // Typed spaces (space glyphs) only mark where a space goes; the glyphs make the line.
  const row = all.filter((it) => it.text.trim() !== "");
  const spaces = all.filter((it) => it.text.trim() === "").map((it) => it.x);
  const pieces: Placed[][] = [];
  row.forEach((it, i) => {
    const prev = row[i - 1];
    const gap = prev ? it.x - (prev.x + prev.width) : 0;
    const bordered =
      prev !== undefined &&
      borders.some(
        (b) => b.x >= prev.x + prev.width - 1 && b.x <= it.x + 1 && b.y <= it.y && b.y + b.height >= it.y - it.size / 2,
      );
    if (!prev || gap > SEGMENT_GAP * Math.max(it.size, prev.size) || bordered) pieces.push([it]);
    else pieces[pieces.length - 1]!.push(it);
  });
  const segments = pieces.map((p) => segmentOf(p, spaces));
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

/**
 * Joins a segment's items, putting back the spaces: a space glyph between two items, or a gap wider
 * than the line's usual one (a justified line spreads its glyphs evenly) by the width of a space:
 * "。 （郝丹青）", "强党建 抓监管". Between Chinese and a Latin word or a number, Word and WPS add a
 * quarter em of their own ("部署2026年"), which is no space.
 */
function segmentOf(items: readonly Placed[], spaces: readonly number[]): PdfLine["segments"][number] {
  const gaps = items.slice(1).map((it, i) => it.x - (items[i]!.x + items[i]!.width));
  const usual = gaps.length >= 3 ? [...gaps].sort((a, b) => a - b)[Math.floor(gaps.length / 2)]! : 0;
  // Glyphs set half an em apart or more, all of them: a letter-spaced title (初 见 雄 安).
  const em = Math.max(...items.map((it) => it.size));
  if (gaps.length >= 2 && gaps.every((g) => g >= LETTER_SPACING * em)) {
    return {
      text: items.map((it) => it.text.trim()).join(" "),
      x: items[0]!.x,
      right: Math.max(...items.map((it) => it.x + it.width)),
    };
  }
  let text = items[0]!.text;
  items.slice(1).forEach((it, i) => {
    const prev = items[i]!;
    const typed = spaces.some((x) => x >= prev.x + prev.width - 0.5 && x < it.x);
    const mixed = LATIN_END.test(prev.text) !== LATIN_START.test(it.text);
    const gap = gaps[i]! - Math.max(0, usual);
    // Chinese punctuation takes its space within its own em: no space is typed beside it.
    const punctuation = NO_SPACE_BEFORE.test(it.text) || NO_SPACE_AFTER.test(prev.text);
    const space = typed || (!punctuation && gap > (mixed ? AUTOSPACE_GAP : SPACE_GAP) * Math.max(it.size, prev.size));
    text += (space && !/\s$/u.test(text) && !/^\s/u.test(it.text) ? " " : "") + it.text;
  });
  const last = items[items.length - 1]!;
  return {
    text: text.replace(/\s+/gu, " ").trim(),
    x: items[0]!.x,
    right: Math.max(...items.map((it) => it.x + it.width), last.x + last.width),
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

const CJK = "\\p{Script=Han}，。、；：？！“”‘’（）《》「」【】—…·";
const SPACED_PAIR = new RegExp(`(?<=[${CJK}]) (?=[${CJK}])`, "gu");
const CJK_PAIR = new RegExp(`[${CJK}](?=[${CJK} ])`, "gu");
/** A byline at the end of a line keeps the spaces between its names: （张俊清 王丽）. */
const TRAILING_BYLINE = /[（(][^（）()]*[）)]\s*$/u;

/**
 * A line of running text without the spaces PDF.js reads into justified lines: Word and WPS justify
 * Chinese by spacing characters out a little, and PDF.js takes a gap of a tenth of an em for a space
 * ("山 西电信 全面推 进"). Chinese running text has hardly any typed spaces, so in a justified line
 * (`justified`: it runs to the margin) two or more spaces between Chinese characters are spacing, and
 * so is one when the document's justified lines often have them (`spacey`). A line where most
 * characters stand apart is spacing too. A byline at its end keeps its spaces.
 *
 * @example
 * despaced("5月17日是 世 界 电信 和 信 息 社 会 日 。", { justified: true }); // "5月17日是世界电信和信息社会日。"
 */
export function despaced(text: string, opts: { justified?: boolean; spacey?: boolean } = {}): string {
  const byline = TRAILING_BYLINE.exec(text)?.[0] ?? "";
  const body = text.slice(0, text.length - byline.length);
  const spaced = body.match(SPACED_PAIR)?.length ?? 0;
  const pairs = body.match(CJK_PAIR)?.length ?? 0;
  const spacing =
    (spaced >= 3 && spaced * 2 >= pairs) ||
    (opts.justified === true && (spaced >= 2 || (spaced >= 1 && opts.spacey === true)));
  return spacing ? body.replace(SPACED_PAIR, "") + byline : text;
}

/** How many spaces between Chinese characters a line has, for the document's `spacey`. */
export const cjkSpaces = (text: string) => text.match(SPACED_PAIR)?.length ?? 0;
