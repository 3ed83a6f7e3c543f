import {
  handleUnsubscribeMail,
  type Clock,
  type InboundMail,
  type Mailer,
  type RecipientRepo,
  type SuppressionRepo,
  type UnsubscribeMailResult,
} from "@bulletin/core";
import { simpleParser } from "mailparser";
import { verifyUnsubscribe } from "./unsubscribe-links.ts";

/** The most of an unsubscribe mail read at all: a real one is a few KB. */
export const MAX_INBOUND_BYTES = 2 * 1024 * 1024;
// What a forward quotes of the mail's text.
const QUOTED_CHARS = 20_000;

/**
 * A raw mail (RFC 5322, as SMTP delivers it or SES stores it in S3) read with mailparser: the From,
 * the decoded subject (RFC 2047, any charset: GBK from a Chinese client included) and the text part
 * (or the HTML's text).
 *
 * @example
 * const mail = await parseInboundMail(raw, "inbound/2026-01-01T00:00:00Z.eml");
 */
export async function parseInboundMail(raw: Buffer, storedAt?: string): Promise<InboundMail> {
  const parsed = await simpleParser(raw.subarray(0, MAX_INBOUND_BYTES), {
    skipImageLinks: true,
    skipHtmlToText: false,
  });
  return {
    from: parsed.from?.text ?? "",
    subject: parsed.subject ?? "",
    text: (parsed.text ?? "").slice(0, QUOTED_CHARS * 5),
    ...(parsed.messageId ? { messageId: parsed.messageId } : {}),
    ...(parsed.date ? { date: parsed.date.toISOString() } : {}),
    ...(storedAt ? { storedAt } : {}),
  };
}

/** One line for a header: control characters (CR, LF, NEL…) become spaces, and it is cut short. */
function headerLine(s: string, max = 150): string {
  return s
    .replace(/[\p{Cc}\u2028\u2029]+/gu, " ")
    .trim()
    .slice(0, max);
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * Everything core's handleUnsubscribeMail needs, the same on both deployables: the token is checked
 * with the key of the one-click links, the recipient unsubscribed through the stores, and a mail
 * that unsubscribes nobody is forwarded through SES (from the bulletin's own address, so it is
 * signed and delivered as the bulletin is) to `forwardTo`, with the original quoted and the reason
 * said in Chinese. Nothing of the incoming mail reaches a header but its subject, on one line.
 *
 * @example
 * const result = await processUnsubscribeMail(raw, { stores, clock, unsubscribeKey, mailer, fromEmail, forwardTo });
 */
export async function processUnsubscribeMail(
  raw: Buffer,
  w: {
    stores: { recipients: RecipientRepo; suppressions: SuppressionRepo };
    clock: Clock;
    unsubscribeKey: string;
    mailer: Mailer;
    fromEmail: string;
    forwardTo: string;
    storedAt?: string;
  },
): Promise<UnsubscribeMailResult> {
  const mail = await parseInboundMail(raw, w.storedAt);
  return handleUnsubscribeMail(mail, {
    recipients: w.stores.recipients,
    suppressions: w.stores.suppressions,
    clock: w.clock,
    verify: (token) => verifyUnsubscribe(w.unsubscribeKey, token),
    forward: async (m, reason) => {
      const why = reason.includes("not valid")
        ? "邮件里的退订凭据无效（被改动或伪造），没有退订任何人"
        : "邮件里没有退订凭据（可能是有人直接写信到退订邮箱），没有退订任何人";
      const lines = [
        `退订邮箱收到一封邮件，未能自动处理：${why}。请人工查看，如对方确实要退订，请在后台“收件人”中把该地址设为“已退订”。`,
        "",
        `发件人：${m.from}`,
        `主题：${m.subject}`,
        ...(m.date ? [`时间：${m.date}`] : []),
        ...(m.storedAt ? [`原始邮件保存在：${m.storedAt}`] : []),
        "",
        "—— 原文 ——",
        m.text.slice(0, QUOTED_CHARS),
      ];
      await w.mailer.send({
        from: w.fromEmail,
        to: w.forwardTo,
        subject: headerLine(`【退订邮箱】未能自动处理的邮件：${m.subject || "（无主题）"}`),
        text: lines.join("\n"),
        html: `<pre style="white-space:pre-wrap;font-family:sans-serif">${escapeHtml(lines.join("\n"))}</pre>`,
        headers: [],
        tags: {},
      });
    },
  });
}
