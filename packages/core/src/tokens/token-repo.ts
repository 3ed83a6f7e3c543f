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
