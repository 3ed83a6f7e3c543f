import { NotFoundError } from "../errors/errors.ts";
import type { RecipientStatus } from "../audience/recipient.ts";
import type { Clock } from "../clock.ts";
import type { RecipientRepo } from "../audience/recipient-repo.ts";
import { domainGroupOf, type DomainGroup } from "../send/domain-groups.ts";
import type { SendRepo } from "../send/send-ports.ts";
import { sourceStatuses, targetStatus } from "./delivery-events.ts";
import { isCanaryLink } from "./engagement-log.ts";
import { isReceiverPushback, THROTTLED_BY_RECEIVER } from "./receiver-pushback.ts";
import type { ApplyOutcome, DeliveryEvents, SuppressionRepo } from "./events-ports.ts";
import type { SesEvent } from "./ses-event.ts";

export interface EventSettings {
  /** Count opens and clicks (the configuration set must publish them too). */
  trackEngagement: boolean;
  /** Soft bounces in a row (no delivery in between) after which an address is suppressed. Default 3. */
  transientBouncesToSuppress?: number;
  /** The domain groups of the per-domain pacing: a receiver's pushback halves its group's limit. */
  domainGroups?: readonly DomainGroup[];
}

export interface ApplyEventDeps {
  deliveries: DeliveryEvents;
  suppressions: SuppressionRepo;
  recipients: RecipientRepo;
  clock: Clock;
  settings: EventSettings;
  /** Where a receiver's pushback halves the domain group's limit for the rest of the send. */
  sends?: Pick<SendRepo, "noteReceiverPushback">;
}

export type EventOutcome = ApplyOutcome | "ignored";

export interface RecipientResult {
  email: string;
  outcome: EventOutcome;
  /** The address was added to the suppression list by this event. */
  suppressed?: boolean;
  /** Why an "unmatched" event found no delivery to move, in words for the operator. */
  reason?: string;
  /** The receiver limited our rate (receiver-pushback.ts). */
  pushback?: boolean;
}

export interface ApplyEventResult {
  /** "applied" if any recipient's delivery moved (or engagement counted), else the first recipient's outcome. */
  outcome: EventOutcome;
  recipients: RecipientResult[];
}

export const DEFAULT_TRANSIENT_BOUNCES_TO_SUPPRESS = 3;

/**
 * Applies one SES event, per recipient. The delivery is found by the event's `send` tag and address,
 * or, for an event without tags (SES identity notifications, an export that dropped them), by its
 * SES message id (`findByMessageId`: the ledger keeps a lookup of it, written with the settle).
 * - Permanent bounce → delivery bounced; suppressed (reason bounce, detail the subtype); recipient bounced.
 * - Complaint → delivery complained; suppressed (complaint); recipient complained.
 * - Transient/Undetermined bounce → delivery bounced (it did not arrive); when that moved the
 *   delivery, the address's run of soft bounces grows, and reaching the limit suppresses it.
 *   Counting only on "applied" makes a redelivered event count once, and one send counts once.
 * - A bounce that says the receiver limited our rate ("frequency limited", "too many", 421/451:
 *   receiver-pushback.ts) → delivery failed, "throttled by receiver: …" (retry re-queues it); never
 *   a soft bounce, never suppressed; the domain group's limit is halved for the rest of the send.
 *   A delivery delay saying so halves the limit too (SES is still trying: the delivery stays).
 * - Delivery → delivered, and the soft-bounce run is over. Send → sent (resolves "unknown").
 * - Reject / Rendering Failure → failed with the reason.
 * - Open / Click → engagement, once per event (a replay counts nothing); a click on the canary
 *   link marks the message's nearby opens and clicks automated. "ignored" when tracking is off.
 * - DeliveryDelay, Subscription → "ignored" (SES keeps retrying; the final event will tell).
 *
 * Suppression and recipient status follow the *address*, not the delivery: they are applied even
 * when the delivery is a duplicate (a crash may have come between the two writes last time) or
 * unmatched (a test send, a deleted send): a hard bounce is a bad address whoever sent to it.
 * Complained always wins: nothing turns a complained recipient into bounced or unsubscribed.
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

/** The send of the delivery an event is about, or why there is none. */
async function locate(
  event: SesEvent,
  email: string,
  deps: ApplyEventDeps,
): Promise<{ sendId: string } | { unmatched: string }> {
  if (event.sendId) return { sendId: event.sendId };
  const found = await deps.deliveries.findByMessageId(event.messageId);
  if (!found)
    return {
      unmatched: `no send tag, and no delivery has SES message id ${event.messageId} (not sent by the bulletin, a test send, or its send was deleted)`,
    };
  if (found.email !== email)
    return { unmatched: `SES message id ${event.messageId} was sent to ${found.email}, not ${email}` };
  return { sendId: found.sendId };
}

/** Why the delivery of (send, address) did not move: read once, only for an unmatched event. */
async function whyUnmatched(deps: ApplyEventDeps, sendId: string, email: string, messageId: string): Promise<string> {
  const d = await deps.deliveries.find(sendId, email);
  if (!d) return `send ${sendId} has no delivery to ${email}`;
  if (d.status === "queued" || d.status === "skipped")
    return `the delivery to ${email} in send ${sendId} is ${d.status}: no message of it was sent`;
  if (d.sesMessageId && d.sesMessageId !== messageId)
    return `the delivery to ${email} in send ${sendId} has SES message id ${d.sesMessageId}, the event ${messageId}`;
  return `the delivery to ${email} in send ${sendId} did not match (${d.status})`;
}

