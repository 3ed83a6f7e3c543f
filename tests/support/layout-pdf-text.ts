import { displayWidth } from "../../packages/core/src/issue/import/text-utils.ts";
import type { Issue } from "../../packages/core/src/issue/issue-schema.ts";

export interface LayoutOptions {
  /** Characters per full line (a CJK character is 2 columns, so the printed width is 2 × this). */
  chars: number;
  /** A blank line between every two lines, as some extractions give. */
  blankLines?: boolean;
  crlf?: boolean;
  /** Start a new page (leading space on the next line, a page number line) every N body lines. */
  pageEvery?: number;
  /** Drop the "报：" label, as the extraction of one seed did. */
  loseReportLabel?: boolean;
  /** Titles printed letter-spaced (初 见 雄 安) with the author alone on the line under them. */
  authorUnderTitle?: readonly string[];
}

/**
 * Lays an Issue out the way PDF text extraction gives it: paragraphs wrapped at a fixed width with
 * the first line two characters narrower (the indent is lost), headlines on their own lines, a
 * byline after the last paragraph, page numbers and page-break marks, and the 报/发/送 footer.
 * Tests use it to make reflowed variants of the seeds and random bulletins, then import them again.
 */
export function layoutPdfText(issue: Issue, opts: LayoutOptions): string {
  const width = opts.chars * 2;
  const out: string[] = [];
  let page = 1;
  let sinceBreak = 0;
  let pageBreakPending = false;
  const push = (line: string, body = true) => {
    out.push(pageBreakPending ? ` ${line}` : line);
    pageBreakPending = false;
    if (body && opts.pageEvery && ++sinceBreak >= opts.pageEvery) {
      out.push(`—${page++}—`);
      sinceBreak = 0;
      pageBreakPending = true;
    }
  };
  for (const section of issue.sections) {
    if (section.name !== null) push(`【${section.name}】`, false);
    for (const a of section.articles) {
      const under = opts.authorUnderTitle?.includes(a.title) ?? false;
      if (a.kicker) push(a.kicker, false);
      if (under) push([...a.title].join(" "), false);
      else for (const line of splitHeadline(a.title, width - 10)) push(line, false);
      if (a.subtitle) push(a.subtitle, false);
      if (under && a.authors.length) push(a.authors.join(" "), false);
      a.paragraphs.forEach((p, i) => {
        const last = i === a.paragraphs.length - 1;
        const byline = last && a.authors.length && !under ? ` （${a.authors.join(" ")}）` : "";
        for (const line of wrap(p, width, byline)) push(line);
      });
    }
  }
  const d = issue.distribution;
  const tiers: [string, string[]][] = [
    ["报：", d.report],
    ["发：", d.distribute],
    ["送：", d.copy],
  ];
  for (const [label, orgs] of tiers) {
    if (orgs.length === 0) continue;
    const first = label === "报：" && opts.loseReportLabel ? "" : label;
    for (const line of wrapList(first, orgs, width)) push(line, false);
  }
  const nl = opts.crlf ? "\r\n" : "\n";
  return out.join(opts.blankLines ? nl + nl : nl) + nl;
}

/** Headlines longer than the line are broken in two, as a centred headline would be. */
function splitHeadline(title: string, max: number): string[] {
  if (displayWidth(title) <= max) return [title];
  const chars = [...title];
  let cut = Math.ceil(chars.length / 2);
  // Balance the two lines by printed width, not by character count.
  while (cut > 1 && displayWidth(chars.slice(0, cut).join("")) > max) cut--;
  return [chars.slice(0, cut).join(""), chars.slice(cut).join("")];
}

const NO_LINE_START = /^[。，、；：？！”’）》」』…%]/u;
const NO_LINE_END = /[“‘（《「『]+$/u;

/**
 * A footer tier: the label, then organisations joined with 、, continued on the next line when full.
 * The 、 stays at the end of the line (it may not start one).
 */
function wrapList(label: string, orgs: string[], width: number): string[] {
  const lines: string[] = [];
  let line = label;
  for (const org of orgs) {
    const piece = line === label ? org : `、${org}`;
    if (line !== label && displayWidth(line + piece) > width) {
      lines.push(`${line}、`);
      line = org;
    } else line += piece;
  }
  lines.push(line);
  return lines;
}

/**
 * Wraps one paragraph: the first line 4 columns short (lost indent), Latin words and numbers never
 * broken (a typesetter moves them whole), a byline kept in one piece.
 */
function wrap(text: string, width: number, byline: string): string[] {
  const lines: string[] = [];
  let line = "";
  let max = width - 4;
  // A space stays with the character after it: a line never ends on a space (extraction would lose it).
  for (const ch of text.match(/[A-Za-z0-9]+|\s\S|[^A-Za-z0-9]/gu) ?? []) {
    // Kinsoku: closing punctuation never starts a line; it stays on the line above, past the margin.
    if (line !== "" && displayWidth(line + ch) > max && !NO_LINE_START.test(ch)) {
      // …and an opening bracket or quote never ends one: it moves down with the word it opens.
      const opener = NO_LINE_END.exec(line)?.[0] ?? "";
      lines.push(line.slice(0, line.length - opener.length));
      line = opener;
      max = width;
    }
    line += ch;
  }
  if (byline) {
    if (displayWidth(line + byline) <= max) line += byline;
    else {
      lines.push(line);
      line = byline.trim();
    }
  }
  lines.push(line);
  return lines;
}
