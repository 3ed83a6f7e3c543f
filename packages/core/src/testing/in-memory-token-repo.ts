import { ConflictError } from "../errors/errors.ts";
import type { StoredToken, TokenRepo } from "../storage/ports.ts";

/**
 * A TokenRepo in a Map, keyed by hash as the DynamoDB one is.
 *
 * @example
 * const tokens = new InMemoryTokenRepo();
 * await tokens.create({ hash, role: "admin", label: "first start", createdAt });
 */
export class InMemoryTokenRepo implements TokenRepo {
  private readonly byHash = new Map<string, StoredToken>();

  async create(token: StoredToken): Promise<void> {
    if (this.byHash.has(token.hash)) throw new ConflictError("token.exists", "a token with this hash exists");
    this.byHash.set(token.hash, { ...token });
  }

  async findByHash(hash: string): Promise<StoredToken | null> {
    const found = this.byHash.get(hash);
    return found ? { ...found } : null;
  }

  async hasAdmin(): Promise<boolean> {
    return [...this.byHash.values()].some((t) => t.role === "admin");
  }
}
