import type { Recipient, RecipientPatch } from "../audience/recipient.ts";
import { ConflictError, InvalidInputError, NotFoundError } from "../errors/errors.ts";
import type { Clock, Page, RecipientQuery, RecipientRepo } from "../storage/ports.ts";

/** Page size when the query gives none, and the most one page may hold. */
const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 1000;

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
    const limit = query.limit ?? DEFAULT_LIMIT;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
      throw new InvalidInputError("recipients.limit", `limit must be a whole number from 1 to ${MAX_LIMIT}`);
    }
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
    const q = query.q === undefined ? undefined : asciiLower(query.q);
    const matching = [...this.byEmail.values()]
      .filter((r) => after === undefined || r.email > after)
      .filter((r) => (query.tier === undefined || r.tier === query.tier) && (query.status === undefined || r.status === query.status))
      .filter((r) => q === undefined || [r.email, r.name, r.organization].some((f) => asciiLower(f).includes(q)))
      .sort((a, b) => (a.email < b.email ? -1 : a.email > b.email ? 1 : 0));
    const items = matching.slice(0, limit).map((r) => ({ ...r }));
    const last = items.at(-1);
    return matching.length > limit && last ? { items, cursor: encodeCursor(last.email) } : { items };
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

/**
 * The cursor is the last email of the page, base64url-encoded: opaque to clients, and stable while
 * recipients are added or removed between pages (paging goes on after that address).
 */
function encodeCursor(email: string): string {
  const bytes = new TextEncoder().encode(JSON.stringify({ after: email }));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function decodeCursor(cursor: string): string {
  try {
    const binary = atob(cursor.replace(/-/g, "+").replace(/_/g, "/"));
    const text = new TextDecoder("utf-8", { fatal: true }).decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
    const { after } = JSON.parse(text) as { after?: unknown };
    if (typeof after === "string") return after;
  } catch {
    // Fall through: any undecodable cursor is the caller's mistake, reported below.
  }
  throw new InvalidInputError("recipients.cursor", "the cursor is not one this service gave out");
}
