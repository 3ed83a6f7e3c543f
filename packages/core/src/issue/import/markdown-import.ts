/**
 * Markdown import: the format a clerk edits to correct a mis-parsed issue, then re-imports.
 * `issueToMarkdown` (../markdown-export.ts) writes exactly this format.
 *
 * ```
 * ---
 * title: 山西通信行业简报
 * number: 2025年第5期
 * date: 2025年5月31日
 * ---
 *
 * # 【高层信息】
 *
 * ## 中华人民共和国民营经济促进法开始施行
 * 引题：山西省通信管理局
 * 副题：山西省级民营经济发展专项资金到位
 * 作者：张三 李四
 *
 * First paragraph. Lines inside one paragraph may be wrapped;
 * they are rejoined with joinWrapped.
 *
 * Second paragraph.
 *
 * 报：中国通信企业协会、山西省民政厅社会组织管理局
 * 山西省通信管理局领导、各中心、各处室
 * 发：本会副理事长、常务理事、理事、团体会员单位
 * 送：
 * ```
 *
 * Rules (a line is looked at with its surrounding whitespace trimmed):
 * - Front matter is optional and must start on line 1; only `title`, `number` and `date` are
 *   allowed. No front matter → no masthead; an empty one (`---` then `---`) → masthead `{}`.
 * - `# 【name】` (or `# name`) starts a section; one outer 【】 pair is markup. A bare `#` starts a
 *   section with name null. Articles before the first `#` go into a section with name null.
 * - `## title` starts an article (a bare `##` gives title ""). Before its first paragraph, lines
 *   `引题：`/`kicker:`, `副题：`/`subtitle:`/`### …` and `作者：`/`authors:` set kicker, subtitle and
 *   authors (split on whitespace, 、 and commas); full-width and ASCII colons both work.
 * - Paragraphs are separated by blank lines; wrapped lines are rejoined with `joinWrapped`.
 *   Paragraphs with no `##` above them in a section become an article with title "" (a warning).
 *   Without a `作者：` line, a byline such as （李静） ending the last paragraph becomes the authors.
 * - A backslash at the start of a paragraph line is removed and escapes the line: `\# …`, `\报：…`,
 *   `\作者：…`, `\\…` keep their text. A lone `\` is an empty paragraph.
 * - The first line starting with 报：/发：/送： (or ASCII colon) starts the footer, which runs to the
 *   end; other footer lines continue the tier above them (a line break separates organisations, like
 *   、). Headings after the footer are an error. Missing tiers are [].
 * - A photo is a block of its own where it stands, after the paragraph it follows:
 *   `![alt](src "caption"){width=1200 height=800}` (the caption optional; `\` escapes `]`, `"` and
 *   `\` in alt and caption). src is an https URL or one of the issue's own images (images/1.jpg);
 *   the size is the picture's pixels, which the Issue needs.
 * - CRLF or LF, optional UTF-8 BOM. Emphasis (`**`, `_`) is not interpreted: text is kept verbatim.
 *
 * Round trip: for an Issue whose strings contain no line break ("\n", "\r\n") and no leading or
 * trailing whitespace (as `String.prototype.trim` sees it), whose authors contain no whitespace,
 * 、 or commas, and whose organisations contain none of 、，,；; (the `splitOrganisations` separators),
 * importing the exported Markdown gives back an equal Issue.
 */
import { ImportError } from "../../errors/errors.ts";
import {
  type Article,
  type Distribution,
  FigureSchema,
  type Issue,
  type Masthead,
  type Section,
  type Tier,
} from "../issue-schema.ts";
import type { DroppedText, ImportResult } from "./import-result.ts";
import { escapeControls, joinWrapped, splitByline, splitOrganisations } from "./text-utils.ts";

