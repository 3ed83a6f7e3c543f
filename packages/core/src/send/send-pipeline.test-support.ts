import { expect } from "vitest";
import { TIERS } from "../issue/issue-schema.ts";
import { InMemoryDeliveryLedger } from "../testing/in-memory-delivery-ledger.ts";
import type { SendWorld } from "../testing/send-world.ts";
import type { SendRequest } from "./send-model.ts";
import type { DeliveryLedger } from "./send-ports.ts";

// What the send-pipeline tests (send-pipeline-*.test.ts) share: the request, the invariants of a run,
// and a ledger that crashes the sender on cue.

export const EVERYONE: SendRequest = { tiers: [...TIERS], test: false, resend: false };

/** The invariants of any run: counters agree with the records, and nobody got two copies. */
export async function expectConsistent(world: SendWorld, sendId: string) {
  expect(await world.deliveries.totals(sendId)).toEqual(world.deliveries.recount(sendId));
  const mailed = world.mailer.sent.map((s) => s.email.to);
  expect(new Set(mailed).size).toBe(mailed.length);
  for (const d of world.deliveries.all(sendId)) {
    // Whoever was mailed is recorded as sent, or as unknown when the sender died before saying so.
    if (mailed.includes(d.email)) expect(["sent", "unknown"]).toContain(d.status);
    if (d.status === "sent") expect(world.mailer.sentTo(d.email)).toBe(1);
  }
}

/** A ledger that "crashes" the sender (throws, and nothing after it runs) at chosen calls. */
export class CrashingLedger extends InMemoryDeliveryLedger {
  /** Crash right after the n-th successful claim (1-based): claimed, never sent. */
  crashAfterClaim = new Set<number>();
  /** Crash instead of the n-th settle to "sent": SES accepted it, the ledger never heard. */
  crashBeforeSentSettle = new Set<number>();
  private claims = 0;
  private sentSettles = 0;

  override async claim(...args: Parameters<DeliveryLedger["claim"]>) {
    const held = await super.claim(...args);
    if (held.length > 0 && this.crashAfterClaim.has(++this.claims))
      throw new Error(`crash after claiming ${held.length}`);
    return held;
  }

  override async settle(...args: Parameters<DeliveryLedger["settle"]>) {
    if (args[1].some((s) => s.to === "sent") && this.crashBeforeSentSettle.has(++this.sentSettles))
      throw new Error(`crash before settling ${args[1].length}`);
    return super.settle(...args);
  }
}
