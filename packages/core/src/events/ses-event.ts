import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, utf8ToBytes } from "@noble/hashes/utils.js";
import { z } from "zod";
import { RECIPIENT_LIMITS } from "../audience/recipient.ts";

/** The longest SES message tag value (and far more than a message id needs). */
const MAX_TAG = 256;

/**
 * SES event publishing (configuration set → SNS or Firehose) as AWS documents it, checked with zod
 * and normalised to what delivery tracking needs. Only the fields we use are required; everything
 * else SES adds (headers, commonHeaders, sourceArn, …) passes through unchecked, so a new SES field
 * never turns a good event into an invalid one.
 */
export const SES_EVENT_TYPES = [
  "Send",
  "Delivery",
  "Bounce",
  "Complaint",
  "Reject",
  "DeliveryDelay",
  "Rendering Failure",
  "Open",
  "Click",
  "Subscription",
] as const;
export type SesEventType = (typeof SES_EVENT_TYPES)[number];

export const BOUNCE_TYPES = ["Permanent", "Transient", "Undetermined"] as const;
export type BounceType = (typeof BOUNCE_TYPES)[number];

/** One SES event, normalised: the addresses lower-cased, the time as ISO 8601 UTC. */
export interface SesEvent {
  /**
   * The event's identity: a hash of what tells it from every other event (type, message id, its
   * own time, recipients, link, the opener's address and user agent). The same event replayed, from
   * SNS or from an export, has the same id; opens and clicks are counted once per id.
   */
  id: string;
  type: SesEventType;
  messageId: string;
  /** From the message tag "send"; absent for mail the bulletin did not send (or a test send). */
  sendId?: string;
  tier?: string;
  /** The addresses the event is about (bounced / complained / delivered ones, else the destination). */
  recipients: string[];
  at: string;
  bounce?: { type: BounceType; subType: string };
  /** Why: the bounce's diagnostic code, the reject reason, the rendering error, the delay type. */
  reason?: string;
  link?: string;
}

export interface ParsedSesEvents {
  events: SesEvent[];
  /** Items (or lines, 1-based, for text) that are not SES events, and why. Never thrown. */
  invalid: { index: number; reason: string }[];
  /** SNS SubscriptionConfirmation / UnsubscribeConfirmation messages: for a person (or the API) to confirm. */
  confirmations: { index: number; type: string; topicArn?: string; subscribeUrl?: string }[];
}

const time = z.string().refine((s) => !Number.isNaN(Date.parse(s)), "not a timestamp");
const addresses = z.array(z.object({ emailAddress: z.string() }).loose());

const MailSchema = z
  .object({
    messageId: z.string().min(1),
    timestamp: time,
    destination: z.array(z.string()),
    tags: z.record(z.string(), z.array(z.string())).optional(),
  })
  .loose();

const base = { mail: MailSchema };
/** One SES event as SES publishes it: what the parser checks (the API documents it from this). */
export const SesEventSchema = z.discriminatedUnion("eventType", [
  z.object({ ...base, eventType: z.literal("Send") }).loose(),
  z
    .object({
      ...base,
      eventType: z.literal("Delivery"),
      delivery: z.object({ timestamp: time, recipients: z.array(z.string()) }).loose(),
    })
    .loose(),
  z
    .object({
      ...base,
      eventType: z.literal("Bounce"),
      bounce: z
        .object({
          bounceType: z.enum(BOUNCE_TYPES),
          bounceSubType: z.string(),
          bouncedRecipients: z.array(
            z.object({ emailAddress: z.string(), diagnosticCode: z.string().optional() }).loose(),
          ),
          timestamp: time,
        })
        .loose(),
    })
    .loose(),
  z
    .object({
      ...base,
      eventType: z.literal("Complaint"),
      complaint: z
        .object({ complainedRecipients: addresses, complaintFeedbackType: z.string().optional(), timestamp: time })
        .loose(),
    })
    .loose(),
  z.object({ ...base, eventType: z.literal("Reject"), reject: z.object({ reason: z.string() }).loose() }).loose(),
  z
    .object({
      ...base,
      eventType: z.literal("DeliveryDelay"),
      deliveryDelay: z
        .object({
          delayType: z.string(),
          delayedRecipients: z.array(
            z.object({ emailAddress: z.string(), diagnosticCode: z.string().optional() }).loose(),
          ),
          timestamp: time,
        })
        .loose(),
    })
    .loose(),
  z
    .object({
      ...base,
      eventType: z.literal("Rendering Failure"),
      failure: z.object({ errorMessage: z.string(), templateName: z.string().optional() }).loose(),
    })
    .loose(),
  z.object({ ...base, eventType: z.literal("Open"), open: z.object({ timestamp: time }).loose() }).loose(),
  z
    .object({ ...base, eventType: z.literal("Click"), click: z.object({ timestamp: time, link: z.string() }).loose() })
    .loose(),
  z
    .object({
      ...base,
      eventType: z.literal("Subscription"),
      subscription: z.object({ timestamp: time.optional() }).loose(),
    })
    .loose(),
]);
type RawEvent = z.infer<typeof SesEventSchema>;

