import type { RecipientRepo } from "../audience/recipient-repo.ts";
import type { Clock } from "../clock.ts";
import type { FileStore } from "../issue/issue-files.ts";
import type { IssueRepo } from "../issue/issue-repo.ts";
import type { Tier } from "../issue/issue-schema.ts";
import type { RecipientLinks, Renderer } from "../render/renderer-port.ts";
import type { DomainGroup } from "./domain-groups.ts";
import type { DomainPacer } from "./domain-pacer.ts";
import type { RetryOptions } from "./retry.ts";
import type { DeliveryLedger, Mailer, SendQueue, SendRepo } from "./send-ports.ts";
import type { RateLimiter } from "./token-bucket.ts";

/** What processBatch needs, and mailChunk (which mails one of its calls) with it. */
export interface ProcessBatchDeps {
  sends: SendRepo;
  issues: IssueRepo;
  deliveries: DeliveryLedger;
  renderer: Renderer;
  mailer: Mailer;
  /** Paces the SES calls: a call of n recipients takes n (a TokenBucket). */
  bucket: RateLimiter;
  clock: Clock;
  /** For the retry backoff (the bucket has its own). */
  sleep: (ms: number) => Promise<void>;
  links: (sendId: string, email: string, tier: Tier, issueId: string) => RecipientLinks;
  from: string;
  /** The mailbox of the List-Unsubscribe mailto: link, e.g. "unsubscribe@bulletin.example.org". */
  unsubscribeMailto: string;
  configurationSet?: string;
  /** Backoff settings; `sleep` defaults to deps.sleep. */
  retry?: Partial<RetryOptions>;
  /**
   * Recipients per SES call (SendBulkEmail takes 50 at most); never more than the rate allows in
   * one second (`bucket.capacity`). Default 50. A test send mails one address per call.
   */
  chunkSize?: number;
  /**
   * When given, names and organisations for the greeting are read from it (one getMany per batch),
   * and a recipient who unsubscribed, bounced or complained since dispatch is not mailed: the
   * delivery fails with that status as its reason.
   */
  recipients?: RecipientRepo;
  /** The issues' own pictures, for an email that embeds its photos (the settings say so); else linked. */
  files?: Pick<FileStore, "get">;
  /**
   * True once the process is stopping (SIGTERM): nothing more is claimed, and what the batch has
   * not claimed goes back to the queue. Calls already on the wire finish and are settled.
   */
  stopping?: () => boolean;
  /**
   * Pacing per recipient domain (DOMAIN_RATES): the groups and their shared pacer. A group's
   * recipients go in calls of their own; a call whose group is at its limit is held back (still
   * queued) without holding back anyone else.
   */
  domainPacing?: { groups: readonly DomainGroup[]; pacer: DomainPacer };
  /**
   * Where held-back recipients go: a new message of their own, delayed until their group has room
   * (at most SQS's 15 minutes). Without it they are handed back with the batch (failedEmails).
   */
  queue?: SendQueue;
  /** Spreads the held-back messages' return (a number in [0, 1)); default Math.random. */
  random?: () => number;
}
