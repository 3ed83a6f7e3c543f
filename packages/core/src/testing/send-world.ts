import type { Recipient } from "../audience/recipient.ts";
import { TIERS, type Issue, type Tier } from "../issue/issue-schema.ts";
import { deliveryCopyLedger } from "../send/copy-ledger.ts";
import { dispatchSend, type DispatchDeps, type DispatchResult } from "../send/dispatch-send.ts";
import { processBatch, type BatchResult } from "../send/process-batch.ts";
import type { ProcessBatchDeps } from "../send/process-batch-deps.ts";
import type { Send, SendBatch, SendRequest } from "../send/send-model.ts";
import type { CopyLedger } from "../send/send-ports.ts";
import type { SendControlDeps } from "../send/send-controls.ts";
import { TokenBucket } from "../send/token-bucket.ts";
import { FakeMailer, type FakeMailerOptions } from "./fake-mailer.ts";
import { FakeRenderer } from "./fake-renderer.ts";
import { InMemoryDeliveryLedger } from "./in-memory-delivery-ledger.ts";
import { InMemoryIssueRepo } from "./in-memory-issue-repo.ts";
import { InMemoryQueue } from "./in-memory-queue.ts";
import { InMemoryRecipientRepo } from "./in-memory-recipient-repo.ts";
import { InMemorySendRepo } from "./in-memory-send-repo.ts";
import { ManualClock, seededRandom } from "./manual-clock.ts";

export const WORLD_ISSUE_ID = "issue-2025-05";
export const WORLD_ISSUE: Issue = {
  masthead: { title: "山西通信行业简报", number: "第5期", date: "2025年5月20日" },
  sections: [{ name: "高层信息", articles: [{ title: "初见雄安", authors: ["张三"], paragraphs: ["正文。"] }] }],
  distribution: { report: ["省通信管理局"], distribute: ["会员单位"], copy: ["兄弟协会"] },
};

/**
 * `n` active recipients spread over the three tiers in turn: r000@example.cn (report),
 * r001@example.cn (distribute), r002@example.cn (copy), …
 *
 * @example
 * makeRecipients(3).map((r) => r.tier); // ["report", "distribute", "copy"]
 */
export function makeRecipients(n: number, at = "2025-05-01T00:00:00.000Z"): Recipient[] {
  return Array.from({ length: n }, (_, i) => ({
    email: `r${String(i).padStart(3, "0")}@example.cn`,
    name: `收件人${i}`,
    organization: `单位${i % 7}`,
    tier: TIERS[i % 3] as Tier,
    role: "会员",
    status: "active" as const,
    createdAt: at,
    updatedAt: at,
  }));
}

export interface SendWorldOptions {
  recipients?: Recipient[];
  mailer?: FakeMailerOptions;
  ratePerSecond?: number;
  batchSize?: number;
  /** A ledger of the test's own (e.g. one that simulates crashes). */
  deliveries?: InMemoryDeliveryLedger;
}

/**
 * The whole send pipeline on in-memory fakes and one manual clock: create a send, dispatch it, and
 * run the queue as SQS would (failed addresses of a batch come back as a new message).
 *
 * @example
 * const world = new SendWorld({ recipients: makeRecipients(30) });
 * const send = await world.createSend({ tiers: ["report", "distribute", "copy"], test: false, resend: false });
 * await world.dispatch(send.id);
 * await world.runQueue();
 */
export class SendWorld {
  readonly clock = new ManualClock("2025-05-20T08:00:00.000Z");
  readonly recipients: InMemoryRecipientRepo;
  readonly issues = new InMemoryIssueRepo([
    { id: WORLD_ISSUE_ID, label: "第5期", format: "json", createdAt: "2025-05-19T00:00:00.000Z", issue: WORLD_ISSUE },
  ]);
  readonly sends = new InMemorySendRepo();
  readonly deliveries: InMemoryDeliveryLedger;
  readonly copies: CopyLedger;
  readonly queue = new InMemoryQueue();
  readonly renderer = new FakeRenderer();
  readonly mailer: FakeMailer;
  readonly bucket: TokenBucket;
  private readonly batchSize: number;
  private nextId = 1;