async function applyOne(event: SesEvent, email: string, deps: ApplyEventDeps): Promise<RecipientResult> {
  const now = deps.clock.now().toISOString();
  const engagement = event.type === "Open" || event.type === "Click";
  if (engagement && !deps.settings.trackEngagement) return { email, outcome: "ignored" };
  const pushback = isReceiverPushback(event);
  const to = pushback && event.type === "Bounce" ? "failed" : targetStatus(event);
  if (!engagement && to === null && !pushback) return { email, outcome: "ignored" };
  const target = await locate(event, email, deps);
  const sendId = "sendId" in target ? target.sendId : undefined;
  const unmatched = async (): Promise<RecipientResult> => ({
    email,
    outcome: "unmatched",
    reason: "unmatched" in target ? target.unmatched : await whyUnmatched(deps, sendId!, email, event.messageId),
  });

  if (engagement) {
    if (!sendId) return unmatched();
    const kind = event.type === "Open" ? "open" : isCanaryLink(event.link) ? "canary" : "click";
    const r = await deps.deliveries.engage(sendId, email, { id: event.id, kind, at: event.at });
    if (r === "unmatched") return unmatched();
    return { email, outcome: r === "duplicate" ? "duplicate" : r === "full" ? "ignored" : "applied" };
  }

  let outcome: RecipientResult["outcome"] = "unmatched";
  if (sendId && to !== null) {
    const from = pushback
      ? sourceStatuses({ type: "Bounce", bounce: { type: "Transient", subType: "General" } })
      : sourceStatuses(event);
    const fields: { from: ReturnType<typeof sourceStatuses>; reason?: string; messageId: string; at: string } = {
      from,
      messageId: event.messageId,
      at: now,
    };
    if (pushback) fields.reason = `${THROTTLED_BY_RECEIVER}: ${event.reason ?? "rate limited"}`;
    else if (event.reason !== undefined && to !== "delivered" && to !== "sent") fields.reason = event.reason;
    outcome = await deps.deliveries.apply(sendId, email, to, fields);
  }
  if (pushback) {
    const group = deps.settings.domainGroups ? domainGroupOf(deps.settings.domainGroups, email) : undefined;
    if (sendId && group) await deps.sends?.noteReceiverPushback(sendId, group.name);
    if (to === null) return { email, outcome: "ignored", pushback: true };
    return outcome === "unmatched" ? { ...(await unmatched()), pushback: true } : { email, outcome, pushback: true };
  }
  const result = async (extra: Partial<RecipientResult> = {}): Promise<RecipientResult> =>
    outcome === "unmatched" ? { ...(await unmatched()), ...extra } : { email, outcome, ...extra };
  const source = [sendId, event.messageId].filter(Boolean).join(" ");
  if (event.type === "Complaint") {
    const suppressed = await deps.suppressions.suppress({
      email,
      reason: "complaint",
      ...opt("detail", event.reason),
      source,
      at: now,
    });
    await setRecipientStatus(deps, email, "complained", now);
    return result({ suppressed });
  }
  if (event.type === "Bounce" && event.bounce?.type === "Permanent") {
    const suppressed = await deps.suppressions.suppress({
      email,
      reason: "bounce",
      detail: event.bounce.subType,
      source,
      at: now,
    });
    await setRecipientStatus(deps, email, "bounced", now);
    return result({ suppressed });
  }
  if (event.type === "Bounce" && outcome === "applied") {
    const run = await deps.suppressions.noteSoftBounce(email, now);
    const limit = deps.settings.transientBouncesToSuppress ?? DEFAULT_TRANSIENT_BOUNCES_TO_SUPPRESS;
    if (run >= limit) {
      const detail = `${run} soft bounces in a row (last: ${event.bounce?.subType ?? "unknown"})`;
      const suppressed = await deps.suppressions.suppress({ email, reason: "bounce", detail, source, at: now });
      await setRecipientStatus(deps, email, "bounced", now);
      return result({ suppressed });
    }
  }
  if (event.type === "Delivery" && outcome === "applied") await deps.suppressions.clearSoftBounces(email);
  return result();
}

const opt = <K extends string>(key: K, value: string | undefined) =>
  value === undefined ? {} : ({ [key]: value } as Record<K, string>);

/**
 * Marks the recipient, if there is one: complained always wins, bounced only replaces active (an
 * unsubscribed person who bounces stays unsubscribed: their own choice says more).
 */
async function setRecipientStatus(
  deps: ApplyEventDeps,
  email: string,
  status: RecipientStatus,
  now: string,
): Promise<void> {
  const r = await deps.recipients.get(email);
  if (!r || r.status === status || r.status === "complained") return;
  if (status === "bounced" && r.status !== "active") return;
  try {
    await deps.recipients.update(email, { status }, now);
  } catch (err) {
    if (!(err instanceof NotFoundError)) throw err; // deleted meanwhile: nothing to mark
  }
}
