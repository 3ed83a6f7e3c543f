import type { StackConnection } from "./sdk-config.ts";

/** One email as aws-ses-v2-local stores it (the `emails[]` items of its `GET /store`). */
export interface SentEmail {
  messageId: string;
  from: string;
  replyTo: string[];
  destination: { to: string[]; cc: string[]; bcc: string[] };
  subject: string;
  body: { html?: string; text?: string };
  attachments: { content: string; contentType: string; filename?: string; size: number }[];
  headers?: { name: string; value: string }[];
  /** Epoch seconds when it was sent. */
  at: number;
}

/**
 * Emails that SES "sent", read from aws-ses-v2-local's JSON store (`GET /store[?since=<epoch s>]`),
 * oldest first. This is how tests assert on delivery without a mailbox.
 *
 * @example
 * const mails = await readSentEmails(stack);
 * expect(mails.at(-1)?.subject).toBe("March bulletin");
 */
export async function readSentEmails(
  stack: Pick<StackConnection, "endpoints">,
  opts: { sinceEpochSeconds?: number } = {},
): Promise<SentEmail[]> {
  const url = new URL("/store", stack.endpoints.ses);
  if (opts.sinceEpochSeconds !== undefined) url.searchParams.set("since", String(opts.sinceEpochSeconds));
  const res = await fetch(url);
  if (!res.ok) throw new Error(`emulators: GET ${url} answered ${res.status}`);
  const store = (await res.json()) as { emails: SentEmail[] };
  return store.emails;
}

/**
 * Empties aws-ses-v2-local's inbox (and its templates), e.g. between tests.
 *
 * @example
 * await clearSentEmails(stack);
 */
export async function clearSentEmails(stack: Pick<StackConnection, "endpoints">): Promise<void> {
  const res = await fetch(new URL("/clear-store", stack.endpoints.ses), { method: "POST" });
  await res.arrayBuffer();
  if (!res.ok) throw new Error(`emulators: clearing the SES store answered ${res.status}`);
}
