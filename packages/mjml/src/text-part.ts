import type { EmailView } from "./email-view.ts";

/**
 * The plain-text part, written from the same view as the HTML: masthead, tier note, contents, every
 * heading and paragraph, the 报/发/送 footer, and the links written out. Nothing hidden (no
 * preheader) can leak into it, because it is not derived from the HTML.
 *
 * @example
 * textPart(view).startsWith("通信行业简报（报送）"); // true
 */
export function textPart(view: EmailView): string {
  const out: string[] = [`${view.masthead.title}（${view.tier.label}）`];
  if (view.masthead.line) out.push(view.masthead.line);
  out.push("");
  if (view.note) out.push(`${view.tier.label}说明：${view.note}`, "");
  out.push("本期要目");
  for (const t of view.toc) {
    if (t.section) out.push(`【${t.section}】`);
    out.push(`  ${t.n}. ${t.title}`);
  }
  for (const section of view.sections) {
    out.push("", "");
    if (section.name) out.push(`【${section.name}】`, "");
    for (const a of section.articles) {
      if (a.kicker) out.push(a.kicker);
      out.push(`${a.n}. ${a.title}`);
      if (a.subtitle) out.push(a.subtitle);
      out.push("");
      for (const b of a.blocks) {
        if ("paragraph" in b) out.push(`　　${b.paragraph.text}`, "");
        else out.push(`[图片：${b.figure.caption ?? b.figure.alt}]`, "");
      }
      if (a.readMore) out.push(`阅读全文：${a.readMore}`, "");
      if (a.authors) out.push(`（${a.authors}）`, "");
    }
  }
  out.push("", "——");
  for (const d of view.distribution) out.push(`${d.label}：${d.orgs}`);
  out.push(
    "",
    view.sender,
    ...view.footer,
    view.placeholders.reason,
    `在线阅读：${view.placeholders.viewOnlineUrl}`,
    ...(view.originalPdf ? [`下载 PDF 原版：${view.placeholders.viewOnlineUrl}/original.pdf`] : []),
    `退订：${view.placeholders.unsubscribeUrl}`,
    "",
  );
  return out.join("\n");
}
