import { SESv2Client } from "@aws-sdk/client-sesv2";
import { messageSettings } from "@bulletin/api";
import {
  type Clock,
  type CopyLedger,
  type DeliveryLedger,
  dispatchSend,
  enqueueQueued,
  type FileStore,
  type IssueRepo,
  listActiveSends,
  processBatch,
  type RecipientRepo,
  recoverStale,
  runMonthlySchedule,
  type Renderer,
  sendRate,
  type SendRepo,
  TokenBucket,
} from "@bulletin/core";
import { awsClientConfig, type LocalStack } from "@bulletin/local-stack";
import { SesMailer } from "@bulletin/ses";
import { createSqsClient, ensureQueue, type QueuePollerOptions, SqsSendQueue, startQueuePoller } from "@bulletin/sqs";
import type { EventPipeline } from "./event-pipeline.ts";
import type { LocalConfig } from "./local-config.ts";
import { sendWatchdog } from "./send-watchdog.ts";

export interface SendPipelineDeps {
  /** The suppression list: addresses every send skips (bounces, complaints, unsubscribes). */
  suppressed: (emails: readonly string[]) => Promise<Set<string>>;
  /** Rebuilds a send's counters from its records and clears unfinished markers (single-writer recovery). */
  reconcile(sendId: string): Promise<unknown>;
  sends: SendRepo;
  issues: IssueRepo;
  recipients: RecipientRepo;
  deliveries: DeliveryLedger;
  copies: CopyLedger;
  renderer: Renderer;
  clock: Clock;
  /** The issues' own pictures, for emails that embed their photos. */
  files?: Pick<FileStore, "get">;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const SCHEDULER_INTERVAL_MS = 5_000;

/**
 * The sending side, wired as on AWS: the send queue on SQS (with its DLQ), the sender fed by a poller
 * with the Lambda SQS event source's partial-batch semantics, the SES v2 mailer paced by one token
 * bucket, an in-process dispatcher, and a timer for scheduled sends (the cron's job on AWS).
 *
 * On start it recovers what a killed predecessor left: locally this process is the only sender, so
 * deliveries still "sending" were cut off mid-call and become "unknown" (never resent), and queued
 * ones of running sends are enqueued again (fauxqs keeps no messages across restarts).
 *
 * @example
 * const pipeline = await startSendPipeline(stack, config, unsubscribeKey, deps, events, log);
 * pipeline.dispatch(sendId);
 */
export async function startSendPipeline(stack: LocalStack, config: LocalConfig, unsubscribeKey: string, deps: SendPipelineDeps, events: EventPipeline | undefined, log: (line: string) => void) {
  const sqs = createSqsClient({ ...awsClientConfig(stack, "sqs"), ...(config.sqsEndpoint ? { endpoint: config.sqsEndpoint } : {}) });
  const { queueUrl } = await ensureQueue(sqs, "bulletin-send", { dlqName: "bulletin-send-dlq", maxReceiveCount: 5, visibilityTimeoutSeconds: 30 });
  const queue = new SqsSendQueue({ client: sqs, queueUrl });
  const ses = new SESv2Client({
    ...awsClientConfig(stack, "ses"),
    ...(config.sesEndpoint ? { endpoint: config.sesEndpoint } : {}),
    // One attempt per call: the pipeline's own retry (with the token bucket) is the only one.
    maxAttempts: 1,
    requestHandler: { requestTimeout: 10_000, throwOnRequestTimeout: true },
  });
  const sesMailer = new SesMailer({ client: ses, clock: deps.clock });
  const mailer = events ? events.simulating(sesMailer) : sesMailer;
  const rate = sendRate(await mailer.quota(), config.sendRate);
  const bucket = new TokenBucket({ ratePerSecond: rate, clock: { nowMs: () => Date.now() }, sleep });
  const dispatchDeps = { ...deps, queue };
  const batchDeps = {
    ...deps,
    mailer,
    bucket,
    sleep,
    ...messageSettings({ ...config, unsubscribeKey }),
  };


  // Two pollers: while one waits for the slowest batch of its poll, the other keeps the token
  // bucket busy, as overlapping Lambda invocations would (one alone idled ~4% of the rate away).
  const pollerOptions: QueuePollerOptions = {
    client: sqs,
    queueUrl,
    waitSeconds: 1,
    // A batch handed back (SES kept throttling, or the send is paused) comes back in seconds, not
    // after the whole visibility timeout; a paused send's batches may end in the DLQ, which is
    // harmless: resume re-enqueues what the ledger still has queued.
    retryDelaySeconds: 3,
    handler: async (items) => {
      // The batches of one poll are sent side by side, as concurrent Lambda invocations would be;
      // the shared token bucket keeps them all within the rate.
      const failed = await Promise.all(
        items.map(async (item) => {
          try {
            const { failedEmails } = await processBatch(item.batch, batchDeps);
            if (failedEmails.length === 0) return null;
            log(`sender: ${failedEmails.length} of the batch of send ${item.batch.sendId} go back on the queue (paused, or SES kept refusing them)`);
          } catch (e) {
            log(`sender: batch of send ${item.batch.sendId} failed: ${(e as Error).message}`);
          }
          return item.messageId;
        }),
      );
      return { failedMessageIds: failed.filter((id): id is string => id !== null) };
    },
  };
  const pollers = [startQueuePoller(pollerOptions), startQueuePoller(pollerOptions)];
  const dispatching = new Set<string>();
  const watchdog = sendWatchdog({
    ...deps,
    queue,
    dispatch: (sendId) => dispatch(sendId),
    isDispatching: (sendId) => dispatching.has(sendId),
    log,
  });
  const dispatch = (sendId: string) => {
    watchdog.watch(sendId);
    dispatching.add(sendId);
    dispatchSend(sendId, dispatchDeps)
      .catch((e: unknown) => log(`dispatcher: send ${sendId}: ${(e as Error).message}`))
      .finally(() => dispatching.delete(sendId));
  };
  // The cron's job on AWS: scheduled sends whose time has come, and the monthly send.
  const scheduler = setInterval(() => {
    deps.sends
      .listDue(deps.clock.now().toISOString())
      .then((due) => due.forEach((s) => dispatch(s.id)))
      .catch((e: unknown) => log(`scheduler: ${(e as Error).message}`));
    watchdog.tick().catch((e: unknown) => log(`watchdog: ${(e as Error).message}`));
    if (config.monthly) {
      runMonthlySchedule(config.monthly, { issues: deps.issues, sends: deps.sends, clock: deps.clock, dispatch })
        .then((id) => id && log(`monthly send ${id} started`))
        .catch((e: unknown) => log(`monthly send: ${(e as Error).message}`));
    }
  }, SCHEDULER_INTERVAL_MS);
  scheduler.unref();

  await recoverRunningSends(deps, dispatchDeps, log, (sendId) => watchdog.watch(sendId)).catch((e: unknown) => log(`recovery: ${(e as Error).message}`));
  return {
    queue,
    rate,
    dispatch,
    stop: async () => {
      clearInterval(scheduler);
      await Promise.all(pollers.map((p) => p.stop()));
      sqs.destroy();
      ses.destroy();
    },
  };
}

/** After a restart: every running send's cut-off deliveries become unknown, its queued ones go back on the queue. */
async function recoverRunningSends(deps: SendPipelineDeps, dispatchDeps: SendPipelineDeps & { queue: SqsSendQueue }, log: (line: string) => void, watch: (sendId: string) => void) {
  for (const send of await listActiveSends(deps)) {
    watch(send.id);
    // This process is the only writer: counter markers the dead sender left are rebuilt from the
    // records at once (no lease to wait out), then its cut-off deliveries become "unknown". Both
    // before anything of the send is enqueued, while no sender can be moving its deliveries.
    // A send still "dispatching" is recovered too: senders work on its batches before the
    // dispatcher's last step, so it can have claimed deliveries as well. (Found by the kill tests:
    // it was only dispatched again, its claimed deliveries stayed "sending" and it never finished.)
    await deps.reconcile(send.id);
    const unknown = await recoverStale(send.id, { sends: deps.sends, deliveries: deps.deliveries, clock: deps.clock }, 0);
    if (send.status === "dispatching") await dispatchSend(send.id, dispatchDeps);
    const requeued = send.status === "sending" ? await enqueueQueued(send.id, dispatchDeps) : 0;
    if (unknown || requeued) log(`recovered send ${send.id}: ${unknown} unknown, ${requeued} re-queued`);
  }
}
