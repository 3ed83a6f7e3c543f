import type { DomainGroup } from "./domain-groups.ts";
import { MAX_BULK_DESTINATIONS } from "./send-ports.ts";

/**
 * Where a domain group's pace is kept, shared by every sender (all Lambda instances, or the local
 * process) and surviving their restarts: the group's theoretical arrival time, one number.
 */
export interface DomainPaceStore {
  /** When the group's next single send is due (ms since the epoch), or null if it never sent. */
  read(group: string): Promise<number | null>;
  /** Moves it from `from` to `to` if it is still `from` (a conditional write); false when another sender moved it first. */
  advance(group: string, from: number | null, to: number): Promise<boolean>;
}

/**
 * The most recipients of a group one call carries: 50, or half the group's limit when that is
 * smaller (a call of n counts n at once, and the limit has to hold however the window falls).
 *
 * @example
 * groupCallSize(3000); // 50
 * groupCallSize(10); // 5
 */
export function groupCallSize(limit: number): number {
  return Math.min(MAX_BULK_DESTINATIONS, Math.max(1, Math.floor(limit / 2)));
}

/**
 * How late after its reservation a group's call may still go on the wire: a hundredth of the window,
 * and at least 10 s (the claim, building the request and the account's pacing come in between). A
 * call not on the wire by then does not go (it is held back and tried again).
 */
export function groupDeadlineMs(group: Pick<DomainGroup, "windowMs">): number {
  return Math.max(10_000, group.windowMs / 100);
}

/**
 * The spacing per recipient that keeps every window within the limit. Calls carry up to n = callSize
 * recipients at one instant, and a call may go on the wire up to D (the deadline) after the moment it
 * was reserved at. A call of n is reserved no earlier than (n−1)·T after the group's last slot, so the
 * reservations of calls k < m in any window of length W lie within W + D of each other and carry at
 * most (W + D)/T recipients after the first call's n ≤ callSize: with T = (W + D)/(limit − callSize)
 * that is at most the limit. For a limit of 1, the one send must be a whole W + D from the next.
 *
 * @example
 * groupSpacingMs({ windowMs: 3_600_000 }, 3000); // ≈ 1232 ms: (3600 s + 36 s) / 2950
 */
export function groupSpacingMs(group: Pick<DomainGroup, "windowMs">, limit: number): number {
  const room = limit - groupCallSize(limit);
  const span = group.windowMs + groupDeadlineMs(group);
  return room >= 1 ? span / room : span + 1;
}

export type Reservation = { ok: true; deadline: number } | { ok: false; retryAt: number };

/** A slot booked ahead: the call goes on the wire in [at, deadline], or not at all. */
export type Booking = { ok: true; at: number; deadline: number } | { ok: false; retryAt: number };

/**
 * Paces the recipients of one domain group across every sender, so that no window of the limit's
 * length ever carries more than the limit to that group (BENCHMARKS.md measures it). A GCRA on one
 * shared number: a call of n may go once (n−1)·T have passed since the group's last slot, and then
 * takes the next slot (T from groupSpacingMs). It never sleeps: a call that would have to wait is
 * told when to come back, or books a slot ahead (`book`), so the sender holds back only that
 * group's recipients and mails everyone else meanwhile.
 *
 * @example
 * const pacer = new DomainPacer(store, { nowMs: () => Date.now() });
 * const r = await pacer.reserve(qq, 3000, 50); // { ok: true, deadline } or { ok: false, retryAt }
 */
export class DomainPacer {
  constructor(
    private readonly store: DomainPaceStore,
    private readonly clock: { nowMs(): number },
  ) {}

  /** When a call of n of the group could go (now or later), without taking anything. */
  async nextSlot(group: DomainGroup, limit: number, n: number): Promise<number> {
    const tat = await this.store.read(group.name);
    return this.slotAfter(tat, group, limit, n);
  }

  /**
   * Takes the group's slot for a call of n now, if it is free: the call must then be on the wire
   * before `deadline`. Otherwise says when it will be free.
   */
  async reserve(group: DomainGroup, limit: number, n: number): Promise<Reservation> {
    const r = await this.book(group, limit, n, 0);
    return r.ok ? { ok: true, deadline: r.deadline } : r;
  }

  /**
   * Books the group's next slot for a call of n, if it is at most `horizonMs` ahead: the call must
   * go on the wire no earlier than `at` and no later than `deadline`. Booking is what lets every
   * held-back call wait for a slot of its own: were they all told the same free moment, they would
   * come back together, one would win and the rest would be held again, round after round. A slot
   * that is never used is only lost capacity, never a window over the limit (the horizon bounds how
   * much a cancelled send can waste). Beyond the horizon: when booking opens (`retryAt`).
   */
  async book(group: DomainGroup, limit: number, n: number, horizonMs: number): Promise<Booking> {
    const spacing = groupSpacingMs(group, limit);
    for (let round = 0; round < 8; round++) {
      const tat = await this.store.read(group.name);
      const now = this.clock.nowMs();
      const at = this.slotAfter(tat, group, limit, n);
      if (at > now + horizonMs) return { ok: false, retryAt: at - horizonMs };
      if (await this.store.advance(group.name, tat, at + spacing))
        return { ok: true, at, deadline: at + groupDeadlineMs(group) };
    }
    // Other senders kept taking the slot: come back a moment later.
    return { ok: false, retryAt: this.clock.nowMs() + 1_000 };
  }

  private slotAfter(tat: number | null, group: DomainGroup, limit: number, n: number): number {
    const now = this.clock.nowMs();
    if (tat === null) return now;
    return Math.max(now, tat + (n - 1) * groupSpacingMs(group, limit));
  }
}

/**
 * A DomainPaceStore in memory, for one process's tests.
 *
 * @example
 * const pacer = new DomainPacer(new InMemoryDomainPaceStore(), clock);
 */
export class InMemoryDomainPaceStore implements DomainPaceStore {
  private readonly tats = new Map<string, number>();
  async read(group: string): Promise<number | null> {
    return this.tats.get(group) ?? null;
  }
  async advance(group: string, from: number | null, to: number): Promise<boolean> {
    if ((this.tats.get(group) ?? null) !== from) return false;
    this.tats.set(group, to);
    return true;
  }
}
