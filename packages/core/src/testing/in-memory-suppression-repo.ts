import { NotFoundError } from "../errors/errors.ts";
import type { SuppressionEntry, SuppressionLift, SuppressionReason, SuppressionRepo } from "../events/events-ports.ts";
import type { Page, PageQuery } from "../paging.ts";
import { pageAfter } from "./paging.ts";

/**
 * The suppression list in memory, with the adapter's semantics: the first reason wins, a lift is
 * logged, listing is by address with cursors.
 *
 * @example
 * const s = new InMemorySuppressionRepo();
 * await s.suppress({ email: "a@example.cn", reason: "bounce", at }); // true; again → false
 */
export class InMemorySuppressionRepo implements SuppressionRepo {
  private readonly entries = new Map<string, SuppressionEntry>();
  private readonly lifted: SuppressionLift[] = [];
  private readonly softBounces = new Map<string, number>();

  async suppress(e: {
    email: string;
    reason: SuppressionReason;
    detail?: string;
    source?: string;
    at: string;
  }): Promise<boolean> {
    if (this.entries.has(e.email)) return false;
    const entry: SuppressionEntry = { email: e.email, reason: e.reason, createdAt: e.at };
    if (e.detail !== undefined) entry.detail = e.detail;
    if (e.source !== undefined) entry.source = e.source;
    this.entries.set(e.email, entry);
    return true;
  }

  async lift(email: string, by: string, at: string): Promise<void> {
    const entry = this.entries.get(email);
    if (!entry) throw new NotFoundError("suppression.not-found", `${email} is not suppressed`);
    this.lifted.push({ ...entry, liftedBy: by, liftedAt: at });
    this.entries.delete(email);
  }

  async suppressed(emails: readonly string[]): Promise<Set<string>> {
    return new Set(emails.filter((e) => this.entries.has(e)));
  }

  async list(query: PageQuery = {}): Promise<Page<SuppressionEntry>> {
    const sorted = [...this.entries.values()].sort((a, b) => (a.email < b.email ? -1 : 1));
    const page = pageAfter(sorted, (e) => e.email, query);
    return { ...page, items: page.items.map((e) => ({ ...e })) };
  }

  async get(email: string): Promise<SuppressionEntry | null> {
    const e = this.entries.get(email);
    return e ? { ...e } : null;
  }

  async lifts(email: string): Promise<SuppressionLift[]> {
    return this.lifted.filter((l) => l.email === email).map((l) => ({ ...l }));
  }

  async noteSoftBounce(email: string, _at: string): Promise<number> {
    const n = (this.softBounces.get(email) ?? 0) + 1;
    this.softBounces.set(email, n);
    return n;
  }

  async clearSoftBounces(email: string): Promise<void> {
    this.softBounces.delete(email);
  }
}
