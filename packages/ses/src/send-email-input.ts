import { type InlineImage, InvalidInputError, type OutgoingEmail } from "@bulletin/core";
import type { Attachment, MessageHeader, SendEmailCommandInput } from "@aws-sdk/client-sesv2";
import { toEmailTags } from "./message-tags.ts";

const CR_LF = /[\r\n]/;
// SES v2 MessageHeader: name ^[!-9;-@A-~]+$ (printable ASCII but ":"), 1-126; value [ -~]*, 1-870.
const HEADER_NAME = /^[!-9;-@A-~]{1,126}$/;
const HEADER_VALUE = /^[ -~]{1,870}$/;
// Headers SES builds itself from the request: a custom one would clash with (or forge) them.
const RESERVED_HEADERS = new Set([
  "from",
  "to",
  "cc",
  "bcc",
  "subject",
  "reply-to",
  "return-path",
  "sender",
  "date",
  "message-id",
  "mime-version",
  "content-type",
  "content-transfer-encoding",
]);

/**
 * Builds the SendEmail request for one message: Simple content (UTF-8 subject, HTML and text bodies,
 * the per-message List-Unsubscribe headers, embedded photos as inline attachments), the
 * configuration set and the encoded tags. Throws
 * InvalidInputError for a subject or header containing CR/LF (header injection), a header SES would
 * refuse, or a tag SES would refuse (see toEmailTags).
 *
 * @example
 * const input = toSendEmailInput({ from, to, subject: "May bulletin", html, text, headers: [
 *   { name: "List-Unsubscribe", value: "<https://example.org/u/abc>" },
 *   { name: "List-Unsubscribe-Post", value: "List-Unsubscribe=One-Click" } ], tags: { send: "s-1" } });
 * await client.send(new SendEmailCommand(input));
 */
export function toSendEmailInput(email: OutgoingEmail): SendEmailCommandInput {
  if (CR_LF.test(email.subject) || CR_LF.test(email.from)) {
    throw new InvalidInputError("ses.header-injection", "the subject and From must not contain CR or LF");
  }
  const input: SendEmailCommandInput = {
    FromEmailAddress: email.from,
    Destination: { ToAddresses: [email.to] },
    Content: {
      Simple: {
        Subject: { Data: email.subject, Charset: "UTF-8" },
        Body: { Html: { Data: email.html, Charset: "UTF-8" }, Text: { Data: email.text, Charset: "UTF-8" } },
        Headers: email.headers.map(toHeader),
        ...(email.attachments?.length ? { Attachments: email.attachments.map(toAttachment) } : {}),
      },
    },
    EmailTags: toEmailTags(email.tags),
  };
  if (email.replyTo !== undefined) input.ReplyToAddresses = replyToAddresses(email.replyTo);
  if (email.configurationSet !== undefined) input.ConfigurationSetName = email.configurationSet;
  return input;
}

/** A picture the HTML shows by cid: URL: an INLINE attachment (SES v2 Simple or Template content), base64 on the wire. */
export function toAttachment(a: InlineImage): Attachment {
  if (
    !/^[A-Za-z0-9._@-]{1,100}$/.test(a.contentId) ||
    !/^[A-Za-z0-9._-]{1,100}$/.test(a.fileName) ||
    !/^image\/(jpeg|png|gif)$/.test(a.contentType)
  ) {
    throw new InvalidInputError(
      "ses.attachment-invalid",
      `inline picture ${JSON.stringify(a.fileName)}: a plain content id and file name, and an image type`,
    );
  }
  return {
    RawContent: a.bytes,
    ContentDisposition: "INLINE",
    ContentId: a.contentId,
    FileName: a.fileName,
    ContentType: a.contentType,
    ContentTransferEncoding: "BASE64",
  };
}

/** The Reply-To of a message: one plain address, nothing a header could be made of. */
export function replyToAddresses(replyTo: string): string[] {
  if (/[\s<>,]/.test(replyTo))
    throw new InvalidInputError("ses.header-injection", "the Reply-To address must be one plain address");
  return [replyTo];
}

export function toHeader(header: { name: string; value: string }): MessageHeader {
  const { name, value } = header;
  if (CR_LF.test(name) || CR_LF.test(value)) {
    throw new InvalidInputError("ses.header-injection", `header ${JSON.stringify(name)} must not contain CR or LF`);
  }
  if (!HEADER_NAME.test(name)) {
    throw new InvalidInputError(
      "ses.header-invalid",
      `header name ${JSON.stringify(name)} must be 1-126 printable ASCII characters without ":"`,
    );
  }
  if (RESERVED_HEADERS.has(name.toLowerCase())) {
    throw new InvalidInputError(
      "ses.header-invalid",
      `header ${name} is set by SES from the request, not as a custom header`,
    );
  }
  if (!HEADER_VALUE.test(value)) {
    throw new InvalidInputError(
      "ses.header-invalid",
      `header ${name}: the value must be 1-870 printable ASCII characters`,
    );
  }
  return { Name: name, Value: value };
}
