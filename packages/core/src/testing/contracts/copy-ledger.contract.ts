import { describe, expect, it } from "vitest";
import type { Send } from "../../send/send-model.ts";
import type { CopyLedger, DeliveryLedger, SendRepo } from "../../send/send-ports.ts";
import { delivery } from "./delivery-ledger.contract.ts";

const T0 = "2025-05-20T08:00:00.000Z";
let issues = 0;

/**
 * The CopyLedger contract (one copy per person per issue), on the stores it reads: who got an issue
 * through a real send is "received", whose delivery ended unknown "maybe"; test sends and other
 * issues never count.
 */
export function copyLedgerContract(
  name: string,
  make: () => { sends: SendRepo; deliveries: DeliveryLedger; copies: CopyLedger },
) {
  describe(`${name}: the CopyLedger contract`, () => {
    it("received: sent, delivered or bounced in a real send; maybe: unknown or sending; received wins; test sends and other issues do not count", async () => {
      const { sends, deliveries, copies } = make();
      const issueId = `issue-${Date.now().toString(36)}-${++issues}`;
      const send = (id: string, over: Partial<Send> = {}): Send => ({
        id: `${issueId}-${id}`,
        issueId,
        status: "sending",
        tiers: ["report"],
        test: false,
        resend: false,
        createdAt: T0,
        total: 0,
        ...over,
      });
      const [first, second, test, other] = [
        send("first"),
        send("second"),
        send("test", { test: true }),
        send("other", { issueId: `${issueId}-x` }),
      ];
      for (const s of [first, second, test, other]) await sends.create(s);
      const emails = [
        "sent@x.cn",
        "unknown@x.cn",
        "both@x.cn",
        "failed@x.cn",
        "queued@x.cn",
        "test@x.cn",
        "other@x.cn",
        "sending@x.cn",
      ];
      await deliveries.add(emails.map((e) => delivery(first.id, e)));
      await deliveries.add([
        delivery(second.id, "both@x.cn"),
        delivery(test.id, "test@x.cn"),
        delivery(other.id, "other@x.cn"),
      ]);
      await deliveries.claim(
        first.id,
        "report",
        ["sent@x.cn", "unknown@x.cn", "both@x.cn", "failed@x.cn", "sending@x.cn"],
        T0,
      );
      await deliveries.claim(second.id, "report", ["both@x.cn"], T0);
      await deliveries.claim(test.id, "report", ["test@x.cn"], T0);
      await deliveries.claim(other.id, "report", ["other@x.cn"], T0);
      const settle = (id: string, email: string, to: "sent" | "unknown" | "failed") =>
        deliveries.settle(
          id,
          [{ email, tier: "report", to, fields: to === "sent" ? { sesMessageId: "m" } : { reason: "r" } }],
          T0,
        );
      await settle(first.id, "sent@x.cn", "sent");
      await settle(first.id, "unknown@x.cn", "unknown");
      await settle(first.id, "both@x.cn", "unknown");
      await settle(second.id, "both@x.cn", "sent");
      await settle(first.id, "failed@x.cn", "failed");
      await settle(test.id, "test@x.cn", "sent");
      await settle(other.id, "other@x.cn", "sent");
      const states = await copies.received(issueId, [...emails, "stranger@x.cn"]);
      expect(Object.fromEntries([...states].sort())).toEqual({
        "both@x.cn": "received",
        "sending@x.cn": "maybe",
        "sent@x.cn": "received",
        "unknown@x.cn": "maybe",
      });
      expect((await copies.received(issueId, [])).size).toBe(0);
    });
  });
}
