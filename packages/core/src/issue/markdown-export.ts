import { escapeMarkdownParagraph } from "./import/markdown-import.ts";
import { splitByline } from "./import/text-utils.ts";
import { TIERS, TIER_LABELS, type Article, type Figure, type Issue, type Masthead } from "./issue-schema.ts";

/**
 * Writes an Issue as Markdown in the format `parseMarkdownIssue` reads (documented at the top of
 * ./import/markdown-import.ts), so a clerk can correct a mis-parse by hand and re-import it.
 *
 * Exactness comes first: importing the result gives back the same Issue (under the preconditions
 * listed there). Where the plain format would be misread, the export adds the least markup that is
 * still read back exactly:
 * - a masthead that is present but empty is written as an empty front matter (`---`, `---`);
 * - a section with name null is written without a `#` line only when it is the first section and has
 *   articles; otherwise a bare `#` line keeps it apart from the section before it;
 * - an article with title "" gets a bare `##` line;
 * - a paragraph that would be read as markup (or is empty) gets a leading backslash;
 * - an article with no authors whose last paragraph ends in something that looks like a byline gets
 *   an empty `作者：` line, so the byline is not taken for its authors;
 * - a photo is a block of its own after the paragraph it follows: `![alt](src "caption"){width=W height=H}`.
 *
 * @example
 * issueToMarkdown({
 *   sections: [{ name: "高层信息", articles: [{ title: "标题", authors: ["李静"], paragraphs: ["正文。"] }] }],
 *   distribution: { report: ["中国通信企业协会"], distribute: [], copy: [] },
 * });
 * // "# 【高层信息】\n\n## 标题\n作者：李静\n\n正文。\n\n报：中国通信企业协会\n发：\n送：\n"
 */
export function issueToMarkdown(issue: Issue): string {
  const blocks: string[] = [];
  if (issue.masthead) blocks.push(frontMatter(issue.masthead));
  issue.sections.forEach((section, i) => {
    if (section.name !== null) blocks.push(`# 【${section.name}】`);
    else if (i > 0 || section.articles.length === 0) blocks.push("#");
    for (const article of section.articles) blocks.push(...articleBlocks(article));
  });
  blocks.push(TIERS.map((tier) => `${TIER_LABELS[tier]}：${issue.distribution[tier].join("、")}`).join("\n"));
  return `${blocks.join("\n\n")}\n`;
}

function frontMatter(masthead: Masthead): string {
  const lines = ["---"];
  // A fixed key order, so that exports of the same issue are identical.
  for (const key of ["title", "number", "date"] as const) {
    const value = masthead[key];
    if (value !== undefined) lines.push(value === "" ? `${key}:` : `${key}: ${value}`);
  }
  lines.push("---");
  return lines.join("\n");
}

/** The heading block (## and its label lines), then one block per paragraph. */
function articleBlocks(article: Article): string[] {
  const head = [article.title === "" ? "##" : `## ${article.title}`];
  if (article.kicker !== undefined) head.push(`引题：${article.kicker}`);
  if (article.subtitle !== undefined) head.push(`副题：${article.subtitle}`);
  const last = article.paragraphs[article.paragraphs.length - 1];
  // Authors go on their own line, never back into the text as a byline: the byline's spacing and
  // brackets are not in the Issue, so writing one would be a guess.
  if (article.authors.length > 0 || (last !== undefined && splitByline(last) !== null)) {
    head.push(`作者：${article.authors.join(" ")}`);
  }
  const figures = (after: number) => (article.figures ?? []).filter((f) => f.afterParagraph === after).map(figureBlock);
  return [
    head.join("\n"),
    ...figures(-1),
    ...article.paragraphs.flatMap((p, i) => [escapeMarkdownParagraph(p), ...figures(i)]),
  ];
}

/** ![alt](src "caption"){width=W height=H}, with ], " and \ escaped in the texts. */
function figureBlock(f: Figure): string {
  const esc = (s: string) => s.replace(/[\\\]"]/gu, "\\$&");
  return `![${esc(f.alt)}](${f.src}${f.caption !== undefined ? ` "${esc(f.caption)}"` : ""}){width=${f.width} height=${f.height}}`;
}
