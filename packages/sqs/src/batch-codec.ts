import { InvalidInputError, type SendBatch } from "@bulletin/core";

/**
 * The body of one send-queue message: `{"sendId":"…","emails":["…"]}`, and a held-back call's
 * booked slot, `"slot":{"group":"qq.com","at":<ms>}`.
 *
 * @example
 * encodeSendBatch({ sendId: "s-1", emails: ["ann@example.org"] }); // '{"sendId":"s-1","emails":["ann@example.org"]}'
 */
export function encodeSendBatch(batch: SendBatch): string {
  return JSON.stringify({
    sendId: batch.sendId,
    emails: batch.emails,
    ...(batch.slot ? { slot: { group: batch.slot.group, at: batch.slot.at } } : {}),
  });
}

/**
 * Parses a message body back into a SendBatch; InvalidInputError when it is not one (such a message
 * can never succeed, so the poller leaves it to the dead-letter queue).
 *
 * @example
 * decodeSendBatch('{"sendId":"s-1","emails":[]}'); // { sendId: "s-1", emails: [] }
 */
export function decodeSendBatch(body: string | undefined): SendBatch {
  let value: unknown;
  try {
    value = JSON.parse(body ?? "");
  } catch {
    throw new InvalidInputError("sqs.bad-message", "the message body is not JSON");
  }
  const v = value as { sendId?: unknown; emails?: unknown };
  if (
    typeof v !== "object" ||
    v === null ||
    typeof v.sendId !== "string" ||
    v.sendId === "" ||
    !Array.isArray(v.emails) ||
    !v.emails.every((e) => typeof e === "string")
  ) {
    throw new InvalidInputError("sqs.bad-message", "the message body is not a send batch ({ sendId, emails })");
  }
  const slot = (value as { slot?: unknown }).slot as { group?: unknown; at?: unknown } | undefined;
  if (slot === undefined) return { sendId: v.sendId, emails: v.emails as string[] };
  if (
    typeof slot !== "object" ||
    slot === null ||
    typeof slot.group !== "string" ||
    typeof slot.at !== "number" ||
    !Number.isFinite(slot.at)
  ) {
    throw new InvalidInputError("sqs.bad-message", "the message's slot is not { group, at }");
  }
  return { sendId: v.sendId, emails: v.emails as string[], slot: { group: slot.group, at: slot.at } };
}