// The `s` flag lets "." match a lone \r or U+2028 inside a value, so such text survives verbatim.
const HEADING = /^(#+)(?:\s+(.*))?$/su;
const FOOTER_LABEL = /^([报发送])\s*[：:]\s*(.*)$/su;
const META_LABEL = /^(引题|副题|作者|kicker|subtitle|authors)\s*[：:]\s*(.*)$/isu;
const FRONT_MATTER_LINE = /^([^\s:：]+)\s*[：:]\s*(.*)$/su;
const FRONT_MATTER_KEYS = ["title", "number", "date"] as const;
/** A photo's block: ![alt](src "caption"){width=W height=H}. */
export const FIGURE_LINE =
  /^!\[((?:[^\]\\]|\\.)*)\]\((\S+?)(?:\s+"((?:[^"\\]|\\.)*)")?\)(?:\{width=(\d+)\s+height=(\d+)\})?$/su;
const unescapeFigureText = (s: string) => s.replace(/\\(.)/gsu, "$1");
const TIER_OF: Record<string, Tier> = { 报: "report", 发: "distribute", 送: "copy" };
const META_FIELD: Record<string, "kicker" | "subtitle" | "authors"> = {
  引题: "kicker",
  kicker: "kicker",
  副题: "subtitle",
  subtitle: "subtitle",
  作者: "authors",
  authors: "authors",
};

/**
 * Escapes a paragraph for the Markdown format: prefixes a backslash when the importer would
 * otherwise read the line as markup (a heading, a footer or article label), as an escape itself,
 * or as a blank line. This is the importer's own rule, kept here so the two cannot drift apart.
 *
 * @example
 * escapeMarkdownParagraph("报：见附件"); // "\\报：见附件"
 * escapeMarkdownParagraph("正文。"); // "正文。"
 */
