import { ACCOUNT_PAUSE_PREFIX, QUOTA_PAUSE_REASON, type SuppressionEntry } from "@bulletin/core";
import { SKIP_LABELS } from "./labels.ts";

// Why something happened to a delivery, a send or an address, in the secretariat's words. Records
// keep what SES, the sender or the code said (English, SMTP codes): the dashboard explains it here,
// and keeps the raw code beside the explanation for whoever has to dig further.

/** RFC 3463 enhanced status codes (class.subject.detail): the detail first, then the subject. */
const ENHANCED: [RegExp, string][] = [
  [/^\d\.1\.1$/, "收件地址不存在"],
  [/^\d\.1\.2$/, "收件人的邮件域名不存在"],
  [/^\d\.1\.3$/, "收件地址格式错误"],
  [/^\d\.1\.6$/, "收件人已更换邮箱"],
  [/^\d\.1\.10$/, "收件人的域名不接收邮件"],
  [/^\d\.1\.\d+$/, "收件地址有问题"],
  [/^\d\.2\.1$/, "收件邮箱已停用"],
  [/^\d\.2\.2$/, "收件邮箱已满"],
  [/^\d\.2\.3$/, "邮件太大，超出收件邮箱的限制"],
  [/^\d\.2\.\d+$/, "收件邮箱暂时无法接收"],
  [/^\d\.3\.4$/, "邮件太大，对方邮件系统不接收"],
  [/^\d\.3\.\d+$/, "对方邮件系统出现故障"],
  [/^\d\.4\.7$/, "投递超时，对方一直没有接收"],
  [/^\d\.4\.\d+$/, "无法连接对方的邮件服务器"],
  [/^\d\.5\.\d+$/, "与对方邮件服务器的通信出错"],
  [/^\d\.7\.(?:23|25|26|27)$/, "对方认为发件域名的认证（SPF/DKIM/DMARC）不通过"],
  [/^\d\.7\.1$/, "被对方拒收（发件人被拦截，或被视为垃圾邮件）"],
  [/^\d\.7\.\d+$/, "被对方的安全策略拒收"],
];

/** Words some servers (QQ Mail, 163, Exchange) give without an enhanced code. */
const WORDS: [RegExp, string][] = [
  [
    /user unknown|unknown user|no such user|does not exist|not exist|not found|mailbox unavailable|invalid recipient|recipient rejected|no mailbox|用户不存在|不存在/i,
    "收件地址不存在",
  ],
  [/mailbox (?:is )?full|quota|over ?quota|storage|空间不足|已满/i, "收件邮箱已满"],
  [/spam|blocked|block list|blacklist|rbl|junk|垃圾/i, "被对方拒收（可能被视为垃圾邮件）"],
  [/disabled|inactive|suspended|deactivated|停用|冻结/i, "收件邮箱已停用"],
  [/too large|size|too big/i, "邮件太大，对方不接收"],
];

/** SES's bounce subtypes, for a bounce without an SMTP diagnostic. */
const BOUNCE_SUBTYPES: Record<string, string> = {
  General: "永久退信（对方没有说明原因）",
  NoEmail: "收件地址不存在",
  Suppressed: "该地址在 SES 的全局屏蔽名单上（此前曾退信）",
  OnAccountSuppressionList: "该地址在本账户的 SES 屏蔽名单上",
  MailboxFull: "收件邮箱已满",
  MessageTooLarge: "邮件太大，对方不接收",
  ContentRejected: "邮件内容被对方拒收",
  AttachmentRejected: "附件被对方拒收",
  Undetermined: "退信，原因无法确定",
};

/** A complaint's feedback type (what the recipient's mail service reported). */
const COMPLAINTS: Record<string, string> = {
  abuse: "收件人把邮件标记为垃圾邮件",
  fraud: "收件人举报为欺诈邮件",
  virus: "收件人报告邮件含病毒",
  "not-spam": "收件人标记为“不是垃圾邮件”",
  "auth-failure": "对方报告发件认证失败",
  other: "收件人投诉（未说明原因）",
};

/**
 * An SMTP diagnostic explained: enhanced status code (5.1.1 → 收件地址不存在), else the basic code
 * and the words; the raw code stays in brackets.
 *
 * @example
 * explainSmtp("smtp; 550 5.1.1 user unknown"); // "收件地址不存在（550 5.1.1）"
 * explainSmtp("smtp; 552 Mailbox full"); // "收件邮箱已满（552）"
 */
export function explainSmtp(diagnostic: string): string | undefined {
  const basic = /\b([245]\d\d)\b/.exec(diagnostic)?.[1];
  const enhanced = /\b([245]\.\d{1,3}\.\d{1,3})\b/.exec(diagnostic)?.[1];
  const code = [basic, enhanced].filter(Boolean).join(" ");
  const meaning =
    (enhanced && ENHANCED.find(([re]) => re.test(enhanced))?.[1]) ??
    WORDS.find(([re]) => re.test(diagnostic))?.[1] ??
    (basic?.startsWith("4") ? "对方暂时无法接收" : basic?.startsWith("5") ? "被对方邮件服务器拒绝" : undefined);
  return meaning && (code ? `${meaning}（${code}）` : meaning);
}

