import type { Page, PageQuery } from "../storage/ports.ts";
import type { Tier } from "../issue/issue-schema.ts";
import type { InlineImage } from "../render/renderer-port.ts";
import type { Delivery, DeliveryStatus, Send, SendBatch, SendStatus, Totals } from "./send-model.ts";

/** The statuses a claimed delivery can be settled to (queued releases it). */
export const SETTLE_STATUSES = ["sent", "failed", "unknown", "queued"] as const;
export type SettleStatus = (typeof SETTLE_STATUSES)[number];

export interface SettleFields {
  sesMessageId?: string;
  reason?: string;
  lastError?: string;
}

/** One claimed delivery's outcome, for DeliveryLedger.settleMany. */
export interface Settlement {
  email: string;
  to: SettleStatus;
  fields: SettleFields;
}

/** Sends. `transition` is a conditional write: ConflictError when the send is not in one of `from`. */
export interface SendRepo {
  create(send: Send): Promise<void>;
  get(id: string): Promise<Send | null>;
  transition(id: string, from: readonly SendStatus[], to: SendStatus, patch?: Partial<Pick<Send, "pauseReason" | "startedAt" | "finishedAt" | "total">>): Promise<Send>;
  listByIssue(issueId: string, query?: PageQuery): Promise<Page<Send>>;
  /** Scheduled sends whose time has come (scheduledAt ≤ now). */
  listDue(now: string): Promise<Send[]>;
}

/**
 * The delivery records of sends and their counters. Every status change is a conditional write on
 * the delivery's current status, and moves the counters of (send, tier) exactly once.
 */
export interface DeliveryLedger {
  /** Writes queued and skipped deliveries; an existing (send, email) is left as it is. Counts them. */
  add(deliveries: readonly Delivery[]): Promise<void>;
  get(sendId: string, email: string): Promise<Delivery | null>;
  /** queued → sending, attempts + 1, before the SES call. ConflictError when it is not queued. */
  claim(sendId: string, email: string, now: string): Promise<Delivery>;
  /** sending → to (sent | failed | unknown | queued to release it). ConflictError when not sending. */
  settle(sendId: string, email: string, to: SettleStatus, fields: SettleFields, now: string): Promise<void>;
  /**
   * claim for several addresses of one send at once (their counter updates shared): the ones this
   * caller now holds; an address someone else holds, or that is done, is simply not among them.
   */
  claimMany(sendId: string, emails: readonly string[], now: string): Promise<Delivery[]>;
  /**
   * settle for several claimed deliveries of one send at once (their counter updates shared).
   * Returns the addresses that were no longer "sending" (ConflictError for settle), not settled.
   */
  settleMany(sendId: string, settlements: readonly Settlement[], now: string): Promise<string[]>;
  /** failed → queued, for retry-failed; returns the addresses re-queued. Sent ones are never touched. */
  requeueFailed(sendId: string, now: string): Promise<string[]>;
  /** sending for longer than `olderThan` → unknown (a sender died between claim and settle). */
  markStale(sendId: string, olderThan: string, now: string): Promise<number>;
  list(sendId: string, query?: PageQuery & { status?: DeliveryStatus; tier?: Tier }): Promise<Page<Delivery>>;
  totals(sendId: string): Promise<{ totals: Totals; byTier: Record<Tier, Totals> }>;
}

/** Who already received an issue: one copy per person per issue. Test sends never mark. */
export interface CopyLedger {
  received(issueId: string, emails: readonly string[]): Promise<Set<string>>;
  markReceived(issueId: string, email: string, sendId: string, at: string): Promise<void>;
}

export interface OutgoingEmail {
  /** The From header's value: an address, or `name <address>` with the name encoded (fromHeader). */
  from: string;
  /** The Reply-To address, when replies go elsewhere than From. */
  replyTo?: string;
  to: string;
  subject: string;
  html: string;
  text: string;
  /** Extra headers (List-Unsubscribe, List-Unsubscribe-Post); names and values free of CR/LF. */
  headers: { name: string; value: string }[];
  /** Message tags, so SES events map back: issue, send, tier, recipient. */
  tags: Record<string, string>;
  configurationSet?: string;
  /** Pictures the HTML shows by cid: URL, carried as inline attachments. */
  attachments?: InlineImage[];
}

export interface SendQuota {
  maxSendRate: number;
  max24HourSend: number;
  sentLast24Hours: number;
}

export interface MailerSendOptions {
  /**
   * Awaited after the request is built and right before it goes on the wire (once per attempt: the
   * sender's SES clients make one attempt per call); if it throws, nothing is sent and the error is
   * the call's. The sender takes its rate token here, so the time
   * spent building a 60 KB request (and the event loop's other work meanwhile) does not turn into
   * jitter in when SES sees the calls: paced in the sender is then paced at SES.
   */
  ready?: () => Promise<void>;
}

/**
 * The Mailer port (SES v2). `send` throws MailError: "throttled" and "transient" are retried with
 * backoff; "rejected" fails that recipient; "account" (paused, sending disabled, quota) pauses the send.
 */
export interface Mailer {
  send(email: OutgoingEmail, options?: MailerSendOptions): Promise<{ messageId: string }>;
  /** The account's rate and daily quota, or null when SES does not say. */
  quota(): Promise<SendQuota | null>;
}

/** The send queue (SQS). */
export interface SendQueue {
  enqueue(batches: readonly SendBatch[]): Promise<void>;
}
