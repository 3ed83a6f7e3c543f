import { MailError } from "../send/mail-error.ts";
import type {
  BulkEmail,
  BulkEntryResult,
  Mailer,
  MailerSendOptions,
  OutgoingEmail,
  SendQuota,
} from "../send/send-ports.ts";
import { fillTemplate } from "./fake-renderer.ts";
import { seededRandom } from "./manual-clock.ts";

export interface FakeMailerOptions {
  /** Share of calls (0–1) answered "throttled", drawn from `random`. */
  throttleFraction?: number;
  /** Share of calls (0–1) answered "transient", drawn from `random`. */
  transientFraction?: number;
  /** Default seededRandom(1): the same options, the same run. */
  random?: () => number;
  /** Addresses SES refuses ("rejected"). */
  reject?: Iterable<string>;
  /** After this many accepted messages the account is paused: every call fails "account". */
  pauseAfter?: number;
  /** What `quota()` answers; `sentLast24Hours` grows by the messages accepted. null = SES does not say. */
  quota?: SendQuota | null;
  /** Called with each accepted message, before `send` returns (e.g. to record a time, or crash). */
  onAccept?: (email: OutgoingEmail) => void;
  /** Called when a call is about to be answered, after SES accepted it; throwing loses the answer. */
  onAnswer?: (accepted: OutgoingEmail[]) => void;
}

export const REJECTED_MESSAGE = "MessageRejected: Email address is not verified.";
export const ACCOUNT_PAUSED_MESSAGE = "AccountSuspendedException: Sending is paused for this account.";

/**
 * A Mailer that records what it "sends" and misbehaves on request like SES: throttling a seeded
 * fraction of calls, rejecting given addresses, pausing the account after N messages. A bulk call's
 * entries are recorded one message each, with the template filled in as SES would.
 *
 * @example
 * const mailer = new FakeMailer({ throttleFraction: 0.3, random: seededRandom(7), reject: ["bad@example.cn"] });
 * await mailer.send(email); // may throw MailError("throttled", …)
 * mailer.sent.length; // messages accepted
 */
export class FakeMailer implements Mailer {
  /** Accepted messages, in order, with the id SES would have given. */
  readonly sent: { messageId: string; email: OutgoingEmail }[] = [];
  /** Every call, accepted or not. */
  calls = 0;
  /** Every call's number of destinations, in order. */
  readonly callSizes: number[] = [];
  private readonly random: () => number;
  private readonly reject: Set<string>;
  private paused = false;
  private readonly options: FakeMailerOptions;

  constructor(options: FakeMailerOptions = {}) {
    this.options = { ...options };
    this.random = options.random ?? seededRandom(1);
    this.reject = new Set(options.reject ?? []);
  }

  async send(email: OutgoingEmail, options: MailerSendOptions = {}): Promise<{ messageId: string }> {
    const [result] = await this.call([email], options);
    if (!("messageId" in result!)) throw result!.error;
    return result!;
  }

  async sendBulk(bulk: BulkEmail, options: MailerSendOptions = {}): Promise<BulkEntryResult[]> {
    const messages = bulk.entries.map(
      (e): OutgoingEmail => ({
        from: bulk.from,
        to: e.to,
        subject: bulk.subject,
        html: fillTemplate(bulk.html, e.values),
        text: fillTemplate(bulk.text, e.values),
        headers: e.headers,
        tags: e.tags,
        ...(bulk.configurationSet === undefined ? {} : { configurationSet: bulk.configurationSet }),
      }),
    );
    return this.call(messages, options);
  }

  /** One call: the whole call may be throttled, fail or meet a paused account; then each message on its own. */
  private async call(messages: OutgoingEmail[], options: MailerSendOptions): Promise<BulkEntryResult[]> {
    await options.ready?.();
    this.calls++;
    this.callSizes.push(messages.length);
    const { throttleFraction = 0, transientFraction = 0, pauseAfter } = this.options;
    if (pauseAfter !== undefined && this.sent.length >= pauseAfter) this.paused = true;
    if (this.paused) throw new MailError("account", ACCOUNT_PAUSED_MESSAGE);
    if (throttleFraction > 0 && this.random() < throttleFraction)
      throw new MailError("throttled", "TooManyRequestsException: Maximum sending rate exceeded.");
    if (transientFraction > 0 && this.random() < transientFraction)
      throw new MailError("transient", "InternalFailure: try again.");
    const accepted: OutgoingEmail[] = [];
    const results = messages.map((email): BulkEntryResult => {
      if (this.reject.has(email.to)) return { to: email.to, error: new MailError("rejected", REJECTED_MESSAGE) };
      const messageId = `fake-${String(this.sent.length + 1).padStart(6, "0")}`;
      this.sent.push({ messageId, email: structuredClone(email) });
      accepted.push(email);
      this.options.onAccept?.(email);
      return { to: email.to, messageId };
    });
    this.options.onAnswer?.(accepted);
    return results;
  }

  async quota(): Promise<SendQuota | null> {
    const q =
      this.options.quota === undefined
        ? { maxSendRate: 14, max24HourSend: 50_000, sentLast24Hours: 0 }
        : this.options.quota;
    return q && { ...q, sentLast24Hours: q.sentLast24Hours + this.sent.length };
  }

  /** Lifts an account pause (and stops pausing again: `pauseAfter` is used once). */
  resumeAccount(): void {
    this.paused = false;
    delete this.options.pauseAfter;
  }

  /** Changes what `quota()` answers from now on. */
  setQuota(quota: SendQuota | null): void {
    this.options.quota = quota;
  }

  /** Stops rejecting an address (it was fixed, or verified in the sandbox). */
  accept(address: string): void {
    this.reject.delete(address);
  }

  /** How many messages were accepted for one address. */
  sentTo(address: string): number {
    return this.sent.filter((s) => s.email.to === address).length;
  }
}
