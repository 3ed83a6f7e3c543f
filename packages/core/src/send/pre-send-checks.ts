import { type Tier, TIER_LABELS } from "../issue/issue-schema.ts";
import { GMAIL_CLIP_BYTES, PLACEHOLDER_PREFIX } from "../render/renderer-port.ts";
import { scanEmailHtml } from "./email-html-scan.ts";
import type { DkimState } from "./sender-identity.ts";

export const PRE_SEND_CHECK_IDS = [
  "html-size",
  "links",
  "placeholders",
  "image-alt",
  "subject-length",
  "dkim",
] as const;
export type PreSendCheckId = (typeof PRE_SEND_CHECK_IDS)[number];
export const PRE_SEND_CHECK_STATUSES = ["pass", "warn", "fail"] as const;
export type PreSendCheckStatus = (typeof PRE_SEND_CHECK_STATUSES)[number];

/** One check before a send: its id (an English code), pass, warn or fail, and why, in Chinese. */
export interface PreSendCheck {
  id: PreSendCheckId;
  status: PreSendCheckStatus;
  reason: string;
}

/** One tier's email as a sample recipient would get it: personalised, with links as a send makes them. */
export interface RenderedSample {
  tier: Tier;
  subject: string;
  html: string;
  text: string;
  /** The renderer made the short version (the full issue would have been clipped). */
  shortened: boolean;
}

export interface PreSendContext {
  /** The local stack: plain http:// links (http://localhost) are expected there, and nothing is DKIM-signed. */
  localStack: boolean;
  /** The domain of the From address. */
  senderDomain: string;
  dkim: DkimState;
}

/**
 * A subject longer than this many columns (a Chinese character is two, as wide as two Latin
 * letters) is cut in the list view: QQ Mail's and 163's web lists show about 30 Chinese characters
 * of a subject beside the sender and date, and phones fewer. What matters (the issue number) must
 * come before the cut.
 */
export const SUBJECT_MAX_COLUMNS = 60;

