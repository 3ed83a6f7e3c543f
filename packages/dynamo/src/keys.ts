/**
 * Key patterns of the single table, in one place so that docs/data-model.md and the code cannot
 * drift apart silently: every entity the doc lists has its builder here.
 */
import type { RecipientStatus, Role, Tier } from "@bulletin/core";

export type Key = { pk: string; sk: string };

/** The attributes that make up an ExclusiveStartKey / LastEvaluatedKey for each place we query. */
export const KEY_ATTRIBUTES = {
  table: ["pk", "sk"],
  gsi1: ["pk", "sk", "gsi1pk", "gsi1sk"],
  gsi2: ["pk", "sk", "gsi2pk", "gsi2sk"],
} as const;
export type QueryTarget = keyof typeof KEY_ATTRIBUTES;

export const issueKeys = {
  item: (id: string): Key => ({ pk: `ISSUE#${id}`, sk: "ISSUE" }),
  /** gsi1: every issue in one small partition, sorted by creation time (ISO 8601 sorts as text). */
  list: (createdAt: string, id: string) => ({ gsi1pk: "ISSUES", gsi1sk: `${createdAt}#${id}` }),
  listPartition: "ISSUES",
};

export const recipientKeys = {
  /** Everything about one address (recipient, suppression) shares the EMAIL# partition. */
  item: (email: string): Key => ({ pk: `EMAIL#${email}`, sk: "RECIPIENT" }),
  /** gsi1: the audience of a send is one Query: TIER#<tier>, begins_with(gsi1sk, "active#"). */
  byTier: (tier: Tier, status: RecipientStatus, email: string) => ({
    gsi1pk: recipientKeys.tierPartition(tier),
    gsi1sk: `${status}#${email}`,
  }),
  tierPartition: (tier: Tier): string => `TIER#${tier}`,
  statusPrefix: (status: RecipientStatus): string => `${status}#`,
  /** gsi2: all recipients by address, for the admin list and search. */
  all: (email: string) => ({ gsi2pk: "RECIPIENTS", gsi2sk: email }),
  allPartition: "RECIPIENTS",
};

export const tokenKeys = {
  item: (hash: string): Key => ({ pk: `TOKEN#${hash}`, sk: "TOKEN" }),
  /** gsi1: all tokens grouped by role, so "is there an admin" is a Query with Limit 1. */
  byRole: (role: Role, createdAt: string, hash: string) => ({
    gsi1pk: "TOKENS",
    gsi1sk: `${role}#${createdAt}#${hash}`,
  }),
  rolePartition: "TOKENS",
  rolePrefix: (role: Role): string => `${role}#`,
};

export const sendKeys = {
  item: (id: string): Key => ({ pk: `SEND#${id}`, sk: "SEND" }),
  /** gsi1: the sends of one issue, newest first by creation time. */
  byIssue: (issueId: string, createdAt: string, id: string) => ({
    gsi1pk: sendKeys.issuePartition(issueId),
    gsi1sk: `${createdAt}#${id}`,
  }),
  issuePartition: (issueId: string): string => `SENDS#${issueId}`,
  /**
   * gsi2, sparse: only a send whose status is "scheduled" carries gsi2pk, so listDue is one Query
   * over the few waiting sends. gsi2sk stays on the item for good, so that leaving and re-entering
   * "scheduled" only has to REMOVE or SET gsi2pk.
   */
  scheduledPartition: "SCHEDULED",
  dueSortKey: (scheduledAt: string, id: string): string => `${scheduledAt}#${id}`,
};

export const deliveryKeys = {
  item: (sendId: string, email: string): Key => ({ pk: `SEND#${sendId}`, sk: `DLV#${email}` }),
  prefix: "DLV#",
  /**
   * gsi1: the deliveries of a send in one status, by tier then address. gsi1pk is rewritten by every
   * transition (in the same UpdateItem), so "the queued ones" or "the failed report ones" is a Query.
   */
  byStatus: (sendId: string, status: string, tier: string, email: string) => ({
    gsi1pk: deliveryKeys.statusPartition(sendId, status),
    gsi1sk: `${tier}#${email}`,
  }),
  statusPartition: (sendId: string, status: string): string => `DELIVERIES#${status}#${sendId}`,
  /**
   * gsi2, sparse: a delivery SES gave a message id carries `gsi2pk = MSG#<id>` (written with the id,
   * in the same update), so an event without tags finds its delivery by one Query.
   */
  byMessageId: (messageId: string) => ({ gsi2pk: deliveryKeys.messagePartition(messageId), gsi2sk: "DLV" }),
  messagePartition: (messageId: string): string => `MSG#${messageId}`,
};

export const counterKeys = {
  item: (sendId: string, tier: string): Key => ({ pk: `SEND#${sendId}`, sk: `COUNT#${tier}` }),
  prefix: "COUNT#",
};

export const suppressionKeys = {
  /** Beside the recipient under EMAIL#, so one BatchGetItem answers "who is this, may we write". */
  item: (email: string): Key => ({ pk: `EMAIL#${email}`, sk: "SUPPRESSION" }),
  /** gsi2: every suppressed address, by address, for the admin list. */
  all: (email: string) => ({ gsi2pk: "SUPPRESSIONS", gsi2sk: email }),
  allPartition: "SUPPRESSIONS",
  /** A lifted suppression, kept for good: who let the address back in, and when. */
  lift: (email: string, liftedAt: string): Key => ({ pk: `EMAIL#${email}`, sk: `LIFT#${liftedAt}` }),
  liftPrefix: "LIFT#",
  /** The run of consecutive soft bounces of an address. */
  softBounces: (email: string): Key => ({ pk: `EMAIL#${email}`, sk: "SOFTBOUNCE" }),
};

export const settingsKeys = {
  /** The association's settings: one item, read by every render (cached), written from the 设置 page. */
  item: (): Key => ({ pk: "SETTINGS", sk: "SETTINGS" }),
};

export const paceKeys = {
  /** One item per domain group: when its next send is due (the per-domain pacing, shared by every sender). */
  item: (group: string): Key => ({ pk: `PACE#${group}`, sk: "PACE" }),
};