export function escapeMarkdownParagraph(paragraph: string): string {
  const misread =
    paragraph === "" ||
    /^[#\\]/u.test(paragraph) ||
    FIGURE_LINE.test(paragraph) ||
    FOOTER_LABEL.test(paragraph) ||
    META_LABEL.test(paragraph);
  return misread ? `\\${paragraph}` : paragraph;
}

/** Splits an authors line on whitespace, 、 and commas. */
export function splitAuthors(s: string): string[] {
  return s.split(/[\s、,，]+/u).filter(Boolean);
}

interface DraftArticle {
  article: Article;
  /** Whether an 作者： line was given (then a trailing byline stays in the text). */
  authorsGiven: boolean;
  /** False once the first paragraph starts: label lines are body text from then on. */
  inHead: boolean;
  lastParagraphLine: number;
}

/**
 * Parses an issue from the Markdown format described at the top of this file.
 *
 * @example
 * const { issue } = parseMarkdownIssue("# 【高层信息】\n\n## 标题\n\n正文。\n\n报：中国通信企业协会\n");
 * issue.sections[0]?.articles[0]?.paragraphs; // ["正文。"]
 * issue.distribution.report; // ["中国通信企业协会"]
 */
export function parseMarkdownIssue(text: string): ImportResult {
  const lines = text.replace(/^\uFEFF/u, "").split(/\r?\n/u);
  const dropped: DroppedText[] = [];
  const warnings: string[] = [];
  const drop = (line: number, t: string): void => void dropped.push({ line, text: t, reason: "markup" });
  const fail = (line: number, message: string): never => {
    throw new ImportError("import.markdown", `line ${line}: ${message}`, `line ${line}`);
  };

  const { masthead, bodyStart } = parseFrontMatter(lines, drop, fail);
  const sections: Section[] = [];
  const distribution: Distribution = { report: [], distribute: [], copy: [] };
  let section: Section | undefined;
  let draft: DraftArticle | undefined;
  // A paragraph's lines are kept apart and joined once at its end: joining each line onto the text so
  // far made LATIN_END scan the whole paragraph per line, quadratic in its length (a 1 MB paragraph of
  // short lines, e.g. PDF text posted as text/markdown, took minutes). `last` is its last non-empty line.
  let paragraph: { line: number; parts: string[]; last: string } | undefined;
  let tier: Tier | undefined;

  const flushParagraph = (): void => {
    if (paragraph && draft) {
      draft.article.paragraphs.push(paragraph.parts.join(""));
      draft.lastParagraphLine = paragraph.line;
    }
    paragraph = undefined;
  };
  const finishArticle = (): void => {
    flushParagraph();
    if (draft) takeByline(draft, drop);
    draft = undefined;
  };
  const startArticle = (title: string, line: number): DraftArticle => {
    finishArticle();
    if (!section) sections.push((section = { name: null, articles: [] }));
    const article: Article = { title, authors: [], paragraphs: [] };
    section.articles.push(article);
    return (draft = { article, authorsGiven: false, inHead: true, lastParagraphLine: line });
  };

  for (let i = bodyStart; i < lines.length; i++) {
    const n = i + 1;
    const t = (lines[i] ?? "").trim();
    const label = FOOTER_LABEL.exec(t);
    if (label || tier !== undefined) {
      // The footer runs to the end of the file; a line with no label continues the tier above it.
      if (t === "") continue;
      if (!label && HEADING.test(t)) fail(n, "heading after the 报/发/送 footer; it must come after the last article");
      if (tier === undefined) finishArticle();
      tier = label ? (TIER_OF[label[1] ?? ""] ?? "report") : (tier ?? "report");
      if (label) drop(n, t.slice(0, t.length - (label[2] ?? "").length));
      distribution[tier].push(...splitOrganisations(label ? (label[2] ?? "") : t));
      continue;
    }
    if (t === "") {
      flushParagraph();
      continue;
    }
    const heading = HEADING.exec(t);
    if (heading) {
      flushParagraph();
      const level = heading[1]?.length ?? 0;
      const rest = (heading[2] ?? "").trim();
      drop(n, heading[1] ?? "");
      if (level === 1) {
        finishArticle();
        sections.push((section = { name: sectionName(rest, n, drop, fail), articles: [] }));
      } else if (level === 2) {
        startArticle(rest, n);
        if (rest === "") warnings.push(`line ${n}: ## heading with no title`);
      } else if (level === 3 && draft?.inHead) {
        setMeta(draft, "subtitle", rest, n, fail);
      } else if (level === 3) {
        fail(n, "### subtitle must come right after a ## article title, before its first paragraph");
      } else {
        fail(n, `${heading[1]} headings are not used; write # for a section, ## for an article, ### for a subtitle`);
      }
      continue;
    }
    const meta = draft?.inHead ? META_LABEL.exec(t) : null;
    if (meta && draft) {
      const value = meta[2] ?? "";
      drop(n, t.slice(0, t.length - value.length));
      setMeta(draft, META_FIELD[(meta[1] ?? "").toLowerCase()] ?? "kicker", value, n, fail);
      continue;
    }
    const figure = paragraph ? null : FIGURE_LINE.exec(t);
    if (figure) {
      if (!draft) fail(n, "a picture before any ## title: put it under the article it belongs to");
      if (figure[4] === undefined || figure[5] === undefined)
        fail(n, "give the picture's size in pixels after it: {width=1200 height=800}");
      const caption = figure[3] === undefined ? undefined : unescapeFigureText(figure[3]);
      const f = {
        src: figure[2] ?? "",
        alt: unescapeFigureText(figure[1] ?? ""),
        ...(caption ? { caption } : {}),
        afterParagraph: draft!.article.paragraphs.length - 1,
        width: Number(figure[4]),
        height: Number(figure[5]),
      };
      const checked = FigureSchema.safeParse(f);
      if (!checked.success)
        fail(
          n,
          `picture: ${checked.error.issues[0]?.path.join(".") ?? ""} ${checked.error.issues[0]?.message ?? ""}`.trim(),
        );
      (draft!.article.figures ??= []).push(checked.data!);
      draft!.inHead = false;
      // The markup, alt text and size; the caption is the figure's.
      drop(n, figure[3] === undefined ? t : t.replace(`"${figure[3]}"`, '""'));
      continue;
    }
    // A paragraph line; one leading backslash only escapes it.
    if (t.startsWith("\\")) drop(n, "\\");
    const body = t.startsWith("\\") ? t.slice(1) : t;
    if (paragraph) {
      // What joinWrapped would add to the text so far: it looks only at the end of the left side.
      paragraph.parts.push(joinWrapped(paragraph.last, body).slice(paragraph.last.length));
      if (body !== "") paragraph.last = body;
      continue;
    }
    if (!draft) {
      startArticle("", n);
      warnings.push(`line ${n}: paragraphs with no ## title`);
    }
    if (draft) draft.inHead = false;
    paragraph = { line: n, parts: [body], last: body };
  }
  finishArticle();

  const issue: Issue = { sections, distribution };
  if (masthead) issue.masthead = masthead;
  return { issue, format: "markdown", dropped, warnings };
}

type Drop = (line: number, text: string) => void;
type Fail = (line: number, message: string) => never;

/** Reads the optional `---` block on line 1; returns where the body starts. */
function parseFrontMatter(lines: string[], drop: Drop, fail: Fail): { masthead?: Masthead; bodyStart: number } {
  if (lines[0]?.trim() !== "---") return { bodyStart: 0 };
  const end = lines.findIndex((l, i) => i > 0 && l.trim() === "---");
  if (end < 0) fail(1, "the front matter opened with --- here is never closed; add a --- line after it");
  drop(1, "---");
  drop(end + 1, "---");
  const masthead: Masthead = {};
  for (let i = 1; i < end; i++) {
    const t = (lines[i] ?? "").trim();
    if (t === "") continue;
    const m = FRONT_MATTER_LINE.exec(t);
    if (!m) fail(i + 1, `expected "key: value" in the front matter, found "${escapeControls(t)}"`);
    const key = (m?.[1] ?? "").toLowerCase();
    const value = m?.[2] ?? "";
    if (!isMastheadKey(key)) {
      fail(i + 1, `unknown front-matter key "${m?.[1]}"; only ${FRONT_MATTER_KEYS.join(", ")} are allowed`);
    } else if (masthead[key] !== undefined) {
      fail(i + 1, `front-matter key "${key}" is given twice`);
    } else {
      masthead[key] = value;
      drop(i + 1, t.slice(0, t.length - value.length));
    }
  }
  return { masthead, bodyStart: end + 1 };
}

function isMastheadKey(key: string): key is (typeof FRONT_MATTER_KEYS)[number] {
  return (FRONT_MATTER_KEYS as readonly string[]).includes(key);
}

/** `【name】` → name (one outer pair is markup); a bare `#` → null. */
function sectionName(rest: string, line: number, drop: Drop, fail: Fail): string | null {
  if (rest === "") return null;
  const bracketed = rest.length >= 2 && rest.startsWith("【") && rest.endsWith("】");
  const name = bracketed ? rest.slice(1, -1) : rest;
  if (name === "") fail(line, "the section name is empty; write a bare # line for a section with no name");
  if (bracketed) drop(line, "【】");
  return name;
}

function setMeta(
  draft: DraftArticle,
  field: "kicker" | "subtitle" | "authors",
  value: string,
  line: number,
  fail: Fail,
): void {
  const a = draft.article;
  const given = field === "authors" ? draft.authorsGiven : a[field] !== undefined;
  if (given) fail(line, `this article already has its ${field}; give each of 引题/副题/作者 at most once`);
  if (field === "authors") {
    a.authors = splitAuthors(value);
    draft.authorsGiven = true;
  } else {
    a[field] = value;
  }
}

/** Without an 作者： line, a byline ending the last paragraph names the authors. */
function takeByline(draft: DraftArticle, drop: Drop): void {
  const paras = draft.article.paragraphs;
  const last = paras[paras.length - 1];
  if (draft.authorsGiven || last === undefined) return;
  const split = splitByline(last);
  if (!split) return;
  draft.article.authors = split.authors;
  // A byline standing alone as the last paragraph leaves nothing of it behind.
  if (split.text === "") paras.pop();
  else paras[paras.length - 1] = split.text;
  drop(draft.lastParagraphLine, split.byline);
}
