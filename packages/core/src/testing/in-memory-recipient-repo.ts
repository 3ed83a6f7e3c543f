import type { Recipient, RecipientPatch } from "../audience/recipient.ts";
import { pageAfter } from "./paging.ts";
import { ConflictError, InvalidInputError, NotFoundError } from "../errors/errors.ts";
import type { Clock } from "../clock.ts";
import type { Page } from "../paging.ts";
import type { RecipientQuery, RecipientRepo } from "../audience/recipient-repo.ts";

/**
 * A RecipientRepo in a Map, for tests and local runs. It keeps the port's contract as the DynamoDB
 * adapter does (conflict on create, not-found on update/delete, cursor paging) and copies records
 * in and out, so a test cannot pass by mutating an object the "store" still holds.
 *
 * @example
 * const repo = new InMemoryRecipientRepo([someRecipient]);
 * await repo.create({ ...someRecipient, email: "b@example.cn" });
 */
export class InMemoryRecipientRepo implements RecipientRepo {
  private readonly byEmail = new Map<string, Recipient>();

  constructor(initial: Iterable<Recipient> = []) {
    for (const r of initial) this.byEmail.set(r.email, { ...r });
  }

  async get(email: string): Promise<Recipient | null> {
    const found = this.byEmail.get(email);
    return found ? { ...found } : null;
  }

  async getMany(emails: readonly string[]): Promise<Map<string, Recipient>> {
    const result = new Map<string, Recipient>();
    for (const email of emails) {
      const found = this.byEmail.get(email);
      if (found) result.set(email, { ...found });
    }
    return result;
  }

  async create(recipient: Recipient): Promise<void> {
    if (this.byEmail.has(recipient.email)) {
      throw new ConflictError("recipient.exists", `${recipient.email} is already a recipient`);
    }
    this.byEmail.set(recipient.email, { ...recipient });
  }

  async update(email: string, patch: RecipientPatch, updatedAt: string): Promise<Recipient> {
    const found = this.byEmail.get(email);
    if (!found) throw new NotFoundError("recipient.not-found", `${email} is not a recipient`);
    // Only the patchable fields: a stray `email` or `createdAt` in the object must not rewrite identity.
    const { name, organization, tier, role, status } = { ...found, ...definedOnly(patch) };
    const next: Recipient = { ...found, name, organization, tier, role, status, updatedAt };
    this.byEmail.set(email, next);
    return { ...next };
  }

  async delete(email: string): Promise<void> {
    if (!this.byEmail.delete(email)) throw new NotFoundError("recipient.not-found", `${email} is not a recipient`);
  }

  async list(query: RecipientQuery = {}): Promise<Page<Recipient>> {
    const q = query.q === undefined ? undefined : asciiLower(query.q);
    const matching = [...this.byEmail.values()]
      .filter(
        (r) =>
          (query.tier === undefined || r.tier === query.tier) &&
          (query.status === undefined || r.status === query.status),
      )
      .filter((r) => q === undefined || [r.email, r.name, r.organization].some((f) => asciiLower(f).includes(q)))
      .sort((a, b) => (a.email < b.email ? -1 : a.email > b.email ? 1 : 0));
    const page = pageAfter(matching, (r) => r.email, query);
    return { ...page, items: page.items.map((r) => ({ ...r })) };
  }

  /** Every stored recipient, sorted by email: for assertions, not part of the port. */
  all(): Recipient[] {
    return [...this.byEmail.values()].sort((a, b) => (a.email < b.email ? -1 : 1)).map((r) => ({ ...r }));
  }
}

/**
 * A clock stopped at `iso`.
 *
 * @example
 * fixedClock("2025-05-20T08:00:00.000Z").now().toISOString(); // "2025-05-20T08:00:00.000Z"
 */
export function fixedClock(iso: string): Clock {
  const time = Date.parse(iso);
  if (Number.isNaN(time)) throw new InvalidInputError("clock.invalid", `not an ISO date: ${iso}`);
  return { now: () => new Date(time) };
}

function definedOnly(patch: RecipientPatch): RecipientPatch {
  return Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) as RecipientPatch;
}

/** The query matches case-insensitively for ASCII only, as the port documents (and DynamoDB can do). */
function asciiLower(s: string): string {
  return s.replace(/[A-Z]/g, (c) => c.toLowerCase());
}
