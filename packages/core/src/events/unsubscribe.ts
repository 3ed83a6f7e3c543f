import { NotFoundError } from "../errors/errors.ts";
import type { Clock } from "../clock.ts";
import type { RecipientRepo } from "../audience/recipient-repo.ts";
import type { SuppressionRepo } from "./events-ports.ts";

/** How a recipient asked to leave: the one-click link (RFC 8058) or a mail to the List-Unsubscribe mailto. */
export type UnsubscribeSource = "one-click" | "mailto";

/** The suppression's `source` for each way of leaving (the dashboard puts it into words). */
export const UNSUBSCRIBE_SOURCES: Record<UnsubscribeSource, string> = {
  "one-click": "one-click unsubscribe",
  mailto: "mailto unsubscribe",
};

export interface UnsubscribeDeps {
  recipients: RecipientRepo;
  suppressions: SuppressionRepo;
  clock: Clock;
}

/**
 * Unsubscribes an address, the same whichever way the person asked: the recipient becomes
 * "unsubscribed" (unless they complained: complained always wins, it is the stronger signal) and
 * the address goes on the suppression list, which every later send checks. Doing it twice changes
 * nothing more; an address no longer on the list is still suppressed.
 *
 * @example
 * await unsubscribeAddress({ email: "a@qq.com", sendId: "s1" }, "mailto", { recipients, suppressions, clock });
 */
export async function unsubscribeAddress(
  who: { email: string; sendId: string },
  source: UnsubscribeSource,
  deps: UnsubscribeDeps,
): Promise<void> {
  const now = deps.clock.now().toISOString();
  const r = await deps.recipients.get(who.email);
  if (r && r.status !== "complained" && r.status !== "unsubscribed") {
    try {
      await deps.recipients.update(who.email, { status: "unsubscribed" }, now);
    } catch (e) {
      // Deleted from the list meanwhile: nothing more to stop.
      if (!(e instanceof NotFoundError)) throw e;
    }
  }
  await deps.suppressions.suppress({
    email: who.email,
    reason: "unsubscribe",
    detail: `send ${who.sendId}`,
    source: UNSUBSCRIBE_SOURCES[source],
    at: now,
  });
}

/** A mail that arrived at the unsubscribe address, as the mail parser read it. */
export interface InboundMail {
  from: string;
  subject: string;
  text: string;
  messageId?: string;
  date?: string;
  /** Where the raw mail is kept (the S3 key on AWS, a file locally), for whoever reads a forward. */
  storedAt?: string;
}

export type UnsubscribeMailResult =
  | { outcome: "unsubscribed"; email: string; sendId: string }
  | { outcome: "forwarded"; reason: string };

export interface UnsubscribeMailDeps extends UnsubscribeDeps {
  /** The signed token's send and address, or null when it was not signed with our key. */
  verify(token: string): { sendId: string; email: string } | null;
  /** Hands a mail that unsubscribed nobody to a person (the forward address). */
  forward(mail: InboundMail, reason: string): Promise<void>;
}

// A signed unsubscribe token: base64url payload "." base64url HMAC-SHA256 (43 characters).
const TOKEN = /[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])/g;

/**
 * Processes a mail sent to the List-Unsubscribe mailto. The mailto carries the recipient's signed
 * token in its subject (mail clients keep the subject as given; QQ Mail unsubscribes this way), so
 * the token is looked for in the subject, then in the text (a client that moved it). A verified
 * token unsubscribes that recipient exactly as the one-click link does, with source "mailto". A mail
 * with no valid token (a forged or damaged one, a person writing in) changes nothing and is
 * forwarded, so that someone reads it.
 *
 * @example
 * await handleUnsubscribeMail({ from: "a@qq.com", subject: "unsubscribe eyJ…", text: "" }, deps); // { outcome: "unsubscribed", … }
 */
export async function handleUnsubscribeMail(
  mail: InboundMail,
  deps: UnsubscribeMailDeps,
): Promise<UnsubscribeMailResult> {
  const candidates = [...(mail.subject.match(TOKEN) ?? []), ...(mail.text.match(TOKEN) ?? [])];
  for (const token of candidates) {
    const who = deps.verify(token);
    if (!who) continue;
    await unsubscribeAddress(who, "mailto", deps);
    return { outcome: "unsubscribed", ...who };
  }
  const reason =
    candidates.length > 0
      ? "the unsubscribe token in it is not valid (forged or damaged)"
      : "it carries no unsubscribe token";
  await deps.forward(mail, reason);
  return { outcome: "forwarded", reason };
}
