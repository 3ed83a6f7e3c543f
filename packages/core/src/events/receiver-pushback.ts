import type { SesEvent } from "./ses-event.ts";

/** The reason a delivery gets when the receiving server refused it for our rate, not the address. */
export const THROTTLED_BY_RECEIVER = "throttled by receiver";

// What receivers say when they limit a sender: QQ ("550 Mail content denied … frequency limited",
// "Ip frequency limited"), NetEase ("421 … Too many connections", "451 … RP:TRC"), Tencent
// enterprise mail, and the SMTP 421/451 family with the 4.7.x policy codes.
const PUSHBACK_WORDS =
  /frequency limit|rate[ -]?limit|too many|too much|throttl|temporarily (deferred|rate)|exceeded (the )?(rate|limit|quota)|频率|频繁|过多|RP:(TRC|CEL|QRC|DBL)/i;
const TEMPORARY_CODES = /(^|[^\d.])(421|451)([ -]|$)|\b4\.7\.\d+\b/;

/**
 * True when a bounce or delivery delay says the receiver limited our rate, not that the address is
 * dead: such a bounce never counts toward soft-bounce suppression (nor suppresses, whatever SES
 * filed it as: QQ answers a rate limit with a 550), and halves the domain group's limit for the
 * rest of the send. For a transient bounce or a delay, an SMTP 421 or 451 (or a 4.7.x status) is
 * enough; a permanent bounce needs the words.
 *
 * @example
 * isReceiverPushback({ type: "Bounce", bounce: { type: "Permanent", subType: "General" }, reason: "550 Ip frequency limited" }); // true
 */
export function isReceiverPushback(event: Pick<SesEvent, "type" | "bounce" | "reason">): boolean {
  if (event.type !== "Bounce" && event.type !== "DeliveryDelay") return false;
  const text = event.reason ?? "";
  if (PUSHBACK_WORDS.test(text)) return true;
  const temporary = event.type === "DeliveryDelay" || event.bounce?.type !== "Permanent";
  return temporary && TEMPORARY_CODES.test(text);
}
