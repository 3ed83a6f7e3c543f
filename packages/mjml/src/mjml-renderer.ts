import { readFileSync } from "node:fs";
import {
  DEFAULT_RENDER_SETTINGS,
  type EmailRecipient,
  GMAIL_CLIP_BYTES,
  type InlineImage,
  type Issue,
  OWN_IMAGE_SRC,
  type PreparedEmail,
  type PrepareOptions,
  type RecipientLinks,
  type Renderer,
  type RenderSettings,
  type Tier,
} from "@bulletin/core";
import mjml2html from "mjml";
import Mustache from "mustache";
import { buildEmailView, type EmailView } from "./email-view.ts";
import { makePlaceholders, type Placeholders, splitAtPlaceholders } from "./placeholders.ts";
import { textPart } from "./text-part.ts";

export { GMAIL_CLIP_BYTES };
// Room left for what personalisation adds (names, signed URLs) to the compiled HTML.
const PERSONALISATION_ROOM = 4 * 1024;

const TEMPLATE_URL = new URL("../../../templates/bulletin.mjml", import.meta.url);

/**
 * The Renderer adapter: fills the MJML template with the issue (escaped by Mustache), compiles it
 * once per tier, and returns a prepared email that personalises by substitution. When the full issue
 * would be clipped by Gmail, it compiles the short version instead: headlines, first paragraphs and
 * 阅读全文 links to the web version.
 *
 * @example
 * const renderer = new MjmlRenderer(RenderSettingsSchema.parse(settingsJson));
 * const email = (await renderer.prepare(issue, "copy")).personalise(recipient, links);
 */
export class MjmlRenderer implements Renderer {
  private readonly template: string;
  private readonly compileMjml: CompileMjml;

  constructor(
    private readonly settings: RenderSettings = DEFAULT_RENDER_SETTINGS,
    opts: { template?: string; compileMjml?: CompileMjml } = {},
  ) {
    this.template = opts.template ?? readFileSync(TEMPLATE_URL, "utf8");
    this.compileMjml = opts.compileMjml ?? compileStrict;
  }

  async prepare(
    issue: Issue,
    tier: Tier,
    opts: PrepareOptions = {},
  ): Promise<PreparedEmail & { view: EmailView; compiledBytes: number }> {
    const placeholders = makePlaceholders();
    const attachments = this.settings.images === "inline" && opts.images ? await inlineImages(issue, opts.images) : [];
    const inline = new Map(attachments.map((a) => [a.src, `cid:${a.image.contentId}`]));
    let view = buildEmailView(issue, tier, this.settings, placeholders, false, opts, inline);
    let html = await this.compile(view);
    const shortened = byteLength(html) > GMAIL_CLIP_BYTES - PERSONALISATION_ROOM;
    if (shortened) {
      view = buildEmailView(issue, tier, this.settings, placeholders, true, opts, inline);
      html = await this.compile(view);
    }
    // Only the pictures the email shows (the short version shows fewer).
    const shown = new Set(
      view.sections.flatMap((s) =>
        s.articles.flatMap((a) =>
          a.blocks.flatMap((b) => ("figure" in b && b.figure.url?.startsWith("cid:") ? [b.figure.url] : [])),
        ),
      ),
    );
    const carried = attachments.map((a) => a.image).filter((a) => shown.has(`cid:${a.contentId}`));
    const text = textPart(view);
    const htmlParts = splitAtPlaceholders(html, placeholders);
    const textParts = splitAtPlaceholders(text, placeholders);
    const sender = {
      senderName: this.settings.sender,
      ...(this.settings.replyTo ? { replyTo: this.settings.replyTo } : {}),
    };
    return {
      tier,
      shortened,
      view,
      compiledBytes: byteLength(html),
      emailBytes:
        byteLength(html) + byteLength(text) + carried.reduce((n, a) => n + Math.ceil(a.bytes.length / 3) * 4, 0),
      personalise: (recipient, links) => ({
        subject: view.subject,
        ...sender,
        html: htmlParts.fill(personalValues(recipient, links, view, escapeHtml)),
        text: textParts.fill(personalValues(recipient, links, view, (s) => s)),
        ...(carried.length > 0 ? { attachments: carried } : {}),
      }),
      template: () => ({
        subject: view.subject,
        ...sender,
        html: htmlParts.parts,
        text: textParts.parts,
        ...(carried.length > 0 ? { attachments: carried } : {}),
      }),
      slotValues: (recipient, links) => ({
        reason: withoutMarkup(reasonLine(recipient, view)),
        viewOnlineUrl: linkWithoutMarkup(safeUrl(links.viewOnlineUrl)),
        unsubscribeUrl: linkWithoutMarkup(safeUrl(links.unsubscribeUrl)),
      }),
      // Tier-neutral (no tier mark or note: the reader may be in any list) and with no unsubscribe
      // link of its own; compiled when the archive asks, not for every send.
      webVersion: async (viewOnlineUrl) => {
        const web = await this.compile(
          buildEmailView(issue, tier, this.settings, placeholders, shortened, opts, new Map(), true),
        );
        const url = escapeHtml(safeUrl(viewOnlineUrl));
        return splitAtPlaceholders(web, placeholders).fill({ reason: "", viewOnlineUrl: url, unsubscribeUrl: url });
      },
    };
  }

