import type { Recipient, RecipientPatch, RecipientStatus } from "../audience/recipient.ts";
import type { ImportFormat } from "../issue/import/import-result.ts";
import type { Issue, Masthead, Tier } from "../issue/issue-schema.ts";

/** One page of a listing; `cursor` is opaque and absent on the last page. */
export interface Page<T> {
  items: T[];
  cursor?: string;
}

/** The largest page every adapter serves; use-cases that read everything page at this size. */
export const MAX_PAGE_SIZE = 100;

export interface PageQuery {
  limit?: number;
  cursor?: string;
}

/** An issue as stored: the Issue plus what the service knows about it. */
export interface StoredIssue {
  id: string;
  /** Headline of the list: masthead title/number, or the first article's title. */
  label: string;
  format: ImportFormat;
  createdAt: string;
  /** When the secretariat marked it ready for the monthly send; absent when not ready. */
  readyAt?: string;
  /** When it was published on the public web archive (/archive); absent while not public. */
  publishedAt?: string;
  /** The PDF it was imported from, kept with it (FileStore, originalPdfKey); absent for text. */
  original?: { size: number };
  issue: Issue;
}
export type IssueSummary = Omit<StoredIssue, "issue"> & {
  articles: number;
  /** The issue's masthead (name, number, date), for the list; absent on issues stored before it was kept. */
  masthead?: Masthead;
};

/** Stored issues, newest first. */
export interface IssueRepo {
  create(issue: StoredIssue): Promise<void>;
  get(id: string): Promise<StoredIssue | null>;
  list(query?: PageQuery): Promise<Page<IssueSummary>>;
  /** Marks the issue ready for the monthly send (a time), or not ready (null). NotFoundError when absent. */
  setReady(id: string, readyAt: string | null): Promise<IssueSummary>;
  /** Publishes the issue on the public archive (a time), or withdraws it (null). NotFoundError when absent. */
  setPublished(id: string, publishedAt: string | null): Promise<IssueSummary>;
  /**
   * Replaces the issue's masthead (the Issue JSON's `masthead`) and its label, if the issue is still
   * `expected` (its JSON as read): ConflictError when it changed meanwhile, NotFoundError when absent.
   */
  setMasthead(id: string, expected: Issue, masthead: Masthead | undefined, label: string): Promise<IssueSummary>;
  /**
   * Replaces the issue's sections (e.g. its figures edited), if the issue is still `expected`:
   * ConflictError when it changed meanwhile, NotFoundError when absent.
   */
  setSections(id: string, expected: Issue, sections: Issue["sections"]): Promise<IssueSummary>;
}

export interface RecipientQuery extends PageQuery {
  tier?: Tier;
  status?: RecipientStatus;
  /** Matches email, name or organisation (substring, case-insensitive for ASCII). */
  q?: string;
}

/**
 * The recipients. `create` fails with ConflictError when the address exists; `update` and `delete`
 * with NotFoundError when it does not.
 */
export interface RecipientRepo {
  get(email: string): Promise<Recipient | null>;
  /** Up to any number of addresses; missing ones are absent from the result. */
  getMany(emails: readonly string[]): Promise<Map<string, Recipient>>;
  create(recipient: Recipient): Promise<void>;
  update(email: string, patch: RecipientPatch, updatedAt: string): Promise<Recipient>;
  delete(email: string): Promise<void>;
  list(query?: RecipientQuery): Promise<Page<Recipient>>;
}

export const ROLES = ["admin", "secretariat", "viewer"] as const;
export type Role = (typeof ROLES)[number];

/** An API token as stored: only the SHA-256 of the secret, never the secret. */
export interface StoredToken {
  hash: string;
  role: Role;
  label: string;
  createdAt: string;
  /** After this time the token (and every dashboard session made with it) is refused; absent: never. */
  expiresAt?: string;
  /** When it last authenticated a request (kept to the minute, see TOKEN_TOUCH_INTERVAL_MS). */
  lastUsedAt?: string;
}

export interface TokenRepo {
  create(token: StoredToken): Promise<void>;
  findByHash(hash: string): Promise<StoredToken | null>;
  /** True when at least one admin token exists (first start creates one otherwise). */
  hasAdmin(): Promise<boolean>;
  /** Every token, by role then creation time (there are a handful). */
  list(): Promise<StoredToken[]>;
  /** Deletes the token: it stops working at once. NotFoundError when it does not exist. */
  revoke(hash: string): Promise<void>;
  /** Records that the token was used at `at`; a token revoked meanwhile is left revoked. */
  touch(hash: string, at: string): Promise<void>;
}

/** The time, as the domain sees it; tests pass a fixed one. */
export interface Clock {
  now(): Date;
}
