import type { SESv2Client } from "@aws-sdk/client-sesv2";
import {
  DomainPacer,
  sendRate,
  TokenBucket,
  type Clock,
  type DeliveryLedger,
  type DomainGroup,
  type DomainPaceStore,
  type FileStore,
  type IssueRepo,
  type Mailer,
  type ProcessBatchDeps,
  type RecipientRepo,
  type Renderer,
  type SendQueue,
  type SendRepo,
} from "@bulletin/core";
import { SesMailer } from "@bulletin/ses";
import { messageSettings, type MessageConfig } from "./unsubscribe-links.ts";

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The SES v2 mailer, the same on both deployables (the local one wraps it to publish SES's events). */
export function sesMailer(ses: SESv2Client, clock: Clock): SesMailer {
  return new SesMailer({ client: ses, clock });
}

/**
 * The token bucket of one sender process: the configured rate, else the account's, split between
 * `concurrency` senders (the queue's maximum concurrency on AWS; one process locally).
 *
 * @example
 * const bucket = await senderBucket(mailer, config.sendRate, 1);
 */
export async function senderBucket(
  mailer: Mailer,
  configured: number | undefined,
  concurrency: number,
): Promise<TokenBucket> {
  return new TokenBucket({
    ratePerSecond: sendRate(await mailer.quota(), configured, concurrency),
    clock: { nowMs: () => Date.now() },
    sleep,
  });
}

/**
 * Everything processBatch needs, built the same way by the sender Lambda and the local pipeline:
 * the stores, the renderer, the mailer and its bucket, and the message settings (From, the
 * List-Unsubscribe mailbox, the configuration set, each recipient's signed links).
 *
 * @example
 * const deps = senderDeps({ stores, renderer, mailer, bucket, clock, config });
 * await processBatch(batch, deps);
 */
export function senderDeps(w: {
  stores: { sends: SendRepo; issues: IssueRepo; deliveries: DeliveryLedger; recipients: RecipientRepo };
  renderer: Renderer;
  mailer: Mailer;
  bucket: TokenBucket;
  clock: Clock;
  config: MessageConfig;
  stopping?: () => boolean;
  /** The domain groups (DOMAIN_RATES) and where their pace is kept, and the queue held-back recipients go back to. */
  domains?: { groups: readonly DomainGroup[]; store: DomainPaceStore; queue: SendQueue };
  /** The issues' own pictures, read when the settings embed photos in the email. */
  files?: Pick<FileStore, "get">;
}): ProcessBatchDeps {
  const { sends, issues, deliveries, recipients } = w.stores;
  return {
    sends,
    issues,
    deliveries,
    recipients,
    renderer: w.renderer,
    mailer: w.mailer,
    bucket: w.bucket,
    clock: w.clock,
    sleep,
    ...messageSettings(w.config),
    ...(w.stopping ? { stopping: w.stopping } : {}),
    ...(w.domains && w.domains.groups.length > 0
      ? {
          domainPacing: {
            groups: w.domains.groups,
            pacer: new DomainPacer(w.domains.store, { nowMs: () => w.clock.now().getTime() }),
          },
          queue: w.domains.queue,
        }
      : {}),
    ...(w.files ? { files: w.files } : {}),
  };
}
