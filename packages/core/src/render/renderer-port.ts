import type { Issue, Tier } from "../issue/issue-schema.ts";

/** One email, ready to hand to the mailer. */
export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
  /** The display name of the From header (the settings' sender), e.g. 山西省通信行业协会秘书处. */
  senderName?: string;
  /** Where replies go (the settings' reply-to address). */
  replyTo?: string;
  /** Pictures the HTML shows by cid: URL (the settings embed photos): the same for every recipient. */
  attachments?: InlineImage[];
}

/** A picture carried inside the email, shown where the HTML names `cid:<contentId>`. */
export interface InlineImage {
  contentId: string;
  fileName: string;
  contentType: string;
  bytes: Uint8Array;
}

/** Gmail clips an email whose HTML is over 102 KB: the renderer shortens, and the pre-send check measures. */
export const GMAIL_CLIP_BYTES = 102 * 1024;

/**
 * How every per-recipient placeholder a renderer leaves in a compiled email begins
 * (`bltph-<nonce>-<field>`): one left in a personalised email is a slot nobody filled.
 */
export const PLACEHOLDER_PREFIX = "bltph-";

/** The most an email with its photos embedded should weigh on the wire (HTML, text, pictures in base64). */
export const INLINE_EMAIL_BUDGET_BYTES = 1_500_000;

/** Who an email is for, as far as its text is concerned. */
export interface EmailRecipient {
  email: string;
  name?: string;
  organization?: string;
}

/** The links that differ per recipient: signed unsubscribe, and the web version of the issue. */
export interface RecipientLinks {
  unsubscribeUrl: string;
  viewOnlineUrl: string;
  /** The signed token of unsubscribeUrl, also carried by the List-Unsubscribe mailto's subject. */
  unsubscribeToken?: string;
}

/**
 * One part of an email with its per-recipient values left open: `literals[0]`, the value of
 * `slots[0]`, `literals[1]`, … `literals[n]` (so there is always one literal more than slots).
 */
export interface TemplateText {
  literals: string[];
  slots: string[];
}

/** An email for many recipients at once (SES SendBulkEmail): the same text, with slots per recipient. */
export interface EmailTemplate {
  subject: string;
  html: TemplateText;
  text: TemplateText;
  /** As in RenderedEmail: the From header's display name, and where replies go. */
  senderName?: string;
  replyTo?: string;
  /** As in RenderedEmail: the pictures the HTML shows by cid: URL, the same for every destination. */
  attachments?: InlineImage[];
}

/**
 * An issue rendered for one tier, compiled once: personalising it per recipient is a cheap
 * substitution, never another compile.
 */
export interface PreparedEmail {
  tier: Tier;
  /** True when the full issue would be clipped by Gmail (over 102 KB) and a short version was made. */
  shortened: boolean;
  personalise(recipient: EmailRecipient, links: RecipientLinks): RenderedEmail;
  /** The compiled email with its per-recipient parts as slots, for one call to many recipients. */
  template(): EmailTemplate;
  /**
   * One recipient's values for the template's slots. They hold no markup character (& < > " ' ` =
   * become their full-width forms in text, and are percent-encoded in links), so a value reads the
   * same in the HTML and the text part, whether or not the mail service HTML-escapes what it fills in.
   */
  slotValues(recipient: EmailRecipient, links: RecipientLinks): Record<string, string>;
  /** The web version the view-online link opens: tier-neutral, no recipient, no unsubscribe link. */
  webVersion(viewOnlineUrl: string): Promise<string>;
  /** One email's size on the wire before personalisation: HTML, text and embedded pictures (base64). */
  emailBytes?: number;
}

/** What the email shows beside the issue itself. */
export interface PrepareOptions {
  /** The issue's original PDF is kept: link to it (下载 PDF 原版), beside the web version. */
  originalPdf?: boolean;
  /**
   * The issue's own pictures (images/<n>.jpg → JPEG bytes, null when missing), for an email that
   * embeds its photos (the settings' `images: "inline"`). Without it the photos are linked by URL,
   * as in the web version and the previews, which cannot show cid: pictures.
   */
  images?: (src: string) => Promise<Uint8Array | null>;
}

/**
 * The Renderer port: core hands it an issue and a tier, gets a prepared email back.
 *
 * @example
 * const prepared = await renderer.prepare(issue, "report");
 * const { subject, html, text } = prepared.personalise(recipient, links);
 */
export interface Renderer {
  prepare(issue: Issue, tier: Tier, opts?: PrepareOptions): Promise<PreparedEmail>;
}