// Left in an email, each is a slot nobody filled: ours (bltph-<nonce>-<field>), a Mustache tag
// from the template, a subject-template field ({期号}).
const UNFILLED = [
  new RegExp(`${PLACEHOLDER_PREFIX}[0-9a-f]+-\\w+`, "g"),
  /\{\{\{?[^{}\n]{1,60}\}\}\}?/g,
  /\{(?:前缀|刊名|期号|日期)\}/g,
];
// What a link may be besides https: another mail, an inline picture, a place in the email itself.
const FINE_SCHEMES = /^(?:mailto:|cid:|#)/i;
const SHOWN = 3;

/**
 * The checks before a send, over every tier's email as a sample recipient gets it: each a pass,
 * warn or fail with the reason in Chinese. A failing check does not stop the send (the clerk
 * decides); the issue page and the dry run show them.
 *
 * @example
 * preSendChecks([{ tier: "report", subject: "【报送】山西通信 2026年第1期", html, text, shortened: false }],
 *   { localStack: false, senderDomain: "news.example.org", dkim: { status: "verified", signingEnabled: true } });
 * // [{ id: "html-size", status: "pass", reason: "报 48.2 KB，未超过 Gmail 的 102 KB 截断线。" }, …]
 */
export function preSendChecks(samples: readonly RenderedSample[], ctx: PreSendContext): PreSendCheck[] {
  const scans = samples.map((s) => ({ sample: s, scan: scanEmailHtml(s.html) }));
  return [
    htmlSize(samples),
    links(
      scans.flatMap((s) => s.scan.urls),
      ctx.localStack,
    ),
    placeholders(samples),
    imageAlt(scans.flatMap((s) => s.scan.images)),
    subjectLength(samples),
    dkim(ctx),
  ];
}

function htmlSize(samples: readonly RenderedSample[]): PreSendCheck {
  const sizes = samples.map((s) => ({
    tier: s.tier,
    bytes: new TextEncoder().encode(s.html).length,
    shortened: s.shortened,
  }));
  const each = sizes
    .map((s) => `${TIER_LABELS[s.tier]} ${kb(s.bytes)}${s.shortened ? "（全文过长，已改为摘要版）" : ""}`)
    .join("，");
  const over = sizes.filter((s) => s.bytes > GMAIL_CLIP_BYTES);
  if (over.length > 0)
    return {
      id: "html-size",
      status: "fail",
      reason: `${each}：${over.map((s) => TIER_LABELS[s.tier]).join("、")}超过 Gmail 的 ${GMAIL_CLIP_BYTES / 1024} KB 截断线，Gmail 只显示前一部分。`,
    };
  return { id: "html-size", status: "pass", reason: `${each}，未超过 Gmail 的 ${GMAIL_CLIP_BYTES / 1024} KB 截断线。` };
}

function links(urls: readonly string[], localStack: boolean): PreSendCheck {
  const distinct = [...new Set(urls.map((u) => u.trim()))];
  const relative = distinct.filter((u) => !FINE_SCHEMES.test(u) && !/^[a-z][a-z0-9+.-]*:/i.test(u));
  const plain = distinct.filter((u) => /^http:/i.test(u));
  const other = distinct.filter((u) => /^[a-z][a-z0-9+.-]*:/i.test(u) && !FINE_SCHEMES.test(u) && !/^https?:/i.test(u));
  const problems = [
    ...(relative.length ? [`${relative.length} 个相对地址（收件人打不开）：${listed(relative)}`] : []),
    ...(other.length ? [`${other.length} 个不允许的链接：${listed(other)}`] : []),
    ...(plain.length && !localStack ? [`${plain.length} 个 http:// 链接（应为 https://）：${listed(plain)}`] : []),
  ];
  if (problems.length > 0) return { id: "links", status: "fail", reason: `${problems.join("；")}。` };
  const local = plain.length > 0 ? "本地环境允许 http://，正式环境须为 https://。" : "";
  return { id: "links", status: "pass", reason: `${distinct.length} 个链接和图片地址都是完整地址。${local}` };
}

function placeholders(samples: readonly RenderedSample[]): PreSendCheck {
  const found = new Set<string>();
  for (const s of samples)
    for (const part of [s.subject, s.html, s.text])
      for (const re of UNFILLED) for (const m of part.matchAll(re)) found.add(m[0]);
  if (found.size > 0)
    return {
      id: "placeholders",
      status: "fail",
      reason: `邮件中有未替换的占位符：${listed([...found])}。请检查设置中的模板或正文。`,
    };
  return { id: "placeholders", status: "pass", reason: "没有未替换的占位符。" };
}

/**
 * A warning, not a failure: the email still arrives and reads. But QQ Mail and 163 hide pictures
 * until the reader allows them, and then (as for a screen reader) the alt text is all there is.
 */
function imageAlt(images: readonly { src: string; alt: string | null; decorative: boolean }[]): PreSendCheck {
  const shown = images.filter((i) => !i.decorative);
  const missing = [...new Set(shown.filter((i) => !i.alt?.trim()).map((i) => i.src))];
  if (missing.length > 0)
    return {
      id: "image-alt",
      status: "warn",
      reason: `${missing.length} 张图片没有替代文字（邮箱不显示图片时，读者只看到替代文字）：${listed(missing)}。可在期刊页的“图片”中填写。`,
    };
  return {
    id: "image-alt",
    status: "pass",
    reason: shown.length ? `${new Set(shown.map((i) => i.src)).size} 张图片都有替代文字。` : "邮件中没有图片。",
  };
}

function subjectLength(samples: readonly RenderedSample[]): PreSendCheck {
  const empty = samples.filter((s) => s.subject.trim() === "");
  if (empty.length > 0)
    return {
      id: "subject-length",
      status: "fail",
      reason: `${empty.map((s) => TIER_LABELS[s.tier]).join("、")}的邮件没有主题。`,
    };
  const longest = samples.reduce<RenderedSample | undefined>(
    (a, s) => (!a || columns(s.subject) > columns(a.subject) ? s : a),
    undefined,
  );
  if (!longest) return { id: "subject-length", status: "pass", reason: "没有要发送的邮件。" };
  const n = [...longest.subject].length;
  if (columns(longest.subject) > SUBJECT_MAX_COLUMNS) {
    return {
      id: "subject-length",
      status: "warn",
      reason: `主题“${longest.subject}”有 ${n} 个字，超过约 ${SUBJECT_MAX_COLUMNS / 2} 个汉字的长度，邮箱列表中会被截断。`,
    };
  }
  return {
    id: "subject-length",
    status: "pass",
    reason: `最长的主题“${longest.subject}”有 ${n} 个字，邮箱列表中能完整显示。`,
  };
}

function dkim(ctx: PreSendContext): PreSendCheck {
  const d = ctx.dkim;
  const domain = ctx.senderDomain;
  // Locally nothing is signed, and nothing reaches a real mailbox: a warning here would be shown on
  // every local page and teach the clerk to overlook warnings.
  if (ctx.localStack || d.status === "local") return { id: "dkim", status: "pass", reason: "本地环境不检查 DKIM。" };
  switch (d.status) {
    case "verified":
      return d.signingEnabled === false
        ? {
            id: "dkim",
            status: "fail",
            reason: `发件域名 ${domain} 的 DKIM 已验证，但签名已关闭：邮件不带 DKIM 签名，QQ 邮箱、163 等可能将其归入垃圾邮件。`,
          }
        : { id: "dkim", status: "pass", reason: `发件域名 ${domain} 的 DKIM 已验证，邮件会带签名。` };
    case "pending":
      return {
        id: "dkim",
        status: "fail",
        reason: `发件域名 ${domain} 的 DKIM 还在验证中：DNS 记录尚未生效或未添加，此时发送会被拒绝或被当作垃圾邮件。`,
      };
    case "failed":
      return {
        id: "dkim",
        status: "fail",
        reason: `发件域名 ${domain} 的 DKIM 验证失败：DNS 中的 DKIM 记录缺失或有误，请联系技术人员检查。`,
      };
    case "not-set-up":
      return {
        id: "dkim",
        status: "fail",
        reason: `发件域名 ${domain} 没有在 SES 中设置 DKIM（或不是本账户的发件身份）。`,
      };
    case "temporary-failure":
      return {
        id: "dkim",
        status: "warn",
        reason: `SES 暂时无法确认发件域名 ${domain} 的 DKIM 记录，稍后会再次检查。`,
      };
    default:
      return {
        id: "dkim",
        status: "warn",
        reason: `无法查询发件域名 ${domain} 的 DKIM 状态${d.detail ? `（${d.detail}）` : ""}。`,
      };
  }
}

/** How wide a text shows in a list: East Asian wide and full-width characters take two columns. */
function columns(s: string): number {
  let n = 0;
  for (const ch of s)
    n +=
      /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]|[\u{20000}-\u{3fffd}]/u.test(
        ch,
      )
        ? 2
        : 1;
  return n;
}

function listed(items: readonly string[]): string {
  const cut = (s: string) => (s.length > 80 ? `${s.slice(0, 77)}…` : s);
  return items.slice(0, SHOWN).map(cut).join("、") + (items.length > SHOWN ? ` 等 ${items.length} 个` : "");
}

function kb(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KB`;
}
