import { GetAccountCommand, SendEmailCommand, type SESv2Client } from "@aws-sdk/client-sesv2";
import { MailError, type Clock, type Mailer, type MailerSendOptions, type OutgoingEmail, type SendQuota } from "@bulletin/core";
import { classifySesError } from "./classify-ses-error.ts";
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

const systemClock: Clock = { now: () => new Date() };

/**
 * The Mailer port on Amazon SES v2: one SendEmail call per message (Simple content, so each message
 * carries its own List-Unsubscribe headers without templates). Every SDK failure is classified once
 * into a MailError; malformed input (CR/LF in a header or the subject, a bad tag) is an
 * InvalidInputError thrown before anything is sent.
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
    const { ready } = options;
    // What ready() threw, if it did: nothing went out, so it is the caller's error, not one to classify.
    let notReady: { error: unknown } | undefined;
    if (ready) {
      // The deserialize step at low priority is the innermost middleware: the request is serialized
      // and signed, and the next thing is the HTTP handler. (A signature stays valid for minutes,
      // far longer than any wait for a rate token.)
      command.middlewareStack.add(
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
    let messageId: string | undefined;
    try {
      messageId = (await this.client.send(command)).MessageId;
    } catch (err) {
      if (notReady) throw notReady.error;
      throw classifySesError(err);
    }
    if (!messageId) throw new MailError("transient", "SES answered SendEmail without a MessageId");
    return { messageId };
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
      if (!(classified instanceof MailError) || classified.kind === "throttled" || classified.kind === "transient") return this.cached?.value ?? null;
      this.cached = { value: null, expiresAt: now + this.quotaTtlMs };
      return null;
    }
  }
}

function isCount(n: number | undefined): n is number {
  return typeof n === "number" && Number.isFinite(n) && n >= 0;
}
