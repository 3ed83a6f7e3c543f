import type { Tier } from "../issue/issue-schema.ts";

/**
 * A send: one issue going out to chosen tiers (or chosen addresses). It moves
 * scheduled → dispatching → sending → finished, and may be paused (by a person, or by the service
 * when SES pauses the account or the daily quota is reached), resumed, or cancelled.
 */
export const SEND_STATUSES = ["scheduled", "dispatching", "sending", "paused", "finished", "cancelled"] as const;
export type SendStatus = (typeof SEND_STATUSES)[number];

/**
 * A delivery: one recipient of one send. queued → sending (claimed, right before its SES call) → sent,
 * then delivered / bounced / complained from SES events (issue 6). failed and skipped carry a reason.
 * unknown: SES may or may not have accepted it (a crash in between) — never resent automatically.
 */
export const DELIVERY_STATUSES = [
  "queued",
  "sending",
  "sent",
  "delivered",
  "bounced",
  "complained",
  "failed",
  "skipped",
  "unknown",
] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** What a person asks for (POST /api/issues/:id/sends). */
export interface SendRequest {
  /** Default: all three tiers. */
  tiers: Tier[];
  /** Only these addresses (a test send, or a deliberate re-send with `resend`). */
  only?: string[];
  /** A test send: only to `only`, marked 【测试】 in the subject, never counts as the real send. */
  test: boolean;
  /** With `only`: send even to addresses that already received this issue. */
  resend: boolean;
  /**
   * Also mail the "maybe received": addresses whose delivery of this issue ended unknown (SES may
   * have accepted it: a crash or a lost answer during the call). Off by default, since they may get
   * the issue twice; the dry run lists them apart.
   */
  includeMaybeReceived?: boolean;
  /** ISO 8601; absent = now. */
  scheduledAt?: string;
}

export interface Send extends SendRequest {
  id: string;
  issueId: string;
  status: SendStatus;
  /** Why the send is paused, in words for the secretariat. */
  pauseReason?: string;
  createdAt: string;
  startedAt?: string;
  finishedAt?: string;
  /** Recipients in the send (queued + skipped), known after dispatch. */
  total: number;
  /**
   * Domain groups whose receivers pushed back ("frequency limited") during this send: their limit
   * is halved for the rest of it (domain-groups.ts, receiver-pushback.ts).
   */
  throttledGroups?: string[];
}

export interface Delivery {
  sendId: string;
  email: string;
  tier: Tier;
  status: DeliveryStatus;
  /** Why skipped or failed: "unsubscribed", "already received this issue", "MessageRejected: …". */
  reason?: string;
  sesMessageId?: string;
  attempts: number;
  lastError?: string;
  createdAt: string;
  updatedAt: string;
}

export type Totals = Record<DeliveryStatus, number>;

/** GET /api/sends/:id: the send and its counts, from counters (never a scan). */
export interface SendProgress {
  send: Send;
  totals: Totals;
  byTier: Record<Tier, Totals>;
  /** Emails sent per second over the last minute. */
  rate: number;
}

/** One message of the send queue: a batch of addresses of one send. */
export interface SendBatch {
  sendId: string;
  emails: string[];
  /**
   * A slot booked for these addresses (all of one domain group, one call): they go on the wire
   * between `at` and the group's deadline after it (ms since the epoch), without asking the pacer again.
   */
  slot?: { group: string; at: number };
}

/**
 * @example
 * emptyTotals().sent; // 0
 */
export function emptyTotals(): Totals {
  return { queued: 0, sending: 0, sent: 0, delivered: 0, bounced: 0, complained: 0, failed: 0, skipped: 0, unknown: 0 };
}