  constructor(options: SendWorldOptions = {}) {
    this.recipients = new InMemoryRecipientRepo(options.recipients ?? makeRecipients(30));
    this.deliveries = options.deliveries ?? new InMemoryDeliveryLedger();
    this.copies = deliveryCopyLedger({ sends: this.sends, deliveries: this.deliveries });
    this.mailer = new FakeMailer(options.mailer);
    this.bucket = new TokenBucket({
      ratePerSecond: options.ratePerSecond ?? 14,
      clock: this.clock,
      sleep: this.clock.sleep,
    });
    this.batchSize = options.batchSize ?? 50;
  }

  get dispatchDeps(): DispatchDeps {
    return {
      sends: this.sends,
      issues: this.issues,
      recipients: this.recipients,
      copies: this.copies,
      deliveries: this.deliveries,
      queue: this.queue,
      clock: this.clock,
      batchSize: this.batchSize,
    };
  }

  get controlDeps(): SendControlDeps {
    return {
      sends: this.sends,
      deliveries: this.deliveries,
      queue: this.queue,
      clock: this.clock,
      batchSize: this.batchSize,
    };
  }

  get batchDeps(): ProcessBatchDeps {
    return {
      sends: this.sends,
      issues: this.issues,
      deliveries: this.deliveries,
      renderer: this.renderer,
      mailer: this.mailer,
      bucket: this.bucket,
      clock: this.clock,
      sleep: this.clock.sleep,
      links: (sendId, email, tier) => ({
        unsubscribeUrl: `https://bulletin.example.org/u/${sendId}.${tier}.${encodeURIComponent(email)}`,
        viewOnlineUrl: `https://bulletin.example.org/issues/${WORLD_ISSUE_ID}`,
      }),
      from: "山西通信行业简报 <bulletin@example.org>",
      unsubscribeMailto: "unsubscribe@example.org",
      configurationSet: "bulletin",
      recipients: this.recipients,
      retry: { random: seededRandom(99) },
    };
  }

  async createSend(request: SendRequest, issueId = WORLD_ISSUE_ID): Promise<Send> {
    const send: Send = {
      ...request,
      id: `send-${this.nextId++}`,
      issueId,
      status: "scheduled",
      createdAt: this.clock.iso(),
      total: 0,
    };
    await this.sends.create(send);
    return send;
  }

  async dispatch(sendId: string): Promise<DispatchResult> {
    return dispatchSend(sendId, this.dispatchDeps);
  }

  /**
   * Delivers queued batches until the queue is empty (or `maxMessages` were handled), as SQS with a
   * partial batch response would: a batch's failed addresses come back as a new message, and a
   * batch whose handler threw comes back whole.
   */
  async runQueue(
    options: { deps?: Partial<ProcessBatchDeps>; maxMessages?: number } = {},
  ): Promise<{ results: BatchResult[]; errors: unknown[] }> {
    const results: BatchResult[] = [];
    const errors: unknown[] = [];
    for (let handled = 0; handled < (options.maxMessages ?? 10_000); handled++) {
      const batch = this.queue.take();
      if (!batch) break;
      try {
        const result = await processBatch(batch, { ...this.batchDeps, ...options.deps });
        results.push(result);
        if (result.failedEmails.length > 0) this.queue.redeliver({ sendId: batch.sendId, emails: result.failedEmails });
      } catch (error) {
        errors.push(error);
        this.queue.redeliver(batch);
      }
    }
    return { results, errors };
  }

  /** Delivers one batch by hand (the queue is not touched), with some deps replaced. */
  async deliver(batch: SendBatch, deps: Partial<ProcessBatchDeps> = {}): Promise<BatchResult> {
    return processBatch(batch, { ...this.batchDeps, ...deps });
  }
}
