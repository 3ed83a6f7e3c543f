import { describe, expect, it } from "vitest";
import { DELIVERY_STATUSES, type DeliveryStatus } from "../send/send-model.ts";
import { STATUS_RANK, isBusy, nextStatus, sourceStatuses } from "./delivery-events.ts";
import type { SesEvent } from "./ses-event.ts";

type Ev = Pick<SesEvent, "type" | "bounce">;
const delivery: Ev = { type: "Delivery" };
const hard: Ev = { type: "Bounce", bounce: { type: "Permanent", subType: "General" } };
const soft: Ev = { type: "Bounce", bounce: { type: "Transient", subType: "MailboxFull" } };
const complaint: Ev = { type: "Complaint" };
const send: Ev = { type: "Send" };
const reject: Ev = { type: "Reject" };

describe("nextStatus", () => {
  const table: [DeliveryStatus, Ev, DeliveryStatus | null][] = [
    ["sent", delivery, "delivered"],
    ["unknown", delivery, "delivered"], // the event resolves the unknown window
    ["unknown", send, "sent"],
    ["sent", send, null], // Send only confirms what settle recorded
    ["sent", hard, "bounced"],
    ["delivered", hard, "bounced"], // an asynchronous bounce after acceptance
    ["sent", soft, "bounced"],
    ["delivered", soft, null], // an auto-reply after delivery says nothing
    ["delivered", complaint, "complained"],
    ["bounced", complaint, "complained"], // complained outranks bounced
    ["complained", hard, null],
    ["bounced", delivery, null], // out of order: a late Delivery never undoes a Bounce
    ["delivered", delivery, null], // duplicate
    ["bounced", hard, null], // duplicate
    ["complained", complaint, null],
    ["sent", reject, "failed"],
    ["unknown", { type: "Rendering Failure" }, "failed"],
    ["failed", delivery, null],
    ["queued", delivery, null],
    ["skipped", hard, null],
    ["sending", delivery, null],
    ["sent", { type: "Open" }, null],
    ["sent", { type: "DeliveryDelay" }, null],
    ["sent", { type: "Subscription" }, null],
  ];
  it.each(table)("%s + %o → %s", (current, event, expected) => {
    expect(nextStatus(current, event)).toBe(expected);
  });

  it("only ever moves forward in rank, from every status and event", () => {
    const events: Ev[] = [delivery, hard, soft, complaint, send, reject, { type: "Click" }];
    for (const s of DELIVERY_STATUSES)
      for (const e of events) {
        const n = nextStatus(s, e);
        if (n !== null) expect(STATUS_RANK[n]).toBeGreaterThan(STATUS_RANK[s]);
        // Applying the same event again changes nothing.
        if (n !== null) expect(nextStatus(n, e)).toBeNull();
      }
  });

  it("any order of the same events ends in the same status", () => {
    const seq = [delivery, hard, complaint, send];
    const run = (order: Ev[]) => order.reduce<DeliveryStatus>((s, e) => nextStatus(s, e) ?? s, "sent");
    const perms = (xs: Ev[]): Ev[][] =>
      xs.length <= 1
        ? [xs]
        : xs.flatMap((x, i) => perms([...xs.slice(0, i), ...xs.slice(i + 1)]).map((p) => [x, ...p]));
    expect(new Set(perms(seq).map(run))).toEqual(new Set(["complained"]));
  });

  it("sourceStatuses never includes sending (the sender owns it)", () => {
    expect(sourceStatuses(delivery)).toEqual(["unknown", "sent"]);
    expect(isBusy("sending")).toBe(true);
  });
});
