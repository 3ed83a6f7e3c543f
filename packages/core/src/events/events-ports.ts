import type { Tier } from "../issue/issue-schema.ts";
import type { Delivery, DeliveryStatus } from "../send/send-model.ts";
import type { EngagementEventKind, EngagementSummary, EngageOutcome } from "./engagement-log.ts";
import type { Page, PageQuery } from "../paging.ts";

export const SUPPRESSION_REASONS = ["bounce", "complaint", "unsubscribe", "manual"] as const;
export type SuppressionReason = (typeof SUPPRESSION_REASONS)[number];

/** An address the bulletin must not write to, whatever its recipient record says (or if it has none). */
export interface SuppressionEntry {
  email: string;
  reason: SuppressionReason;
  /** For a bounce the subtype ("General", "NoEmail"), for a complaint the feedback type. */
  detail?: string;
  /** The send id and/or SES message id that caused it, when known. */
  source?: string;
  createdAt: string;
}

/** A lifted suppression: kept for good, so that "who let this address back in" has an answer. */
export interface SuppressionLift extends SuppressionEntry {
  liftedBy: string;
  liftedAt: string;
}

/**
 * The suppression list, and the run of consecutive soft bounces per address that can lead to it.
 * Suppression outlives a deleted recipient: a re-imported complainer stays suppressed.
 */
export interface SuppressionRepo {
  /** True when newly suppressed; an existing entry keeps its first reason. */
  suppress(entry: {
    email: string;
    reason: SuppressionReason;
    detail?: string;
    source?: string;
    at: string;
  }): Promise<boolean>;
  /** Removes the entry and logs who lifted it when. NotFoundError when the address is not suppressed. */
  lift(email: string, by: string, at: string): Promise<void>;
  suppressed(emails: readonly string[]): Promise<Set<string>>;
  list(query?: PageQuery): Promise<Page<SuppressionEntry>>;
  get(email: string): Promise<SuppressionEntry | null>;
  /** The lifts of one address, oldest first. */
  lifts(email: string): Promise<SuppressionLift[]>;
  /** One more soft (transient/undetermined) bounce in a row; returns the run's length. */
  noteSoftBounce(email: string, at: string): Promise<number>;
  /** A delivery arrived: the run of soft bounces is over. */
  clearSoftBounces(email: string): Promise<void>;
}

export type ApplyOutcome = "applied" | "duplicate" | "unmatched";
export type EngagementKind = EngagementEventKind;

/**
 * Engagement per tier: people's opens and clicks (events, and deliveries with at least one), and
 * apart, those made by link scanners (automated) and the canary clicks that revealed them.
 */
export type Engagement = EngagementSummary;

/**
 * Delivery changes from SES events, next to the DeliveryLedger (the DynamoDB and in-memory ledgers
 * implement both).
 */
export interface DeliveryEvents {
  /**
   * Moves the delivery to `to` if its current status is one of `from` (a conditional write; the
   * counters move exactly once). "duplicate": it is already there or beyond; "unmatched": no such
   * delivery, one with no message in flight (queued, skipped), or one whose SES message id is not
   * `messageId` (the event is about another message). A delivery with no message id yet ("unknown":
   * the sender died before recording it) takes the event's. Throws RetryableError while the
   * delivery is "sending": the sender has not settled it yet, so the event must come back later.
   */
  apply(
    sendId: string,
    email: string,
    to: DeliveryStatus,
    fields: { from: readonly DeliveryStatus[]; reason?: string; messageId?: string; at: string },
  ): Promise<ApplyOutcome>;
  /**
   * Records an open, click or canary click of one delivery, once per event id (engagement-log.ts):
   * the delivery's log and the counters change together, so a replay changes nothing and a canary
   * click moves the message's nearby opens and clicks from people's counts to the automated ones.
   */
  engage(
    sendId: string,
    email: string,
    event: { id: string; kind: EngagementKind; at: string },
  ): Promise<EngageOutcome | "unmatched">;
  engagement(sendId: string): Promise<Record<Tier, Engagement>>;
  /** The delivery SES gave this message id to (settled "sent" with it), or null. */
  findByMessageId(messageId: string): Promise<{ sendId: string; email: string } | null>;
  /** One delivery as stored, to say why an event found nothing to move. */
  find(sendId: string, email: string): Promise<Delivery | null>;
}
