import { BulletinError } from "../errors/errors.ts";

export type MailErrorKind = "throttled" | "transient" | "rejected" | "account";

/**
 * A failed SES call, classified once by the mailer adapter: what the send pipeline does next depends
 * only on `kind`.
 *
 * @example
 * throw new MailError("rejected", "MessageRejected: Email address is not verified.");
 */
export class MailError extends BulletinError {
  readonly kind: MailErrorKind;
  constructor(kind: MailErrorKind, message: string, options?: { cause?: unknown }) {
    super(`mail.${kind}`, message, options);
    this.kind = kind;
  }
}

/**
 * The SES call broke after the request may have reached SES (a reset or a timeout mid-request): the
 * message may or may not have gone out. Not a MailError on purpose: retrying could send a second
 * copy, so the sender records the recipient as "unknown" and never resends it by itself.
 */
export class AmbiguousSendError extends BulletinError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("mail.ambiguous", message, options);
  }
}
