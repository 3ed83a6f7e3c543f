import {
  type Article,
  type Issue,
  OWN_IMAGE_SRC,
  type PrepareOptions,
  type RenderSettings,
  subjectFromTemplate,
  type Tier,
} from "@bulletin/core";
import type { Placeholders } from "./placeholders.ts";

const TIER_KEYS: readonly Tier[] = ["report", "distribute", "copy"];
const FOOTER_LABELS: Record<Tier, string> = { report: "报", distribute: "发", copy: "送" };

/** The width of the email's text column (600 px less the article's padding): no photo is shown wider. */
export const COLUMN_WIDTH = 552;

/**
 * A photo as the template shows it: by its URL, or (own) by its path under the web version, whose
 * absolute URL the placeholder gives; at most the column's width and never upscaled.
 */
export interface FigureView {
  url?: string;
  own?: string;
  alt: string;
  caption?: string;
  width: number;
  height: number;
}

/** What an article's body holds, in order: paragraphs, and photos where they stand. */
export type Block = { paragraph: { text: string } } | { figure: FigureView };

/** One article as the template shows it; `n` numbers it across the issue (anchors, TOC). */
export interface ArticleView {
  n: number;
  kicker?: string;
  title: string;
  subtitle?: string;
  paragraphs: string[];
  blocks: Block[];
  authors: string;
  /** In the shortened email: where the full article is read (the web version). */
  readMore?: string;
}

/** Everything the template and the text part show, for one tier. Values are raw text: the template escapes. */
export interface EmailView {
  subject: string;
  preheader: string;
  masthead: { title: string; line: string };
  logo?: { url: string; alt: string };
  tier: { key: Tier; label: string };
  note?: string;
  toc: { n: number; title: string; section?: string }[];
  sections: { name: string | null; articles: ArticleView[] }[];
  distribution: { label: string; orgs: string }[];
  sender: string;
  /** The issue was imported from its PDF, kept beside the web version: the email links to it. */
  originalPdf: boolean;
  /** The settings' footer text, a line each. */
  footer: string[];
  /** The web version: tier-neutral, with no recipient's line, unsubscribe or canary link. */
  web: boolean;
  placeholders: Placeholders;
}

/**
 * Builds the view of an issue for one tier: masthead (settings first, then the parsed masthead, then
 * the bulletin's name), subject with the tier's prefix, a preheader listing the headlines, the
 * contents, and — when `shortened` — each article cut to its first paragraph with a link to read on.
 *
 * @example
 * buildEmailView(issue, "copy", settings, makePlaceholders(), false).subject; // "【抄送】通信行业简报 2025年第9期"
 */
export function buildEmailView(
  issue: Issue,
  tier: Tier,
  settings: RenderSettings,
  placeholders: Placeholders,
  shortened: boolean,
  opts: PrepareOptions = {},
  inline: ReadonlyMap<string, string> = new Map(),
  web = false,
): EmailView {
  const wording = settings.tiers[tier];
  const title = settings.masthead.title ?? issue.masthead?.title ?? settings.bulletinName;
  const number = settings.masthead.number ?? issue.masthead?.number;
  const date = settings.masthead.date ?? issue.masthead?.date;
  let n = 0;
  const sections = issue.sections.map((s) => ({
    name: s.name,
    articles: s.articles.map((a): ArticleView => {
      n++;
      const cut = shortened && a.paragraphs.length > 1;
      const paragraphs = cut ? a.paragraphs.slice(0, 1) : a.paragraphs;
      return {
        n,
        ...(a.kicker ? { kicker: a.kicker } : {}),
        title: a.title || "（无标题）",
        ...(a.subtitle ? { subtitle: a.subtitle } : {}),
        paragraphs,
        blocks: blocksOf(a, paragraphs.length, inline),
        authors: a.authors.join(" "),
        ...(cut ? { readMore: `${placeholders.viewOnlineUrl}#a${n}` } : {}),
      };
    }),
  }));
  const toc = sections.flatMap((s) =>
    s.articles.map((a, i) => ({ n: a.n, title: a.title, ...(i === 0 && s.name ? { section: s.name } : {}) })),
  );
  return {
    // The web version's title names no tier: whoever opens the link may be in any list.
    subject: web
      ? oneLine([title, number].filter(Boolean).join(" "))
      : oneLine(
          subjectFromTemplate(settings.subjectTemplate, {
            前缀: wording.subjectPrefix,
            刊名: title,
            ...(number ? { 期号: number } : {}),
            ...(date ? { 日期: date } : {}),
          }),
        ),
    preheader: preheaderOf(toc.map((t) => t.title)),
    masthead: { title, line: [number, date].filter(Boolean).join(" · ") },
    ...(settings.logo ? { logo: settings.logo } : {}),
    tier: { key: tier, label: wording.label },
    ...(wording.note ? { note: wording.note } : {}),
    toc,
    sections,
    distribution: TIER_KEYS.filter((t) => issue.distribution[t].length > 0).map((t) => ({
      label: FOOTER_LABELS[t],
      orgs: issue.distribution[t].join("、"),
    })),
    sender: settings.sender,
    originalPdf: opts.originalPdf === true,
    footer: (settings.footer ?? "")
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter(Boolean),
    web,
    placeholders,
  };
}

/**
 * An article's paragraphs with its figures after the paragraphs they follow (of the paragraphs
 * shown: the short version keeps the photos of its first paragraph). `inline` maps an own image's
 * src to the cid: URL of its attachment, when the email embeds them.
 */
function blocksOf(a: Article, shown: number, inline: ReadonlyMap<string, string>): Block[] {
  const figure = (f: NonNullable<Article["figures"]>[number]): Block => {
    const width = Math.min(f.width, COLUMN_WIDTH);
    const where = inline.get(f.src) ?? (OWN_IMAGE_SRC.test(f.src) ? undefined : f.src);
    return {
      figure: {
        ...(where ? { url: where } : { own: f.src }),
        alt: f.alt,
        ...(f.caption ? { caption: f.caption } : {}),
        width,
        height: Math.max(1, Math.round((f.height * width) / f.width)),
      },
    };
  };
  const figures = a.figures ?? [];
  const out: Block[] = figures.filter((f) => f.afterParagraph < 0).map(figure);
  a.paragraphs.slice(0, shown).forEach((text, i) => {
    out.push({ paragraph: { text } }, ...figures.filter((f) => f.afterParagraph === i).map(figure));
  });
  return out;
}

/** The inbox preview line: the headlines, as many as fit. */
function preheaderOf(titles: string[]): string {
  const text = `本期要目：${titles.join("；")}`;
  return [...text].length > 90 ? `${[...text].slice(0, 89).join("")}…` : text;
}

/**
 * A header value on one line: control characters (CR, LF, tabs…) become spaces. All of \p{Cc}, C1
 * included: NEL (U+0085) is a line break to some readers, and CSI (U+009B) starts a terminal escape.
 */
function oneLine(s: string): string {
  return s.replace(/[\p{Cc}\u2028\u2029]+/gu, " ").trim();
}