  /** Mustache escapes every value it inserts with {{…}}; then MJML compiles it. */
  private compile(view: EmailView): Promise<string> {
    return this.compileMjml(Mustache.render(this.template, view));
  }
}

/**
 * The issue's own pictures as inline attachments, one per picture however often it is shown; a
 * picture that cannot be had stays linked by URL.
 */
async function inlineImages(
  issue: Issue,
  load: (src: string) => Promise<Uint8Array | null>,
): Promise<{ src: string; image: InlineImage }[]> {
  const srcs = [
    ...new Set(issue.sections.flatMap((s) => s.articles.flatMap((a) => (a.figures ?? []).map((f) => f.src)))),
  ].filter((src) => OWN_IMAGE_SRC.test(src));
  const out: { src: string; image: InlineImage }[] = [];
  for (const src of srcs) {
    const bytes = await load(src);
    const name = src.slice("images/".length);
    if (bytes)
      out.push({
        src,
        image: {
          contentId: `figure-${name.replace(".jpg", "")}@bulletin`,
          fileName: name,
          contentType: "image/jpeg",
          bytes,
        },
      });
  }
  return out;
}

/** MJML to HTML; the renderer takes another (e.g. a counting one in tests). */
export type CompileMjml = (mjml: string) => Promise<string>;

/**
 * Compiles at validation level strict (an invalid template fails loudly), drops template comments,
 * and imports no web font.
 *
 * @example
 * await compileStrict("<mjml><mj-body></mj-body></mjml>");
 */
export async function compileStrict(mjml: string): Promise<string> {
  const { html } = await mjml2html(mjml, { validationLevel: "strict", keepComments: false, fonts: {} });
  return html;
}

/** The values that fill the placeholders, escaped for where they go (HTML or text). */
function personalValues(
  recipient: EmailRecipient,
  links: RecipientLinks,
  view: EmailView,
  escapeFor: (s: string) => string,
): Record<keyof Placeholders, string> {
  return {
    reason: escapeFor(reasonLine(recipient, view)),
    viewOnlineUrl: escapeFor(safeUrl(links.viewOnlineUrl)),
    unsubscribeUrl: escapeFor(safeUrl(links.unsubscribeUrl)),
  };
}

/** Why this recipient gets the email: its tier and organisation. */
function reasonLine(r: EmailRecipient, view: EmailView): string {
  const who = [r.name, r.email]
    .filter((s): s is string => Boolean(s))
    .map(clean)
    .join("，");
  const org = r.organization ? `${clean(r.organization)}在` : "您在";
  return `您收到本刊，是因为${org}本刊的“${view.tier.label}”名单中（${who}）。`;
}

// The characters HTML escaping would change (Handlebars escapes = and ` too), and their full-width forms.
const MARKUP = /[&<>"'`=]/g;
const FULL_WIDTH: Record<string, string> = {
  "&": "＆",
  "<": "＜",
  ">": "＞",
  '"': "＂",
  "'": "＇",
  "`": "｀",
  "=": "＝",
};

/**
 * A slot value for a bulk template, read the same in HTML and text and the same whether or not the
 * mail service escapes what it fills in: markup characters become their full-width forms (the
 * reason line is Chinese prose, where they read naturally).
 *
 * @example
 * withoutMarkup('A&B <x>'); // "A＆B ＜x＞"
 */
export function withoutMarkup(s: string): string {
  return s.replace(MARKUP, (c) => FULL_WIDTH[c]!);
}

/** A link as a slot value: the markup characters percent-encoded, which leaves it the same link. */
function linkWithoutMarkup(url: string): string {
  return url.replace(MARKUP, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`);
}

function clean(s: string): string {
  return s.replace(/[\u0000-\u001f\u007f]+/gu, " ").trim();
}

/** Only http(s) links go into the email; anything else would be a way in for script. */
function safeUrl(url: string): string {
  const u = new URL(url);
  if (u.protocol !== "https:" && u.protocol !== "http:") throw new TypeError(`not an http(s) URL: ${url}`);
  return u.toString();
}

/**
 * Escapes text for HTML content and attribute values.
 *
 * @example
 * escapeHtml('<a href="x">'); // "&lt;a href=&quot;x&quot;&gt;"
 */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function byteLength(s: string): number {
  return Buffer.byteLength(s, "utf8");
}
