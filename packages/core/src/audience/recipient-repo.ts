import type { Tier } from "../issue/issue-schema.ts";
import type { Page, PageQuery } from "../paging.ts";
import type { Recipient, RecipientPatch, RecipientStatus } from "./recipient.ts";

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
