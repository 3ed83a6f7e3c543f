import { ConflictError, NotFoundError } from "../errors/errors.ts";
import type { StoredToken, TokenRepo } from "../tokens/token-repo.ts";

/**
 * API tokens in memory, with the adapter's semantics: one token per hash, listed by role then
 * creation time, revoke and touch of a missing token as DynamoTokenRepo does them.
 *
 * @example
 * const tokens = new InMemoryTokenRepo([{ hash, role: "admin", label: "first", createdAt }]);
 */
export class InMemoryTokenRepo implements TokenRepo {
  private readonly byHash = new Map<string, StoredToken>();

  constructor(tokens: StoredToken[] = []) {
    for (const t of tokens) this.byHash.set(t.hash, { ...t });
  }

  async create(token: StoredToken): Promise<void> {
    if (this.byHash.has(token.hash)) throw new ConflictError("token.exists", "a token with this hash already exists");
    this.byHash.set(token.hash, { ...token });
  }

  async findByHash(hash: string): Promise<StoredToken | null> {
    const t = this.byHash.get(hash);
    return t ? { ...t } : null;
  }

  async hasAdmin(): Promise<boolean> {
    return [...this.byHash.values()].some((t) => t.role === "admin");
  }

  async list(): Promise<StoredToken[]> {
    const key = (t: StoredToken) => `${t.role}#${t.createdAt}#${t.hash}`;
    return [...this.byHash.values()].map((t) => ({ ...t })).sort((a, b) => (key(a) < key(b) ? -1 : 1));
  }

  async revoke(hash: string): Promise<void> {
    if (!this.byHash.delete(hash)) throw new NotFoundError("token.not-found", "no such token");
  }

  async touch(hash: string, at: string): Promise<void> {
    const t = this.byHash.get(hash);
    if (t) t.lastUsedAt = at;
  }
}
