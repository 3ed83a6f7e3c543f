import type { DeliveryStatus } from "../send/send-model.ts";
import type { SesEvent } from "./ses-event.ts";

/**
 * How SES events move a delivery. A delivery only ever moves forward in this rank, so events may
 * arrive late, twice or out of order (SNS and Firehose promise neither order nor once) and the
 * result is the same:
 *
 *   queued, skipped < sending, unknown < sent < delivered < failed, bounced < complained
 *
 * - bounced, complained and failed are terminal and outrank delivered: a late Delivery never undoes
 *   a Bounce, and an asynchronous hard bounce (the receiving server accepted, then bounced) does
 *   undo a Delivery.
 * - **complained outranks bounced**: a complaint is a person saying "stop", the strongest signal we
 *   get; if both arrive (a bounce, then the person still complains from a forwarded copy), the
 *   delivery shows complained whatever the order.
 * - A Transient/Undetermined bounce (mailbox full, an auto-reply SES files as a bounce) moves only
 *   sent/unknown: after a Delivery it says nothing about whether the message arrived.
 * - Reject and Rendering Failure → failed (SES accepted the call, then refused to send).
 * - Send, Delivery, Bounce and Complaint also **resolve "unknown"**: a delivery whose sender died
 *   between the SES call and settle is unknown, and any of these events proves SES took it.
 * - DeliveryDelay, Open, Click and Subscription never change the status.
 * - queued and skipped deliveries have no message in flight, and "sending" belongs to the sender
 *   until it settles; events never move them (see `isBusy`).
 */
export const STATUS_RANK: Record<DeliveryStatus, number> = {
  queued: 0,
  skipped: 0,
  sending: 1,
  unknown: 1,
  sent: 2,
  delivered: 3,
  failed: 4,
  bounced: 4,
  complained: 5,
};

// Statuses an event may move a delivery out of: only ones with a message that SES accepted.
const IN_FLIGHT: readonly DeliveryStatus[] = ["unknown", "sent", "delivered", "failed", "bounced"];

/**
 * The status an event points to, or null when it never changes one.
 *
 * @example
 * targetStatus(deliveryEvent); // "delivered"
 */
export function targetStatus(event: Pick<SesEvent, "type">): DeliveryStatus | null {
  switch (event.type) {
    case "Send":
      return "sent";
    case "Delivery":
      return "delivered";
    case "Bounce":
      return "bounced";
    case "Complaint":
      return "complained";
    case "Reject":
    case "Rendering Failure":
      return "failed";
    default:
      return null;
  }
}

/**
 * The statuses from which `event` moves a delivery: the condition of the conditional write.
 *
 * @example
 * sourceStatuses({ type: "Delivery" }); // ["unknown", "sent"]
 */
export function sourceStatuses(event: Pick<SesEvent, "type" | "bounce">): DeliveryStatus[] {
  const to = targetStatus(event);
  if (to === null) return [];
  const softBounce = event.type === "Bounce" && event.bounce?.type !== "Permanent";
  return IN_FLIGHT.filter((s) => STATUS_RANK[s] < STATUS_RANK[to] && !(softBounce && s === "delivered"));
}

/**
 * The new status of a delivery in `current` after `event`, or null when the event does not move it
 * forward (a duplicate, a late or out-of-order event, an engagement event).
 *
 * @example
 * nextStatus("sent", { type: "Delivery" });    // "delivered"
 * nextStatus("bounced", { type: "Delivery" }); // null: a late Delivery never undoes a Bounce
 */
export function nextStatus(current: DeliveryStatus, event: Pick<SesEvent, "type" | "bounce">): DeliveryStatus | null {
  return sourceStatuses(event).includes(current) ? targetStatus(event) : null;
}

/**
 * True for a delivery the sender is still working on (claimed, SES called, not yet settled). An
 * event for it arrived before the sender's own settle; it must be retried a moment later rather
 * than dropped, or moving it here would make the sender's settle fail.
 *
 * @example
 * isBusy("sending"); // true
 */
export function isBusy(status: DeliveryStatus): boolean {
  return status === "sending";
}
