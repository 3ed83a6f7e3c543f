import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { seededRandom } from "../testing/manual-clock.ts";
import { makeRecipients, SendWorld } from "../testing/send-world.ts";
import type { DeliveryStatus } from "./send-model.ts";
import { recoverStale } from "./send-controls.ts";
import { CrashingLedger, EVERYONE, expectConsistent } from "./send-pipeline.test-support.ts";

const SETTLED: readonly DeliveryStatus[] = ["sent", "failed", "unknown", "skipped"];

describe("exactly once, under any interleaving", () => {
  type Step =
    | { kind: "next" }
    | { kind: "dup"; pick: number }
    | { kind: "pair"; pick: number }
    | { kind: "crash"; at: number; sent: boolean }
    | { kind: "stale" };
  const step: fc.Arbitrary<Step> = fc.oneof(
    fc.constant({ kind: "next" as const }),
    fc.record({ kind: fc.constant("dup" as const), pick: fc.nat() }),
    fc.record({ kind: fc.constant("pair" as const), pick: fc.nat() }),
    fc.record({ kind: fc.constant("crash" as const), at: fc.integer({ min: 1, max: 40 }), sent: fc.boolean() }),
    fc.constant({ kind: "stale" as const }),
  );

  it("property: redeliveries, duplicates, concurrent senders and crashes never mail anyone twice", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(step, { maxLength: 25 }),
        fc.integer(),
        fc.double({ min: 0, max: 0.5, noNaN: true }),
        async (steps, seed, throttle) => {
          const deliveries = new CrashingLedger();
          const world = new SendWorld({
            recipients: makeRecipients(40),
            batchSize: 7,
            deliveries,
            mailer: { throttleFraction: throttle, random: seededRandom(seed), reject: ["r013@example.cn"] },
          });
          const send = await world.createSend(EVERYONE);
          await world.dispatch(send.id);
          const seen = [...world.queue.enqueued];
          const deliver = async (batch: (typeof seen)[number]) => {
            try {
              const { failedEmails } = await world.deliver(batch);
              if (failedEmails.length > 0) world.queue.redeliver({ sendId: batch.sendId, emails: failedEmails });
            } catch {
              world.queue.redeliver(batch); // the whole message comes back after a crash
            }
          };
          for (const s of steps) {
            if (s.kind === "next") {
              const b = world.queue.take();
              if (b) await deliver(b);
            } else if (s.kind === "dup") {
              await deliver(seen[s.pick % seen.length]!);
            } else if (s.kind === "pair") {
              const b = seen[s.pick % seen.length]!;
              await Promise.all([deliver(b), deliver(b)]);
            } else if (s.kind === "crash") {
              (s.sent ? deliveries.crashBeforeSentSettle : deliveries.crashAfterClaim).add(s.at);
            } else {
              world.clock.advance(20 * 60 * 1000);
              await recoverStale(send.id, world);
            }
          }
          // Then let the queue run dry, and close the unknown window.
          await world.runQueue();
          world.clock.advance(20 * 60 * 1000);
          await recoverStale(send.id, world);

          await expectConsistent(world, send.id);
          const all = deliveries.all(send.id);
          expect(all.length).toBe(40);
          expect(all.every((d) => SETTLED.includes(d.status))).toBe(true);
          // Only the rejected address fails (unless a crash left it in doubt first).
          for (const d of all.filter((x) => x.status === "failed")) expect(d.email).toBe("r013@example.cn");
          expect(["failed", "unknown"]).toContain(all.find((d) => d.email === "r013@example.cn")?.status);
          expect((await world.sends.get(send.id))?.status).toBe("finished");
        },
      ),
      { numRuns: 150 },
    );
  });
});
