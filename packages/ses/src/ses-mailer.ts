import { GetAccountCommand, SendBulkEmailCommand, SendEmailCommand, type SESv2Client } from "@aws-sdk/client-sesv2";
import {
  MailError,
  type BulkEmail,
  type BulkEntryResult,
  type Clock,
  type Mailer,
  type MailerSendOptions,
  type OutgoingEmail,
  type SendQuota,
  systemClock,
} from "@bulletin/core";
import { classifyBulkStatus, classifySesError } from "./classify-ses-error.ts";
import { toSendBulkEmailInput } from "./send-bulk-email-input.ts";
import { toSendEmailInput } from "./send-email-input.ts";

export interface SesMailerOptions {
  /**
   * The SES v2 client. Build it with `maxAttempts: 1` to leave retries to the send pipeline, and with
   * `requestHandler: { requestTimeout, throwOnRequestTimeout: true }`: without the latter the SDK only
   * logs a warning when SES does not answer, and the send waits forever.
   */
  client: SESv2Client;
  /** How long quota() reuses an answer of GetAccount; default 60 000 ms. */
  quotaTtlMs?: number;
  clock?: Clock;
}

/**
 * The Mailer port on Amazon SES v2: SendBulkEmail for up to 50 recipients a call (the email as inline
 * template content, each entry with its own values, List-Unsubscribe headers and tags), and
 * SendEmail for one message (test sends). Every SDK failure, and every failed entry of a bulk call,
 * is classified once into a MailError; malformed input (CR/LF in a header or the subject, a bad tag)
 * is an InvalidInputError thrown before anything is sent.
 *
 * @example
 * const mailer = new SesMailer({ client: new SESv2Client({ region: "eu-west-1", maxAttempts: 1 }) });
 * const { messageId } = await mailer.send({ from: "bulletin@example.org", to: "ann@example.org",
 *   subject: "May bulletin", html, text, headers: [], tags: { send: "s-1" }, configurationSet: "bulletin" });
 * const quota = await mailer.quota(); // { maxSendRate: 14, max24HourSend: 50000, sentLast24Hours: 120 } | null
 */
export class SesMailer implements Mailer {
  private readonly client: SESv2Client;
  private readonly quotaTtlMs: number;
  private readonly clock: Clock;
  private cached: { value: SendQuota | null; expiresAt: number } | undefined;
  private pending: Promise<SendQuota | null> | undefined;

  constructor(opts: SesMailerOptions) {
    this.client = opts.client;
    this.quotaTtlMs = opts.quotaTtlMs ?? 60_000;
    this.clock = opts.clock ?? systemClock;
  }

  async send(email: OutgoingEmail, options: MailerSendOptions = {}): Promise<{ messageId: string }> {
    const command = new SendEmailCommand(toSendEmailInput(email));
    const messageId = (await this.call(command, () => this.client.send(command), options)).MessageId;
    if (!messageId) throw new MailError("transient", "SES answered SendEmail without a MessageId");
    return { messageId };
  }

  async sendBulk(email: BulkEmail, options: MailerSendOptions = {}): Promise<BulkEntryResult[]> {
    const command = new SendBulkEmailCommand(toSendBulkEmailInput(email));
    const results = (await this.call(command, () => this.client.send(command), options)).BulkEmailEntryResults ?? [];
    return email.entries.map((entry, i): BulkEntryResult => {
      const r = results[i];
      if (r?.Status === "SUCCESS" && r.MessageId) return { to: entry.to, messageId: r.MessageId };
      // An entry SES did not answer for was certainly not sent by this call.
      return {
        to: entry.to,
        error: r
          ? classifyBulkStatus(r.Status, r.Error)
          : new MailError("transient", "SES answered SendBulkEmail without a result for this entry"),
      };
    });
  }

  /**
   * Sends a command, awaiting `options.ready` right before it goes on the wire, and classifies what
   * SES threw. What ready() threw is the caller's own error: nothing went out.
   */
  private async call<T>(
    command: SendEmailCommand | SendBulkEmailCommand,
    send: () => Promise<T>,
    options: MailerSendOptions,
  ): Promise<T> {
    const { ready } = options;
    let notReady: { error: unknown } | undefined;
    if (ready) {
      // The deserialize step at low priority is the innermost middleware: the request is serialized
      // and signed, and the next thing is the HTTP handler. (A signature stays valid for minutes,
      // far longer than any wait for a rate token.)
      (command.middlewareStack as SendEmailCommand["middlewareStack"]).add(
        (next) => async (args) => {
          try {
            await ready();
          } catch (error) {
            notReady = { error };
            throw error;
          }
          return next(args);
        },
        { step: "deserialize", priority: "low", name: "bulletinReadyToSend" },
      );
    }
    try {
      return await send();
    } catch (err) {
      if (notReady) throw notReady.error;
      throw classifySesError(err);
    }
  }

  /**
   * GetAccount's SendQuota, reused for quotaTtlMs. null when SES does not say: a client error (no
   * ses:GetAccount permission; aws-ses-v2-local without AWS_SES_ACCOUNT) or an answer without
   * SendQuota. A throttled or failed call returns the last known quota (or null) and is not cached.
   */
  quota(): Promise<SendQuota | null> {
    const now = this.clock.now().getTime();
    if (this.cached && now < this.cached.expiresAt) return Promise.resolve(this.cached.value);
    // Concurrent callers share one GetAccount call.
    this.pending ??= this.fetchQuota(now).finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  private async fetchQuota(now: number): Promise<SendQuota | null> {
    try {
      const q = (await this.client.send(new GetAccountCommand({}))).SendQuota;
      const value =
        q && isCount(q.Max24HourSend) && isCount(q.MaxSendRate) && isCount(q.SentLast24Hours)
          ? { max24HourSend: q.Max24HourSend, maxSendRate: q.MaxSendRate, sentLast24Hours: q.SentLast24Hours }
          : null;
      this.cached = { value, expiresAt: now + this.quotaTtlMs };
      return value;
    } catch (err) {
      const classified = classifySesError(err);
      // A quota read may be retried freely (it sends nothing): keep the last known quota.
      if (!(classified instanceof MailError) || classified.kind === "throttled" || classified.kind === "transient")
        return this.cached?.value ?? null;
      this.cached = { value: null, expiresAt: now + this.quotaTtlMs };
      return null;
    }
  }
}

function isCount(n: number | undefined): n is number {
  return typeof n === "number" && Number.isFinite(n) && n >= 0;
}
