import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * Signed unsubscribe tokens, bound to a recipient and a send: base64url("sendId\nemail") + "." +
 * HMAC-SHA256 of it under the service's key. A tampered token fails verification and changes nothing.
 *
 * @example
 * const token = signUnsubscribe(key, "send-1", "a@example.com");
 * verifyUnsubscribe(key, token); // { sendId: "send-1", email: "a@example.com" }
 */
export function signUnsubscribe(key: string, sendId: string, email: string): string {
  const payload = Buffer.from(`${sendId}\n${email}`, "utf8").toString("base64url");
  return `${payload}.${mac(key, payload)}`;
}

/** The send and address a token was made for, or null when it was not made with this key. */
export function verifyUnsubscribe(key: string, token: string): { sendId: string; email: string } | null {
  const [payload, signature, extra] = token.split(".");
  if (!payload || !signature || extra !== undefined) return null;
  const expected = Buffer.from(mac(key, payload));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  const [sendId, email, rest] = Buffer.from(payload, "base64url").toString("utf8").split("\n");
  return sendId && email && rest === undefined ? { sendId, email } : null;
}

function mac(key: string, payload: string): string {
  return createHmac("sha256", key).update(payload).digest("base64url");
}

/**
 * The per-recipient links of an email: the one-click unsubscribe URL (also used in the
 * List-Unsubscribe header) and the web version of the issue.
 *
 * @example
 * recipientLinks({ publicUrl, unsubscribeKey }, "send-1", "issue-1", "a@example.com").unsubscribeUrl;
 */
export function recipientLinks(
  cfg: { publicUrl: string; unsubscribeKey: string },
  sendId: string,
  issueId: string,
  email: string,
) {
  const unsubscribeToken = signUnsubscribe(cfg.unsubscribeKey, sendId, email);
  return {
    unsubscribeUrl: `${cfg.publicUrl}/u/${unsubscribeToken}`,
    viewOnlineUrl: `${cfg.publicUrl}/archive/${encodeURIComponent(issueId)}`,
    // The List-Unsubscribe mailto carries it in its subject: a mail to that address proves who asked.
    unsubscribeToken,
  };
}

/** What the message settings are made of: read from each deployable's configuration. */
export interface MessageConfig {
  publicUrl: string;
  unsubscribeKey: string;
  fromEmail: string;
  unsubscribeMailto: string;
  configurationSet: string;
}

/**
 * The message settings of the sender (ProcessBatchDeps), the same for every deployable: From, the
 * List-Unsubscribe mailbox, the configuration set, and each recipient's signed links.
 *
 * @example
 * processBatch(batch, { ...stores, mailer, bucket, sleep, clock, ...messageSettings(config) });
 */
export function messageSettings(cfg: MessageConfig) {
  return {
    from: cfg.fromEmail,
    unsubscribeMailto: cfg.unsubscribeMailto,
    configurationSet: cfg.configurationSet,
    links: (sendId: string, email: string, _tier: string, issueId: string) =>
      recipientLinks(cfg, sendId, issueId, email),
  };
}
