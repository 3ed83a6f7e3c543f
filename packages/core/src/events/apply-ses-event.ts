import { NotFoundError } from "../errors/errors.ts";
import type { RecipientStatus } from "../audience/recipient.ts";
import type { Clock, RecipientRepo } from "../storage/ports.ts";
import { sourceStatuses, targetStatus } from "./delivery-events.ts";
import type { ApplyOutcome, DeliveryEvents, SuppressionRepo } from "./events-ports.ts";
import type { SesEvent } from "./ses-event.ts";

export interface EventSettings {
  /** Count opens and clicks (the configuration set must publish them too). */
  trackEngagement: boolean;
  /** Soft bounces in a row (no delivery in between) after which an address is suppressed. Default 3. */
  transientBouncesToSuppress?: number;
}

export interface ApplyEventDeps {
  deliveries: DeliveryEvents;
  suppressions: SuppressionRepo;
  recipients: RecipientRepo;
  clock: Clock;
  settings: EventSettings;
}

export type EventOutcome = ApplyOutcome | "ignored";

export interface RecipientResult {
  email: string;
  outcome: EventOutcome;
  /** The address was added to the suppression list by this event. */
  suppressed?: boolean;
}

export interface ApplyEventResult {
  /** "applied" if any recipient's delivery moved (or engagement counted), else the first recipient's outcome. */
  outcome: EventOutcome;
  recipients: RecipientResult[];
}

export const DEFAULT_TRANSIENT_BOUNCES_TO_SUPPRESS = 3;

/**
 * Applies one SES event, per recipient:
 * - Permanent bounce → delivery bounced; suppressed (reason bounce, detail the subtype); recipient bounced.
 * - Complaint → delivery complained; suppressed (complaint); recipient complained.
 * - Transient/Undetermined bounce → delivery bounced (it did not arrive); when that moved the
 *   delivery, the address's run of soft bounces grows, and reaching the limit suppresses it.
 *   Counting only on "applied" makes a redelivered event count once, and one send counts once.
 * - Delivery → delivered, and the soft-bounce run is over. Send → sent (resolves "unknown").
 * - Reject / Rendering Failure → failed with the reason.
 * - Open / Click → engagement counters when tracking is on; otherwise "ignored".
 * - DeliveryDelay, Subscription → "ignored" (SES keeps retrying; the final event will tell).
 *
 * Suppression and recipient status follow the *address*, not the delivery: they are applied even
 * when the delivery is a duplicate (a crash may have come between the two writes last time) or
 * unmatched (a test send, a deleted send): a hard bounce is a bad address whoever sent to it.
 * RetryableError from the ledger (a delivery still "sending") propagates, so the queue redelivers.
 *
 * @example
 * const r = await applySesEvent(event, { deliveries: ledger, suppressions, recipients, clock, settings: { trackEngagement: false } });
 * r.outcome; // "applied"
 */
export async function applySesEvent(event: SesEvent, deps: ApplyEventDeps): Promise<ApplyEventResult> {
  const results: RecipientResult[] = [];
  for (const email of event.recipients) results.push(await applyOne(event, email, deps));
  const outcome = results.some((r) => r.outcome === "applied") ? "applied" : (results[0]?.outcome ?? "ignored");
  return { outcome, recipients: results };
}

async function applyOne(event: SesEvent, email: string, deps: ApplyEventDeps): Promise<RecipientResult> {
  const now = deps.clock.now().toISOString();
  if (event.type === "Open" || event.type === "Click") {
    if (!deps.settings.trackEngagement) return { email, outcome: "ignored" };
    if (!event.sendId) return { email, outcome: "unmatched" };
    const r = await deps.deliveries.engage(event.sendId, email, event.type === "Open" ? "open" : "click", now);
    return { email, outcome: r === "unmatched" ? "unmatched" : "applied" };
  }
  const to = targetStatus(event);
  if (to === null) return { email, outcome: "ignored" };
  let outcome: ApplyOutcome = "unmatched";
  if (event.sendId) {
    const fields: { from: ReturnType<typeof sourceStatuses>; reason?: string; messageId: string; at: string } = { from: sourceStatuses(event), messageId: event.messageId, at: now };
    if (event.reason !== undefined && to !== "delivered" && to !== "sent") fields.reason = event.reason;
    outcome = await deps.deliveries.apply(event.sendId, email, to, fields);
  }
  const source = [event.sendId, event.messageId].filter(Boolean).join(" ");
  if (event.type === "Complaint") {
    const suppressed = await deps.suppressions.suppress({ email, reason: "complaint", ...opt("detail", event.reason), source, at: now });
    await setRecipientStatus(deps, email, "complained", now);
    return { email, outcome, suppressed };
  }
  if (event.type === "Bounce" && event.bounce?.type === "Permanent") {
    const suppressed = await deps.suppressions.suppress({ email, reason: "bounce", detail: event.bounce.subType, source, at: now });
    await setRecipientStatus(deps, email, "bounced", now);
    return { email, outcome, suppressed };
  }
  if (event.type === "Bounce" && outcome === "applied") {
    const run = await deps.suppressions.noteSoftBounce(email, now);
    const limit = deps.settings.transientBouncesToSuppress ?? DEFAULT_TRANSIENT_BOUNCES_TO_SUPPRESS;
    if (run >= limit) {
      const detail = `${run} soft bounces in a row (last: ${event.bounce?.subType ?? "unknown"})`;
      const suppressed = await deps.suppressions.suppress({ email, reason: "bounce", detail, source, at: now });
      await setRecipientStatus(deps, email, "bounced", now);
      return { email, outcome, suppressed };
    }
  }
  if (event.type === "Delivery" && outcome === "applied") await deps.suppressions.clearSoftBounces(email);
  return { email, outcome };
}

const opt = <K extends string>(key: K, value: string | undefined) => (value === undefined ? {} : ({ [key]: value } as Record<K, string>));

/**
 * Marks the recipient, if there is one: complained always wins, bounced only replaces active (an
 * unsubscribed person who bounces stays unsubscribed: their own choice says more).
 */
async function setRecipientStatus(deps: ApplyEventDeps, email: string, status: RecipientStatus, now: string): Promise<void> {
  const r = await deps.recipients.get(email);
  if (!r || r.status === status || r.status === "complained") return;
  if (status === "bounced" && r.status !== "active") return;
  try {
    await deps.recipients.update(email, { status }, now);
  } catch (err) {
    if (!(err instanceof NotFoundError)) throw err; // deleted meanwhile: nothing to mark
  }
}