/** "Name <a@b.cn>" → "a@b.cn", lower-cased: the address is the recipient's identity. */
function address(s: string): string {
  const m = /<([^<>]+)>\s*$/.exec(s);
  return (m ? m[1]! : s).trim().toLowerCase();
}

const iso = (s: string) => new Date(s).toISOString();

function normalise(raw: RawEvent): SesEvent {
  const event = normaliseFields(raw);
  const detail = (raw as Record<string, unknown>)[DETAIL_FIELD[raw.eventType]] as Record<string, unknown> | undefined;
  const identity = [
    event.type,
    event.messageId,
    event.at,
    event.recipients.join(","),
    event.link ?? "",
    String(detail?.ipAddress ?? ""),
    String(detail?.userAgent ?? ""),
  ];
  return { ...event, id: bytesToHex(sha256(utf8ToBytes(JSON.stringify(identity)))).slice(0, 32) };
}

// Where each event type keeps its own details (an open's address and user agent, a click's link).
const DETAIL_FIELD: Record<SesEventType, string> = {
  Send: "send",
  Delivery: "delivery",
  Bounce: "bounce",
  Complaint: "complaint",
  Reject: "reject",
  DeliveryDelay: "deliveryDelay",
  "Rendering Failure": "failure",
  Open: "open",
  Click: "click",
  Subscription: "subscription",
};

function normaliseFields(raw: RawEvent): Omit<SesEvent, "id"> {
  const tag = (name: string) => raw.mail.tags?.[name]?.[0];
  const out: Omit<SesEvent, "id"> = {
    type: raw.eventType,
    messageId: raw.mail.messageId,
    recipients: raw.mail.destination.map(address),
    at: iso(raw.mail.timestamp),
  };
  const sendId = tag("send");
  const tier = tag("tier");
  if (sendId) out.sendId = sendId;
  if (tier) out.tier = tier;
  switch (raw.eventType) {
    case "Delivery":
      return { ...out, recipients: raw.delivery.recipients.map(address), at: iso(raw.delivery.timestamp) };
    case "Bounce": {
      const b = raw.bounce;
      const diagnostic = b.bouncedRecipients.find((r) => r.diagnosticCode)?.diagnosticCode;
      return {
        ...out,
        recipients: b.bouncedRecipients.map((r) => address(r.emailAddress)),
        at: iso(b.timestamp),
        bounce: { type: b.bounceType, subType: b.bounceSubType },
        reason: diagnostic ?? `${b.bounceType} bounce: ${b.bounceSubType}`,
      };
    }
    case "Complaint": {
      const c = raw.complaint;
      const reason = c.complaintFeedbackType ? { reason: c.complaintFeedbackType } : {};
      return {
        ...out,
        ...reason,
        recipients: c.complainedRecipients.map((r) => address(r.emailAddress)),
        at: iso(c.timestamp),
      };
    }
    case "Reject":
      return { ...out, reason: raw.reject.reason };
    case "Rendering Failure":
      return { ...out, reason: raw.failure.errorMessage };
    case "DeliveryDelay": {
      const d = raw.deliveryDelay;
      return {
        ...out,
        recipients: d.delayedRecipients.map((r) => address(r.emailAddress)),
        at: iso(d.timestamp),
        reason: d.delayType,
      };
    }
    case "Open":
      return { ...out, at: iso(raw.open.timestamp) };
    case "Click":
      return { ...out, at: iso(raw.click.timestamp), link: raw.click.link };
    case "Subscription":
      return raw.subscription.timestamp ? { ...out, at: iso(raw.subscription.timestamp) } : out;
    default:
      return out;
  }
}

type ItemResult =
  | { event: SesEvent }
  | { invalid: string }
  | { confirmation: { type: string; topicArn?: string; subscribeUrl?: string } };