/**
 * Why a delivery was skipped, failed, bounced, complained or ended unknown, in Chinese, with the raw
 * code kept beside it; a reason nobody foresaw is shown as "其他原因" with its text.
 *
 * @example
 * explainReason("already received this issue"); // "已收到本期"
 * explainReason("smtp; 550 5.1.1 user unknown"); // "收件地址不存在（550 5.1.1）"
 */
export function explainReason(reason: string | undefined): string {
  if (!reason) return "";
  const r = reason.trim();
  if (Object.hasOwn(SKIP_LABELS, r)) return SKIP_LABELS[r]!;
  if (r.startsWith("invalid address")) return "邮箱地址无效";
  if (r.startsWith("throttled by receiver")) {
    const diagnostic = r.slice("throttled by receiver".length).replace(/^:\s*/, "");
    return `对方邮件服务器限制了发送频率（不是地址失效，不计入退信屏蔽）；可点“重试”重新发送${diagnostic ? `（${diagnostic.slice(0, 120)}）` : ""}`;
  }
  if (Object.hasOwn(COMPLAINTS, r)) return COMPLAINTS[r]!;
  if (r.startsWith("no answer from the sender"))
    return "发送程序没有回应（可能在发送时中断），邮件可能已发出，未自动重发";
  if (/may or may not have accepted/.test(r)) return `与 SES 的连接中断，邮件可能已发出，未自动重发（${rawCode(r)}）`;
  if (r.startsWith("unclassified error from the mailer")) return "发送时出现未知错误，邮件可能已发出，未自动重发";
  if (/^MessageRejected/i.test(r)) return `SES 拒绝发送这封邮件（MessageRejected）`;
  const bounce = /^(Permanent|Transient|Undetermined) bounce: (\w+)$/.exec(r);
  if (bounce) return `${BOUNCE_SUBTYPES[bounce[2]!] ?? "退信"}（${bounce[2]}）`;
  const smtp = explainSmtp(r);
  if (smtp) return smtp;
  return `其他原因（${r.slice(0, 200)}）`;
}

function rawCode(reason: string): string {
  return reason.split(":")[0]!.trim().slice(0, 40);
}

/**
 * Why a send is paused.
 *
 * @example
 * explainPause("paused by 王丽"); // "由 王丽 暂停"
 */
export function explainPause(reason: string | undefined): string {
  if (!reason) return "";
  const by = /^paused by (.+)$/.exec(reason);
  if (by) return `由 ${by[1]} 暂停`;
  if (reason.startsWith(QUOTA_PAUSE_REASON)) return "已达到 SES 每日发送上限，自动暂停；额度恢复后请点“恢复”";
  if (reason.startsWith(ACCOUNT_PAUSE_PREFIX))
    return `SES 暂停了本账户的发送，自动暂停（${reason.slice(ACCOUNT_PAUSE_PREFIX.length).slice(0, 120)}）`;
  return `其他原因（${reason.slice(0, 200)}）`;
}

/**
 * A suppression's detail (a bounce subtype, a complaint type, soft bounces in a row), in Chinese.
 *
 * @example
 * explainSuppressionDetail("General"); // "永久退信（对方没有说明原因）（General）"
 */
export function explainSuppressionDetail(detail: string | undefined): string {
  if (!detail) return "";
  if (Object.hasOwn(BOUNCE_SUBTYPES, detail)) return `${BOUNCE_SUBTYPES[detail]}（${detail}）`;
  if (Object.hasOwn(COMPLAINTS, detail)) return COMPLAINTS[detail]!;
  const soft = /^(\d+) soft bounces in a row \(last: (\w+)\)$/.exec(detail);
  if (soft) return `连续 ${soft[1]} 次临时退信（最近一次：${BOUNCE_SUBTYPES[soft[2]!] ?? soft[2]}）`;
  const by = /^added by (.+)$/.exec(detail);
  if (by) return `由 ${by[1]} 手动添加`;
  const send = /^send (\S+)$/.exec(detail);
  if (send) return `来自发送 ${send[1]!.slice(0, 8)} 的邮件`;
  return detail;
}

/**
 * Where a suppression came from: a one-click unsubscribe, an SES event of a send, an admin.
 *
 * @example
 * explainSource({ reason: "unsubscribe", source: "one-click unsubscribe" }); // "收件人一键退订"
 */
export function explainSource(entry: Pick<SuppressionEntry, "reason" | "source">): string {
  const source = entry.source;
  if (!source) return "";
  if (entry.reason === "manual") return `管理员（${source}）`;
  if (source === "one-click unsubscribe") return "收件人一键退订";
  if (source === "mailto unsubscribe") return "收件人发邮件退订（邮件客户端的“退订”按钮）";
  const event = /^([\w-]{8,}) ([\w-]{16,})$/.exec(source);
  if (event) return `SES 回执（发送 ${event[1]!.slice(0, 8)}）`;
  return source;
}
