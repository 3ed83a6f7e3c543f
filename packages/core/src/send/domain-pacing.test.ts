import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ManualClock, seededRandom } from "../testing/manual-clock.ts";
import { makeRecipients, SendWorld } from "../testing/send-world.ts";
import { parseDomainRates, type DomainGroup } from "./domain-groups.ts";
import { type Booking, DomainPacer, groupCallSize, groupDeadlineMs, InMemoryDomainPaceStore } from "./domain-pacer.ts";

/** The most sends any window of `windowMs` (closed at both ends) holds. */
function busiestWindow(sends: { at: number; n: number }[], windowMs: number): number {
  const sorted = [...sends].sort((a, b) => a.at - b.at);
  let best = 0;
  for (let i = 0; i < sorted.length; i++) {
    let sum = 0;
    for (let j = i; j < sorted.length && sorted[j]!.at <= sorted[i]!.at + windowMs; j++) sum += sorted[j]!.n;
    best = Math.max(best, sum);
  }
  return best;
}

describe("domain groups", () => {
  it("reads DOMAIN_RATES: groups, limits per s/min/h/d, none; refuses what is wrong with the part named", () => {
    const groups = parseDomainRates("qq.com,foxmail.com,vip.qq.com=3000/h;163.com,126.com=100/min");
    expect(groups.map((g) => [g.name, g.limit, g.windowMs, g.rate])).toEqual([
      ["qq.com", 3000, 3_600_000, "3000/h"],
      ["163.com", 100, 60_000, "100/min"],
    ]);
    expect(parseDomainRates(undefined).map((g) => g.name)).toEqual(["qq.com", "163.com"]);
    expect(parseDomainRates("none")).toEqual([]);
    expect(() => parseDomainRates("qq.com=3000/week")).toThrow(/qq.com=3000\/week/);
    expect(() => parseDomainRates("qq.com=0/h")).toThrow(/at least 1/);
    expect(() => parseDomainRates("qq.com=1/h;qq.com=2/h")).toThrow(/two domain groups/);
  });
});

describe("DomainPacer", () => {
  /**
   * Calls of random sizes at random moments, each reaching the wire anywhere between its slot and
   * its deadline; `bookShare` of them booked ahead, the rest reserved for now.
   */
  const windowsHold = (bookShare: number) =>
    fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 400 }),
        fc.constantFrom(1_000, 60_000, 3_600_000),
        fc.integer({ min: 1, max: 10_000 }),
        async (limit, windowMs, seed) => {
          const random = seededRandom(seed);
          const clock = new ManualClock(0);
          const group: DomainGroup = { name: "qq.com", domains: ["qq.com"], limit, windowMs, rate: `${limit}` };
          const pacer = new DomainPacer(new InMemoryDomainPaceStore(), clock);
          const sends: { at: number; n: number }[] = [];
          for (let i = 0; i < 300; i++) {
            clock.advance(Math.floor(random() * (windowMs / 20)));
            const n = 1 + Math.floor(random() * groupCallSize(limit));
            // A call reserved now is booked for now.
            const r: Booking =
              random() < bookShare
                ? await pacer.book(group, limit, n, 900_000)
                : await pacer.reserve(group, limit, n).then((x) => (x.ok ? { ...x, at: clock.nowMs() } : x));
            if (r.ok) {
              expect(r.at).toBeGreaterThanOrEqual(clock.nowMs());
              sends.push({ at: r.at + Math.floor(random() * (r.deadline - r.at)), n });
            } else expect(r.retryAt).toBeGreaterThan(clock.nowMs());
          }
          expect(busiestWindow(sends, windowMs)).toBeLessThanOrEqual(limit);
        },
      ),
      { numRuns: 60 },
    );

  it("property: however calls are reserved and however late (within the deadline) they reach the wire, no window of the limit's length carries more than the limit", async () => {
    await windowsHold(0);
  });

  it("property: calls booked ahead, going on the wire anywhere between their slot and its deadline, mixed with calls reserved now, keep every window within the limit", async () => {
    await windowsHold(0.5);
  });

  it("books slots one after another, each a call's spacing later, and none beyond the horizon", async () => {
    const clock = new ManualClock(0);
    const [group] = parseDomainRates("qq.com=20/min");
    const pacer = new DomainPacer(new InMemoryDomainPaceStore(), clock);
    const slots: number[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await pacer.book(group!, 20, 10, 300_000);
      if (r.ok) slots.push(r.at);
    }
    // T = (60 s + 10 s) / (20 − 10) = 7 s a recipient: a call of 10 every 70 s, the first now.
    expect(slots).toEqual([0, 70_000, 140_000, 210_000, 280_000]);
    const beyond = await pacer.book(group!, 20, 10, 300_000);
    expect(beyond).toEqual({ ok: false, retryAt: 350_000 - 300_000 });
  });

  it("a group's deadline is a hundredth of its window, at least 10 s", () => {
    expect(groupDeadlineMs({ windowMs: 3_600_000 })).toBe(36_000);
    expect(groupDeadlineMs({ windowMs: 1_000 })).toBe(10_000);
  });
});

