import type { OutgoingEmail } from "@bulletin/core";
import { toEmailTags } from "./message-tags.ts";

/** SES's mailbox simulator domain: mail to it is never delivered, but produces real events. */
export const SIMULATOR_DOMAIN = "simulator.amazonses.com";

/** What SES does with mail to each simulator mailbox (labels like bounce+x@ behave as bounce@). */
export type SimulatedOutcome = "delivered" | "bounce" | "complaint" | "ooto" | "suppressionlist";

/**
 * The outcome SES would report for an address: the simulator's mailboxes their scripted one, any
 * other address "delivered" (locally, the emulator's inbox accepted it).
 *
 * @example
 * simulatedOutcome("bounce+march@simulator.amazonses.com"); // "bounce"
 * simulatedOutcome("li@example.cn"); // "delivered"
 */
export function simulatedOutcome(address: string): SimulatedOutcome {
  const m = /^([a-z]+)(?:\+[^@]*)?@(.+)$/i.exec(address.trim());
  if (!m || m[2]!.toLowerCase() !== SIMULATOR_DOMAIN) return "delivered";
  const box = m[1]!.toLowerCase();
  return box === "bounce" || box === "complaint" || box === "ooto" || box === "suppressionlist" ? box : "delivered";
}

/**
 * The SES event-publishing records (as a configuration set sends them to SNS) that SES would
 * produce for one message: Send, then Delivery, Bounce or Delivery + Complaint by the mailbox
 * simulator's rules. The local stack publishes these because its SES emulator publishes none, so
 * the event handler, the suppression list and the dashboard run end to end on one machine.
 *
 * @example
 * const events = simulateSesEvents(email, "0100-abc", new Date());
 * events.map((e) => e.eventType); // ["Send", "Delivery"]
 */
export function simulateSesEvents(email: OutgoingEmail, messageId: string, sentAt: Date): Record<string, unknown>[] {
  const to = email.to;
  const at = (ms: number) => new Date(sentAt.getTime() + ms).toISOString();
  const tags: Record<string, string[]> = {};
  for (const t of toEmailTags(email.tags)) tags[t.Name!] = [t.Value!];
  if (email.configurationSet) tags["ses:configuration-set"] = [email.configurationSet];
  tags["ses:from-domain"] = [email.from.split("@").pop()!.replace(/>$/, "")];
  const mail = {
    timestamp: sentAt.toISOString(),
    source: email.from,
    messageId,
    destination: [to],
    headersTruncated: false,
    commonHeaders: { from: [email.from], to: [to], messageId, subject: email.subject },
    tags,
  };
  const send = { eventType: "Send", mail, send: {} };
  const delivery = {
    eventType: "Delivery",
    mail,
    delivery: {
      timestamp: at(300),
      processingTimeMillis: 300,
      recipients: [to],
      smtpResponse: "250 2.6.0 Message received",
      reportingMTA: "local.simulator",
    },
  };
  const bounce = (subType: string, diagnosticCode: string) => ({
    eventType: "Bounce",
    mail,
    bounce: {
      bounceType: "Permanent",
      bounceSubType: subType,
      bouncedRecipients: [{ emailAddress: to, action: "failed", status: "5.1.1", diagnosticCode }],
      timestamp: at(300),
      feedbackId: `${messageId}-bounce`,
      reportingMTA: "dns; local.simulator",
    },
  });
  switch (simulatedOutcome(to)) {
    case "bounce":
      return [send, bounce("General", "smtp; 550 5.1.1 user unknown")];
    case "suppressionlist":
      // SES answers as for an address on its global suppression list.
      return [
        send,
        bounce(
          "Suppressed",
          "Amazon SES has suppressed sending to this address because it has a recent history of bouncing as an invalid address.",
        ),
      ];
    case "complaint":
      return [
        send,
        delivery,
        {
          eventType: "Complaint",
          mail,
          complaint: {
            complainedRecipients: [{ emailAddress: to }],
            timestamp: at(600),
            feedbackId: `${messageId}-complaint`,
            complaintFeedbackType: "abuse",
          },
        },
      ];
    default:
      // ooto@ is delivered; SES then relays an out-of-office reply to the sender, which is no event.
      return [send, delivery];
  }
}
