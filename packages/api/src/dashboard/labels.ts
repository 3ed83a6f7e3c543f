import {
  type DeliveryStatus,
  type ImportFormat,
  type Outcome,
  type RecipientStatus,
  type SendStatus,
  SKIP_REASONS,
  type SuppressionReason,
  type Tier,
} from "@bulletin/core";

// Every status the dashboard shows, in the secretariat's words. Records keep the English codes.

/** Delivery statuses, in the order the bars stack them: settled first, in flight last. */
export const DELIVERY_LABELS: Record<DeliveryStatus, string> = {
  delivered: "已送达",
  // SES accepted it; no delivery report yet (delivered, bounced, complained follow from SES's events).
  sent: "已发出待回执",
  bounced: "退信",
  complained: "投诉",
  failed: "失败",
  unknown: "未知",
  skipped: "跳过",
  sending: "发送中",
  queued: "排队",
};

/** Bar colours: green for good, red/purple for what hurts the sender's reputation, grey/blue for not sent (yet). */
export const DELIVERY_COLOURS: Record<DeliveryStatus, string> = {
  delivered: "#2e7d32",
  sent: "#81c784",
  bounced: "#c62828",
  complained: "#6a1b9a",
  failed: "#ef6c00",
  unknown: "#8d6e63",
  skipped: "#9e9e9e",
  sending: "#1e88e5",
  queued: "#bbdefb",
};

export const SEND_LABELS: Record<SendStatus, string> = {
  scheduled: "已计划",
  dispatching: "准备中",
  sending: "发送中",
  paused: "已暂停",
  finished: "已完成",
  cancelled: "已取消",
};

export const RECIPIENT_LABELS: Record<RecipientStatus, string> = {
  active: "正常",
  unsubscribed: "已退订",
  bounced: "退信",
  complained: "投诉",
};

export const SUPPRESSION_LABELS: Record<SuppressionReason, string> = {
  bounce: "退信",
  complaint: "投诉",
  unsubscribe: "退订",
  manual: "手动",
};

/** Why a send would skip someone (core's skip reasons and the recipient statuses); reasons.ts explains the rest. */
export const SKIP_LABELS: Record<string, string> = {
  active: "正常",
  unsubscribed: "已退订",
  bounced: "地址曾退信",
  complained: "曾投诉为垃圾邮件",
  [SKIP_REASONS.suppressed]: "在屏蔽名单上（曾退信、投诉或退订）",
  [SKIP_REASONS.alreadyReceived]: "已收到本期（不重复发送）",
  [SKIP_REASONS.maybeReceived]: "可能已收到本期（上次发送结果不明）",
  [SKIP_REASONS.notRecipient]: "不在收件人名单上",
};

/** The tier as the bulletin's footer names it, with the wording of the email. */
export const TIER_NAMES: Record<Tier, string> = { report: "报（报送）", distribute: "发", copy: "送（抄送）" };

export const ROLE_LABELS = { admin: "管理员", secretariat: "秘书处", viewer: "只读" } as const;

/** What became of a recipient in the report per organisation (core's OUTCOMES). */
export const OUTCOME_LABELS: Record<Outcome, string> = {
  delivered: "已送达",
  sent: "已发出待回执",
  bounced: "退信",
  complained: "投诉",
  failed: "失败",
  unsubscribed: "已退订",
  skipped: "跳过",
  unknown: "未知",
  pending: "待发送",
};

/** How an issue was imported. */
export const FORMAT_LABELS: Record<ImportFormat, string> = {
  pdf: "PDF 原件",
  text: "PDF 中复制的文本",
  markdown: "Markdown",
  json: "JSON",
};

/** The zone every time on the dashboard is shown in: in a column's header, or after an inline time. */
export const BEIJING = "北京时间";

/**
 * A stored ISO time as Beijing time, which is what the secretariat reads on its clocks: for a cell
 * under a header that says （北京时间）; inline, use beijingTimeLabelled.
 *
 * @example
 * beijingTime("2026-01-02T01:30:00.000Z"); // "2026-01-02 09:30"
 */
export function beijingTime(iso: string | undefined): string {
  if (!iso) return "";
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  return new Date(t + 8 * 3600_000).toISOString().slice(0, 16).replace("T", " ");
}

/**
 * A time in running text, with its zone.
 *
 * @example
 * beijingTimeLabelled("2026-01-02T01:30:00.000Z"); // "2026-01-02 09:30（北京时间）"
 */
export function beijingTimeLabelled(iso: string | undefined): string {
  return iso ? `${beijingTime(iso)}（${BEIJING}）` : "";
}

/**
 * A share as a percentage with enough digits to tell 0.1% from 0.
 *
 * @example
 * percent(0.00125); // "0.13%"
 */
export function percent(share: number): string {
  return `${(share * 100).toFixed(share < 0.01 ? 2 : 1)}%`;
}

/**
 * The risk of mailing the "maybe received" again, in the secretariat's words: shown beside the
 * option on the send form and on the audience page.
 */
export const MAYBE_RECEIVED_RISK =
  "“可能已收到”是指上次发送时邮件已交给发信服务、但未得到结果的收件人（例如发送中途服务中断）。他们很可能已经收到本期；默认不再发送。若勾选“也发给可能已收到的人”，他们可能会收到两份。";
