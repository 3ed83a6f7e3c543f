import type { Page, PageQuery } from "../paging.ts";
import type { Tier } from "../issue/issue-schema.ts";
import type { InlineImage } from "../render/renderer-port.ts";
import type { EmailTemplate } from "../render/renderer-port.ts";
import type { MailError } from "./mail-error.ts";
import type { Delivery, DeliveryStatus, Send, SendBatch, SendStatus, Totals } from "./send-model.ts";

/** The statuses a claimed delivery can be settled to (queued releases it). */
export const SETTLE_STATUSES = ["sent", "failed", "unknown", "queued"] as const;
export type SettleStatus = (typeof SETTLE_STATUSES)[number];

export interface SettleFields {
  sesMessageId?: string;
  reason?: string;
  lastError?: string;
}

/** One claimed delivery's outcome, for DeliveryLedger.settle. */
export interface Settlement {
  email: string;
  tier: Tier;
  to: SettleStatus;
  fields: SettleFields;
}

/** Sends. `transition` is a conditional write: ConflictError when the send is not in one of `from`. */
export interface SendRepo {
  create(send: Send): Promise<void>;
  get(id: string): Promise<Send | null>;
  transition(
    id: string,
    from: readonly SendStatus[],
    to: SendStatus,
    patch?: Partial<Pick<Send, "pauseReason" | "startedAt" | "finishedAt" | "total">>,
  ): Promise<Send>;
  listByIssue(issueId: string, query?: PageQuery): Promise<Page<Send>>;
  /** Scheduled sends whose time has come (scheduledAt ≤ now). */
  listDue(now: string): Promise<Send[]>;
  /** A receiver of `group` pushed back: the group's limit is halved for the rest of the send (once). */
  noteReceiverPushback(id: string, group: string): Promise<void>;
}

/**
 * The delivery records of sends and their counters. Every status change is a conditional write on
 * the delivery's current status and moves the counters of (send, tier) in the same atomic step (a
 * transaction on DynamoDB), so the counters always equal the records. Changes to a chunk of
 * deliveries are one step each: a delivery that is not in the expected status (someone else holds
 * it, it is done) is left out of the chunk, and the rest go ahead.
 */
export interface DeliveryLedger {
  /** Writes queued and skipped deliveries; an existing (send, email) is left as it is. Counts them. */
  add(deliveries: readonly Delivery[]): Promise<void>;
  /** The deliveries of these addresses in a send, as stored now (consistent); missing ones are absent. */
  getMany(sendId: string, emails: readonly string[]): Promise<Delivery[]>;
  /**
   * queued → sending (attempts + 1) for up to 50 addresses of one tier, right before their SES call:
   * the addresses this caller now holds. One someone else holds, that is done, or that is not of
   * `tier` is simply not among them.
   */
  claim(sendId: string, tier: Tier, emails: readonly string[], now: string): Promise<string[]>;
  /**
   * sending → to (sent | failed | unknown | queued to release it), for claimed deliveries of one send.
   * Returns the addresses that were no longer "sending" (left as they are).
   */
  settle(sendId: string, settlements: readonly Settlement[], now: string): Promise<string[]>;
  /** failed → queued, for retry-failed; returns the addresses re-queued. Sent ones are never touched. */
  requeueFailed(sendId: string, now: string): Promise<string[]>;
  /** sending since before `olderThan` → unknown (a sender died during its SES call). */
  markStale(sendId: string, olderThan: string, now: string): Promise<number>;
  list(sendId: string, query?: PageQuery & { status?: DeliveryStatus; tier?: Tier }): Promise<Page<Delivery>>;
  totals(sendId: string): Promise<{ totals: Totals; byTier: Record<Tier, Totals> }>;
  /** The queued deliveries of each domain group (DOMAIN_RATES): those waiting for the group's pace. */
  queuedByGroup(sendId: string): Promise<Record<string, number>>;
}

/** What a later send knows of an address and an issue: it certainly got it, or it may have. */
export type CopyState = "received" | "maybe";

/**
 * Who already received an issue: one copy per person per issue. Read from the deliveries of the
 * issue's real (non-test) sends: sent, delivered, bounced or complained is "received"; unknown (SES
 * may have accepted it) or still sending is "maybe". Addresses with neither are absent.
 */
export interface CopyLedger {
  received(issueId: string, emails: readonly string[]): Promise<Map<string, CopyState>>;
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

/** One destination of a bulk call: its own slot values, headers (List-Unsubscribe) and tags. */
export interface BulkEntry {
  to: string;
  values: Record<string, string>;
  headers: { name: string; value: string }[];
  tags: Record<string, string>;
}

/** One call for up to 50 recipients of the same (issue, tier): the template once, an entry per recipient. */
export interface BulkEmail extends EmailTemplate {
  /** The From header: an address, or a display name (RFC 2047 encoded) and the address. */
  from: string;
  replyTo?: string;
  configurationSet?: string;
  entries: BulkEntry[];
}

/** What SES said about one entry of a bulk call, in the entries' order. */
export type BulkEntryResult = { to: string; messageId: string } | { to: string; error: MailError };

/** The most destinations SES takes in one SendBulkEmail call. */
export const MAX_BULK_DESTINATIONS = 50;

export interface SendQuota {
  maxSendRate: number;
  max24HourSend: number;
  sentLast24Hours: number;
}

export interface MailerSendOptions {
  /**
   * Awaited after the request is built and right before it goes on the wire (once per attempt: the
   * sender's SES clients make one attempt per call); if it throws, nothing is sent and the error is
   * the call's. The sender's bucket admits the call here (`admit(n)`), so the time spent claiming
   * the recipients and building the request (and the event loop's other work meanwhile) does not
   * turn into jitter in when SES sees the calls: paced in the sender is then paced at SES.
   */
  ready?: () => Promise<void>;
}

/**
 * The Mailer port (SES v2). `send` throws MailError: "throttled" and "transient" are retried with
 * backoff; "rejected" fails that recipient; "account" (paused, sending disabled, quota) pauses the send.
 * A reset or timeout after the request may have reached SES is an AmbiguousSendError.
 */
export interface Mailer {
  send(email: OutgoingEmail, options?: MailerSendOptions): Promise<{ messageId: string }>;
  /**
   * One call for up to 50 recipients (SendBulkEmail): a result per entry, in order. Whole-call
   * failures throw as `send` does. Template syntax in the email's text can never act as such: the
   * adapter makes every character of it literal.
   */
  sendBulk(email: BulkEmail, options?: MailerSendOptions): Promise<BulkEntryResult[]>;
  /** The account's rate and daily quota, or null when SES does not say. */
  quota(): Promise<SendQuota | null>;
}

/** The send queue (SQS). */
export interface SendQueue {
  /** `delaySeconds` (0 to 900): the messages become visible that much later (SQS DelaySeconds). */
  enqueue(batches: readonly SendBatch[], options?: { delaySeconds?: number }): Promise<void>;
}
