import { RetryableError } from "../errors/errors.ts";
import type { ApplyEventResult } from "./apply-ses-event.ts";
import { parseSesEventText } from "./ses-event.ts";
import type { SesEvent } from "./ses-event.ts";

/** One message of the live event stream: an SNS envelope (SNS → SQS or → Lambda) or raw SES event JSON. */
export interface EventMessage {
  id: string;
  body: string;
}

export interface EventMessagesReport {
  applied: number;
  duplicate: number;
  unmatched: number;
  ignored: number;
  /** Messages that can never apply (not JSON, not an SES event): dropped, with why. */
  invalid: { id: string; reason: string }[];
  /** SNS subscription confirmations: SNS waits for someone to visit the URL. */
  confirmations: { id: string; topicArn?: string; subscribeUrl?: string }[];
  /** Messages to deliver again: an event whose delivery the sender had not settled yet. */
  retry: string[];
  /** Events that found no delivery, with why (for the handler's log). */
  unmatchedEvents: { id: string; messageId: string; recipient: string; reason: string }[];
}

/**
 * The live SES event handler: the same `applyEvent` as POST /api/events and `bulletin events
 * ingest`, for messages from the configuration set's SNS topic (through an SQS queue locally, an
 * SNS → Lambda subscription on AWS). A message whose delivery is still "sending" is handed back to
 * be delivered again (the Lambda/SQS partial-batch failure); one that can never apply is reported
 * and dropped, since redelivering it would only fill the dead-letter queue with the same error.
 *
 * @example
 * const r = await handleEventMessages([{ id: m.MessageId, body: m.Body }], deps.applyEvent);
 * return { failedMessageIds: r.retry };
 */
export async function handleEventMessages(
  messages: readonly EventMessage[],
  applyEvent: (event: SesEvent) => Promise<ApplyEventResult>,
): Promise<EventMessagesReport> {
  const report: EventMessagesReport = {
    applied: 0,
    duplicate: 0,
    unmatched: 0,
    ignored: 0,
    invalid: [],
    confirmations: [],
    retry: [],
    unmatchedEvents: [],
  };
  for (const m of messages) {
    const parsed = parseSesEventText(m.body);
    for (const bad of parsed.invalid) report.invalid.push({ id: m.id, reason: bad.reason });
    for (const c of parsed.confirmations)
      report.confirmations.push({
        id: m.id,
        ...(c.topicArn ? { topicArn: c.topicArn } : {}),
        ...(c.subscribeUrl ? { subscribeUrl: c.subscribeUrl } : {}),
      });
    for (const event of parsed.events) {
      try {
        const result = await applyEvent(event);
        report[result.outcome]++;
        for (const r of result.recipients)
          if (r.outcome === "unmatched")
            report.unmatchedEvents.push({
              id: m.id,
              messageId: event.messageId,
              recipient: r.email,
              reason: r.reason ?? "no delivery found",
            });
      } catch (e) {
        if (!(e instanceof RetryableError)) throw e;
        // Applying again is safe: every event moves a delivery only forward, once.
        report.retry.push(m.id);
        break;
      }
    }
  }
  return report;
}
