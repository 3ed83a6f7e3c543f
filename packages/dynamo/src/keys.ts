/**
 * Key patterns of the single table, in one place so that docs/data-model.md and the code cannot
 * drift apart silently. Only the entities implemented so far have builders here; the doc lists all.
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
