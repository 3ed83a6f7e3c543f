import type { Issue } from "../../issue-schema.ts";
import { assembleArticles, type Piece } from "../assemble-articles.ts";
import type { DroppedText, ImportResult } from "../import-result.ts";
import { joinWrapped } from "../text-utils.ts";
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
  const { sections, warnings } = assembleArticles(toPieces(blocks), dropped);
  const issue: Issue = { sections, distribution: footer.distribution };
  if (top.masthead) issue.masthead = top.masthead;
  dropped.sort((a, b) => a.line - b.line);
  return { issue, format: "text", dropped, warnings: [...warnings, ...footer.warnings] };
}

/** The blocks as pieces of the bulletin: headings interpreted, wrapped lines rejoined. */
function toPieces(blocks: readonly Block[]): Piece[] {
  return blocks.map((block): Piece => {
    if (block.kind === "section") return { kind: "section", name: block.name, at: { line: block.line.no } };
    const first = { line: block.lines[0]!.no };
    const end = { line: block.lines[block.lines.length - 1]!.no };
    if (block.kind === "heading")
      return { kind: "heading", ...interpretHeading(block.lines.map((l) => l.text)), at: end };
    return { kind: "paragraph", text: block.lines.map((l) => l.text).reduce(joinWrapped), at: first, end };
  });
}
