import { MAX_PAGE_SIZE } from "../paging.ts";
import type { DeliveryStatus } from "./send-model.ts";
import type { CopyLedger, CopyState, DeliveryLedger, SendRepo } from "./send-ports.ts";

/** What a delivery of a real send says about its address and the issue. */
export const COPY_STATES: Partial<Record<DeliveryStatus, CopyState>> = {
  sent: "received",
  delivered: "received",
  bounced: "received",
  complained: "received",
  unknown: "maybe",
  sending: "maybe",
};

/**
 * The CopyLedger, read from the records themselves: an address "received" an issue when a real
 * (non-test) send of it has the address's delivery sent, delivered, bounced or complained, and
 * "maybe" when one is unknown (SES may have accepted it) or still on the wire; "received" wins.
 * A send's deliveries already say who got what, so no marker of its own is written, and a
 * settlement needs no second item per address in its transaction. Costs one listing of the issue's
 * sends (a dozen at most) and one read of the addresses per earlier send.
 *
 * @example
 * const copies = deliveryCopyLedger({ sends, deliveries });
 * (await copies.received("issue-1", ["a@example.cn"])).get("a@example.cn"); // "received"
 */
export function deliveryCopyLedger(deps: { sends: SendRepo; deliveries: Pick<DeliveryLedger, "getMany"> }): CopyLedger {
  return {
    async received(issueId, emails) {
      const out = new Map<string, CopyState>();
      if (emails.length === 0) return out;
      let cursor: string | undefined;
      do {
        const page = await deps.sends.listByIssue(issueId, { limit: MAX_PAGE_SIZE, ...(cursor ? { cursor } : {}) });
        for (const send of page.items) {
          if (send.test) continue;
          for (const d of await deps.deliveries.getMany(send.id, emails)) {
            const state = COPY_STATES[d.status];
            if (state && out.get(d.email) !== "received") out.set(d.email, state);
          }
        }
        cursor = page.cursor;
      } while (cursor);
      return out;
    },
  };
}
