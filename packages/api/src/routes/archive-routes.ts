import {
  figuresOf,
  inlineDisposition,
  type IssueRepo,
  type IssueSummary,
  issueImageKey,
  MAX_PAGE_SIZE,
  originalPdfKey,
  TIERS,
} from "@bulletin/core";
import { Hono } from "hono";
import { html } from "hono/html";
import type { ApiDeps } from "../api-deps.ts";
import { beijingTime } from "../dashboard/labels.ts";
import { publicPage } from "./public-page.ts";

/**
 * Characters XML 1.0 forbids even escaped: C0 controls but tab, LF and CR, lone surrogates, U+FFFE and
 * U+FFFF. One of them in a title made the whole feed not XML (readers drop it); text extracted from a
 * PDF brings form feeds. They are left out of the feed; the issue keeps them.
 */
const NOT_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;
const xmlText = (s: string) => s.replace(NOT_XML, "");

/** The feed carries the newest issues only; the list page shows every public one. */
const FEED_ENTRIES = 20;
/** Enough for decades of a monthly bulletin; the archive never scans further. */
const MAX_ARCHIVE = 1_000;

/** Every issue published on the archive, newest publication first. */
async function publishedIssues(issues: IssueRepo): Promise<(IssueSummary & { publishedAt: string })[]> {
  const out: (IssueSummary & { publishedAt: string })[] = [];
  let cursor: string | undefined;
  let seen = 0;
  do {
    const page = await issues.list({ limit: MAX_PAGE_SIZE, ...(cursor ? { cursor } : {}) });
    for (const i of page.items) if (i.publishedAt) out.push(i as IssueSummary & { publishedAt: string });
    seen += page.items.length;
    cursor = page.cursor;
  } while (cursor && seen < MAX_ARCHIVE);
  return out.sort((a, b) => (a.publishedAt < b.publishedAt ? 1 : -1));
}

/**
 * The public web archive, no token needed: /archive lists the issues the secretariat published,
 * /archive/feed.xml is their Atom feed, /archive/:id the web version (the emails' view-online link,
 * so it serves unpublished issues too, to whoever has the unguessable link, but asks search engines
 * not to index those), and /archive/:id/original.pdf the PDF an issue was imported from, alike. hono/html escapes every interpolated value, which is also valid XML escaping.
 */
export function archiveRoutes(deps: ApiDeps) {
  const app = new Hono();
  const link = (id: string) => `${deps.publicUrl}/archive/${encodeURIComponent(id)}`;

  app.get("/archive", async (c) => {
    const items = await publishedIssues(deps.issues);
    const list = items.length
      ? html`<ul class="archive">${items.map((i) => html`<li><a href="${link(i.id)}">${i.label}</a> <time datetime="${i.publishedAt}">${beijingTime(i.publishedAt).slice(0, 10)}</time></li>`)}</ul>`
      : html`<p>尚无公开的期刊。</p>`;
    c.header("Cache-Control", "public, max-age=300");
    return c.html(
      publicPage(
        "简报存档",
        html`<h1>简报存档</h1>${list}<p><a href="${deps.publicUrl}/archive/feed.xml">订阅 Atom 源</a></p>`,
        html`<link rel="alternate" type="application/atom+xml" title="简报存档" href="${deps.publicUrl}/archive/feed.xml">`,
      ),
    );
  });

  app.get("/archive/feed.xml", async (c) => {
    const items = (await publishedIssues(deps.issues)).slice(0, FEED_ENTRIES);
    const entries = await Promise.all(
      items.map(async (i) => {
        const titles =
          (await deps.issues.get(i.id))?.issue.sections.flatMap((s) =>
            s.articles.map((a) => a.title).filter(Boolean),
          ) ?? [];
        return html`<entry><id>${link(i.id)}</id><title>${xmlText(i.label)}</title><updated>${i.publishedAt}</updated><published>${i.publishedAt}</published><link rel="alternate" type="text/html" href="${link(i.id)}"/><summary>${xmlText(titles.join("；"))}</summary></entry>`;
      }),
    );
    const updated = items[0]?.publishedAt ?? new Date(0).toISOString();
    const feed = html`<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="zh-CN"><id>${deps.publicUrl}/archive</id><title>简报存档</title><updated>${updated}</updated><author><name>秘书处</name></author><link rel="self" type="application/atom+xml" href="${deps.publicUrl}/archive/feed.xml"/><link rel="alternate" type="text/html" href="${deps.publicUrl}/archive"/>${entries}</feed>`;
    return c.body(String(await feed), 200, {
      "Content-Type": "application/atom+xml; charset=utf-8",
      "Cache-Control": "public, max-age=300",
    });
  });

  app.get("/archive/:id/original.pdf", async (c) => {
    const stored = await deps.issues.get(c.req.param("id"));
    const key = originalPdfKey(c.req.param("id"));
    if (!stored?.original) return c.html(publicPage("未找到", html`<h1>这一期没有 PDF 原版</h1>`), 404);
    // Served to whoever has the link, like the web version; search engines only once it is published.
    if (!stored.publishedAt) c.header("X-Robots-Tag", "noindex");
    const fileName = `${stored.label}.pdf`;
    // A file larger than a Lambda may answer is fetched from the bucket itself, by a short-lived URL.
    if (deps.files.downloadUrl)
      return c.redirect(await deps.files.downloadUrl(key, { fileName, expiresInSeconds: 300 }), 302);
    const bytes = await deps.files.get(key);
    if (!bytes) return c.html(publicPage("未找到", html`<h1>这一期没有 PDF 原版</h1>`), 404);
    return c.body(bytes as Uint8Array<ArrayBuffer>, 200, {
      "Content-Type": "application/pdf",
      "Content-Disposition": inlineDisposition(fileName),
      "Cache-Control": "public, max-age=300",
      "X-Content-Type-Options": "nosniff",
    });
  });

  // An issue's own photos, for its web version and its emails. Only the ones the issue still shows:
  // a photo the clerk removed is gone from the archive too. A picture never changes under its name,
  // so mail services' image proxies and browsers may keep it.
  app.get("/archive/:id/images/:file{[1-9][0-9]{0,3}\\.jpg}", async (c) => {
    const src = `images/${c.req.param("file")}`;
    const stored = await deps.issues.get(c.req.param("id"));
    const key = issueImageKey(c.req.param("id"), src);
    const shown = stored && figuresOf(stored.issue).some(([, f]) => f.src === src);
    const bytes = shown && key ? await deps.files.get(key) : null;
    if (!bytes) return c.html(publicPage("未找到", html`<h1>未找到这张图片</h1>`), 404);
    if (!stored?.publishedAt) c.header("X-Robots-Tag", "noindex");
    return c.body(bytes as Uint8Array<ArrayBuffer>, 200, {
      "Content-Type": "image/jpeg",
      "Cache-Control": "public, max-age=2592000",
      "X-Content-Type-Options": "nosniff",
    });
  });

  app.get("/archive/:id", async (c) => {
    const stored = await deps.issues.get(c.req.param("id"));
    if (!stored) return c.html(publicPage("未找到", html`<h1>未找到这一期</h1>`), 404);
    // The version a member company gets: no tier-specific wording, no unsubscribe link.
    const tier = TIERS.find((t) => stored.issue.distribution[t].length > 0) ?? "distribute";
    const prepared = await deps.renderer.prepare(stored.issue, tier === "report" ? "distribute" : tier, {
      originalPdf: stored.original !== undefined,
    });
    if (!stored.publishedAt) c.header("X-Robots-Tag", "noindex");
    return c.html(await prepared.webVersion(link(stored.id)));
  });
  return app;
}
