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
