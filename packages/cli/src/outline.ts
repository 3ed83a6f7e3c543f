import type { ImportResult, Issue } from "@bulletin/core";

const TIER_NAMES = [
  ["report", "报"],
  ["distribute", "发"],
  ["copy", "送"],
] as const;

/**
 * A readable outline of an imported issue, for the clerk to check the parse against the printed
 * bulletin at a glance: sections, numbered headlines with kicker/subtitle, authors, paragraph
 * counts, the three tiers, and what was dropped or needs a look.
 *
 * @example
 * formatOutline(importIssue(text), "004.txt").split("\n")[0]; // "004.txt: 5 sections, 13 articles, 56 paragraphs (text)"
 */
export function formatOutline(result: ImportResult, name: string): string {
  const { issue } = result;
  const lines: string[] = [summary(issue, name, result.format)];
  const m = issue.masthead;
  if (m && (m.title || m.number || m.date))
    lines.push(`刊头 masthead: ${[m.title, m.number, m.date].filter(Boolean).join(" · ")}`);
  let n = 0;
  for (const section of issue.sections) {
    lines.push("", section.name === null ? "（栏目前 before the first section）" : `【${section.name}】`);
    for (const a of section.articles) {
      n++;
      const num = `${String(n).padStart(3)}. `;
      const pad = " ".repeat(num.length);
      lines.push(`${num}${a.title || "（无标题 no headline — check this article）"}`);
      if (a.kicker) lines.push(`${pad}引题 ${a.kicker}`);
      if (a.subtitle) lines.push(`${pad}副题 ${a.subtitle}`);
      const by = a.authors.length ? `作者 ${a.authors.join(" ")} · ` : "";
      lines.push(
        `${pad}${by}${a.paragraphs.length} 段 paragraphs${a.figures?.length ? `, ${a.figures.length} 图 photo(s): ${a.figures.map((f) => `after ¶${f.afterParagraph + 1} ${f.caption ?? f.alt}`).join("; ")}` : ""}`,
      );
    }
  }
  lines.push("");
  for (const [tier, label] of TIER_NAMES) {
    const orgs = issue.distribution[tier];
    lines.push(`${label} ${tier} (${orgs.length}): ${orgs.length ? orgs.join("、") : "—"}`);
  }
  const dropped = result.dropped.filter((d) => d.reason !== "markup");
  if (dropped.length) {
    const where = (d: (typeof dropped)[number]) => (d.page !== undefined ? `page ${d.page}` : `line ${d.line}`);
    lines.push("", `Dropped (not content): ${dropped.map((d) => `${where(d)} "${d.text}" (${d.reason})`).join(", ")}`);
  }
  if (result.imagesSkipped) {
    lines.push(
      `图片 ${result.imagesSkipped} 张未导入 ${result.imagesSkipped} photo(s) left out (see the lines to check); the text around them is imported`,
    );
  }
  return `${lines.join("\n")}\n`;
}

function summary(issue: Issue, name: string, format: string): string {
  const articles = issue.sections.flatMap((s) => s.articles);
  const paragraphs = articles.reduce((k, a) => k + a.paragraphs.length, 0);
  return `${name}: ${issue.sections.length} sections, ${articles.length} articles, ${paragraphs} paragraphs (${format})`;
}
