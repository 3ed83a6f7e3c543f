import type { Article, Issue, Section } from "../../issue-schema.ts";
import type { DroppedText, ImportResult } from "../import-result.ts";
import { joinWrapped, splitByline } from "../text-utils.ts";
import { type Block, toBlocks } from "./blocks.ts";
import { findFooter } from "./footer.ts";
import { isPageNumber } from "./line-kinds.ts";
import { interpretHeading } from "./headings.ts";
import { readMasthead } from "./masthead.ts";
import { detectLayout, toSourceLines } from "./source-lines.ts";

/**
 * Imports a bulletin from the text that PDF extraction gives: lines wrapped at the page width (any
 * width), with or without blank lines between them, LF or CRLF, page numbers and page-break marks,
 * 【section】 headers, headlines over one or two lines, bylines, and the 报/发/送 footer.
 *
 * Every character of body text ends up in exactly one paragraph (or heading, or author); what is left
 * out — page numbers, masthead fragments, markup such as 【】 and （） — is listed in `dropped`.
 *
 * @example
 * const { issue } = parsePdfText(readFileSync("samples/bulletins/004_c6f4c6a81dc11ba8.txt", "utf8"));
 * issue.sections.map((s) => s.name); // [null, "高层信息", "行业综合", "协会消息", "会员动态"]
 */
export function parsePdfText(input: string): ImportResult {
  const all = toSourceLines(input);
  const layout = detectLayout(all);
  const top = readMasthead(all);
  const rest = all.slice(top.start);
  const pageNumbers = rest.filter(isPageNumber);
  const body = rest.filter((l) => !isPageNumber(l));
  const footer = findFooter(body, layout.width);
  const blocks = toBlocks(body.slice(0, footer.start), layout);

  const dropped: DroppedText[] = [
    ...top.dropped,
    ...pageNumbers.map((l) => ({ line: l.no, text: l.text, reason: "page-number" as const })),
    ...footer.dropped,
  ];
  const { sections, warnings } = assemble(blocks, dropped);
  const issue: Issue = { sections, distribution: footer.distribution };
  if (top.masthead) issue.masthead = top.masthead;
  dropped.sort((a, b) => a.line - b.line);
  return { issue, format: "text", dropped, warnings: [...warnings, ...footer.warnings] };
}

/** Turns blocks into sections and articles; a byline closes its article. */
function assemble(blocks: readonly Block[], dropped: DroppedText[]): { sections: Section[]; warnings: string[] } {
  const sections: Section[] = [];
  const warnings: string[] = [];
  let section: Section | null = null;
  let article: Article | null = null;
  let closed = false;

  const currentSection = (): Section => {
    if (!section) sections.push((section = { name: null, articles: [] }));
    return section;
  };
  const startArticle = (a: Article): Article => {
    currentSection().articles.push(a);
    closed = false;
    return (article = a);
  };

  for (const block of blocks) {
    if (block.kind === "section") {
      sections.push((section = { name: block.name, articles: [] }));
      article = null;
      dropped.push({ line: block.line.no, text: "【】", reason: "markup" });
      continue;
    }
    const first = block.lines[0]!;
    if (block.kind === "heading") {
      const { heading, markup } = interpretHeading(block.lines.map((l) => l.text));
      startArticle({ ...heading, paragraphs: [] });
      for (const text of markup) dropped.push({ line: block.lines[block.lines.length - 1]!.no, text, reason: "markup" });
      continue;
    }
    const joined = block.lines.map((l) => l.text).reduce(joinWrapped);
    const byline = splitByline(joined);
    if (!article || closed) {
      warnings.push(`line ${first.no}: paragraph with no headline above it — check the article boundaries`);
      startArticle({ title: "", authors: [], paragraphs: [] });
    }
    const target: Article = article!;
    const text = byline ? byline.text : joined;
    if (text !== "") target.paragraphs.push(text);
    if (byline) {
      target.authors.push(...byline.authors);
      const parens = byline.byline.replace(/[^（）()]/gu, "");
      dropped.push({ line: block.lines[block.lines.length - 1]!.no, text: parens, reason: "markup" });
      closed = true;
    }
  }
  return { sections, warnings };
}