describe("a send to a QQ-heavy list", () => {
  it("keeps QQ within its limit while the rest go at the account's rate; held-back recipients come back later, nobody twice, nobody lost", async () => {
    const people = makeRecipients(120).map((r, i) =>
      i % 4 === 0 ? r : { ...r, email: r.email.replace("@example.cn", "@qq.com") },
    );
    const accepted: { email: string; at: number }[] = [];
    // When SES accepted each message, on the world's manual clock.
    const world: SendWorld = new SendWorld({
      recipients: people,
      ratePerSecond: 50,
      mailer: { onAccept: (e) => accepted.push({ email: e.to, at: world.clock.nowMs() }) },
    });
    const groups = parseDomainRates("qq.com,foxmail.com=20/min");
    const deps = {
      domainPacing: { groups, pacer: new DomainPacer(new InMemoryDomainPaceStore(), world.clock) },
      queue: world.queue,
      random: seededRandom(3),
    };
    const send = await world.createSend({ tiers: ["report", "distribute", "copy"], test: false, resend: false });
    await world.dispatch(send.id);
    // The queue with SQS's delays: a held-back message becomes visible only after its delay.
    const visibleAt: number[] = [];
    // How many messages each address came in: held back once at most, then back at its booked slot.
    const seen = new Map<string, number>();
    for (let handled = 0; handled < 2_000; handled++) {
      while (visibleAt.length < world.queue.enqueued.length)
        visibleAt.push(world.clock.nowMs() + world.queue.delays[visibleAt.length]! * 1000);
      const pending = world.queue.drain();
      if (pending.length === 0) break;
      const offset = world.queue.enqueued.length - pending.length;
      const order = pending.map((b, i) => ({ b, at: visibleAt[offset + i]! })).sort((x, y) => x.at - y.at);
      const [next, ...rest] = order;
      for (const r of rest) world.queue.redeliver(r.b);
      // Keep the positions of the rest in line with `enqueued` for the delays.
      visibleAt.splice(offset, pending.length, ...rest.map((r) => r.at));
      world.queue.enqueued.splice(offset, pending.length, ...rest.map((r) => r.b));
      world.queue.delays.splice(offset, pending.length, ...rest.map(() => 0));
      if (next!.at > world.clock.nowMs()) world.clock.advance(next!.at - world.clock.nowMs());
      for (const e of next!.b.emails) seen.set(e, (seen.get(e) ?? 0) + 1);
      const result = await world.deliver(next!.b, deps);
      if (result.failedEmails.length > 0)
        await world.queue.enqueue([{ sendId: next!.b.sendId, emails: result.failedEmails }]);
    }
    const qq = accepted.filter((a) => a.email.endsWith("@qq.com"));
    const others = accepted.filter((a) => !a.email.endsWith("@qq.com"));
    expect(qq).toHaveLength(90);
    expect(others).toHaveLength(30);
    expect(new Set(accepted.map((a) => a.email)).size).toBe(120);
    // Each held-back call booked its own slot and came back once, when it could go: no address was
    // held back twice (not a round of retries per slot, as when all were told the same free moment).
    expect(Math.max(...seen.values())).toBeLessThanOrEqual(2);
    expect(
      busiestWindow(
        qq.map((a) => ({ at: a.at, n: 1 })),
        60_000,
      ),
    ).toBeLessThanOrEqual(20);
    // The others were not held back by QQ: all mailed within the first seconds.
    expect(Math.max(...others.map((a) => a.at))).toBeLessThan(Date.parse("2025-05-20T08:00:05.000Z"));
    expect((await world.sends.get(send.id))?.status).toBe("finished");
    expect(await world.deliveries.totals(send.id)).toEqual(world.deliveries.recount(send.id));
  });
});