function parseItem(item: unknown): ItemResult {
  if (typeof item !== "object" || item === null || Array.isArray(item)) return { invalid: "not a JSON object" };
  const o = item as Record<string, unknown>;
  if (o.Type === "SubscriptionConfirmation" || o.Type === "UnsubscribeConfirmation") {
    const c: { type: string; topicArn?: string; subscribeUrl?: string } = { type: o.Type };
    if (typeof o.TopicArn === "string") c.topicArn = o.TopicArn;
    if (typeof o.SubscribeURL === "string") c.subscribeUrl = o.SubscribeURL;
    return { confirmation: c };
  }
  if (o.Type === "Notification") {
    if (typeof o.Message !== "string") return { invalid: "SNS notification without a Message string" };
    let inner: unknown;
    try {
      inner = JSON.parse(o.Message);
    } catch {
      return { invalid: "SNS Message is not JSON" };
    }
    return parseItem(inner);
  }
  // SES identity notifications (not event publishing) say notificationType; same shape otherwise.
  const candidate =
    o.eventType === undefined && typeof o.notificationType === "string" ? { ...o, eventType: o.notificationType } : o;
  const res = SesEventSchema.safeParse(candidate);
  if (!res.success) {
    const issue = res.error.issues[0];
    return { invalid: issue ? `${issue.path.join(".") || "event"}: ${issue.message}` : "not an SES event" };
  }
  const event = normalise(res.data);
  const tooLong = overLimit(event);
  return tooLong ? { invalid: tooLong } : { event };
}

/**
 * Addresses, the send tag and the message id end up in DynamoDB keys (a sort key holds at most 1024
 * bytes, and no key may be empty): an event carrying a longer one, or an empty address, failed the
 * write with a 500 (and would never leave the live queue). SES never sends them: an address has 1
 * to 254 characters, a tag value at most 256.
 */
function overLimit(event: SesEvent): string | undefined {
  if (event.recipients.some((r) => r.length > RECIPIENT_LIMITS.email))
    return `a recipient address is longer than ${RECIPIENT_LIMITS.email} characters`;
  // An empty string cannot be a key (DynamoDB refuses it in an index key): SES never sends one.
  if (event.recipients.some((r) => r === "")) return "a recipient address is empty";
  for (const [what, value] of [
    ["send tag", event.sendId],
    ["tier tag", event.tier],
    ["messageId", event.messageId],
  ] as const) {
    if (value !== undefined && value.length > MAX_TAG) return `the ${what} is longer than ${MAX_TAG} characters`;
  }
  return undefined;
}

function collect(items: readonly unknown[], indexOf: (i: number) => number, into: ParsedSesEvents): ParsedSesEvents {
  items.forEach((item, i) => {
    const r = parseItem(item);
    if ("event" in r) into.events.push(r.event);
    else if ("invalid" in r) into.invalid.push({ index: indexOf(i), reason: r.invalid });
    else into.confirmations.push({ index: indexOf(i), ...r.confirmation });
  });
  return into;
}

/**
 * Parses what arrives from SES: one event, an SNS envelope around one, or an array of either.
 * Never throws; `invalid[].index` is the position in the array (0 for a single object).
 *
 * @example
 * const { events, invalid } = parseSesEvents(JSON.parse(snsBody));
 * events[0]?.type; // "Bounce"
 */
export function parseSesEvents(input: unknown): ParsedSesEvents {
  const items = Array.isArray(input) ? input : [input];
  return collect(items, (i) => i, { events: [], invalid: [], confirmations: [] });
}

/**
 * Parses text: a JSON array, one JSON object (an event or an SNS envelope), or JSON lines as
 * Firehose writes them. A bad line never stops the rest: it is listed in `invalid` with its line
 * number (1-based); for a JSON array `index` is the array position.
 *
 * @example
 * parseSesEventText('{"eventType":"Open",…}\nnot json\n').invalid; // [{ index: 2, reason: "line is not JSON…" }]
 */
export function parseSesEventText(text: string): ParsedSesEvents {
  const trimmed = text.trim();
  if (trimmed === "") return { events: [], invalid: [], confirmations: [] };
  try {
    // A whole-document parse first: an array, or a single (possibly pretty-printed) object.
    return parseSesEvents(JSON.parse(trimmed));
  } catch {
    // not one JSON document: fall through to lines
  }
  const out: ParsedSesEvents = { events: [], invalid: [], confirmations: [] };
  text.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === "") return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (err) {
      out.invalid.push({ index: i + 1, reason: `line is not JSON: ${(err as Error).message}` });
      return;
    }
    collect(Array.isArray(value) ? value : [value], () => i + 1, out);
  });
  return out;
}
