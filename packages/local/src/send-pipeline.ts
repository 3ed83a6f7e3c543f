import {
  type Clock,
  type CopyLedger,
  type DomainPaceStore,
  type DeliveryLedger,
  dispatchSend,
  type FileStore,
  type IssueRepo,
  processBatch,
  type RecipientRepo,
  runMonthlySchedule,
  type Renderer,
  type SendRepo,
  sweepSends,
} from "@bulletin/core";
import type { LocalStack } from "@bulletin/emulators";
import { ensureQueue, type QueuePollerOptions, SqsSendQueue, startQueuePoller } from "@bulletin/sqs";
import {
  queueIsEmpty,
  senderBucket,
  senderDeps,
  sesClient,
  sesMailer,
  sqsClient,
  type ClientSettings,
} from "@bulletin/wiring";
import type { EventPipeline } from "./event-pipeline.ts";
import type { LocalConfig } from "./local-config.ts";

export interface SendPipelineDeps {
  /** The suppression list: addresses every send skips (bounces, complaints, unsubscribes). */
  suppressed: (emails: readonly string[]) => Promise<Set<string>>;
  sends: SendRepo;
  issues: IssueRepo;
  recipients: RecipientRepo;
  deliveries: DeliveryLedger;
  copies: CopyLedger;
  renderer: Renderer;
  clock: Clock;
  /** Where each domain group's pace is kept (DynamoDB, shared with any other sender). */
  domainPace: DomainPaceStore;
  /** The issues' own pictures, for emails that embed their photos. */
  files?: Pick<FileStore, "get">;
}

const SCHEDULER_INTERVAL_MS = 5_000;
/**
 * A claim older than this, while the service runs, belongs to a call that lost its sender: far past
 * SES's 10 s timeout and the retries of a call. (At start every claim is a dead one: this process is
 * the only sender.)
 */
const LOCAL_STALE_MS = 5 * 60_000;
/** How long a stop waits for the calls on the wire (SIGTERM's grace is commonly 10 s). */
const DRAIN_MS = 4_000;

/**
 * The sending side, wired with @bulletin/wiring as the Lambda handlers are: the send queue on SQS
 * (with its DLQ), the sender fed by a poller with the Lambda SQS event source's partial-batch
 * semantics, the SES v2 mailer paced by one token bucket, an in-process dispatcher, and a timer for
 * scheduled sends and core's sweeper (the cron's job on AWS).
 *
 * The sweeper is the one crash-recovery path. At start it finds what a killed predecessor left:
 * deliveries still "sending" were cut off mid-call and become "unknown" (never resent), queued ones
 * of running sends go back on the queue (fauxqs keeps no messages across restarts), a send left
 * "dispatching" is dispatched again. Then it runs every few seconds, as the cron does on AWS.
 *
 * `stop` drains: nothing more is claimed, the calls on the wire finish and are settled (for at most
 * a few seconds), and what batches had not claimed goes back to the queue, still queued.
 *
 * @example
 * const pipeline = await startSendPipeline(stack, config, unsubscribeKey, deps, events, log);
 * pipeline.dispatch(sendId);
 */
export async function startSendPipeline(
  stack: LocalStack,
  config: LocalConfig,
  unsubscribeKey: string,
  deps: SendPipelineDeps,
  events: EventPipeline | undefined,
  log: (line: string) => void,
) {
  const clients: ClientSettings = {
    region: stack.region,
    credentials: stack.credentials,
    endpoints: { ses: config.sesEndpoint ?? stack.endpoints.ses, sqs: config.sqsEndpoint ?? stack.endpoints.sqs },
  };
  const sqs = sqsClient(clients);
  const { queueUrl } = await ensureQueue(sqs, "bulletin-send", {
    dlqName: "bulletin-send-dlq",
    maxReceiveCount: 5,
    visibilityTimeoutSeconds: 30,
  });
  const queue = new SqsSendQueue({ client: sqs, queueUrl });
  const ses = sesClient(clients);
  const mailer = events ? events.simulating(sesMailer(ses, deps.clock)) : sesMailer(ses, deps.clock);
  const bucket = await senderBucket(mailer, config.sendRate, 1);
  let stopping = false;
  const batchDeps = senderDeps({
    stores: deps,
    renderer: deps.renderer,
    mailer,
    bucket,
    clock: deps.clock,
    config: { ...config, unsubscribeKey },
    stopping: () => stopping,
    domains: { groups: config.domainGroups, store: deps.domainPace, queue },
    ...(deps.files ? { files: deps.files } : {}),
  });
  const dispatchDeps = { ...deps, queue };

  const dispatching = new Set<string>();
  const dispatch = (sendId: string) => {
    dispatching.add(sendId);
    dispatchSend(sendId, dispatchDeps)
      .catch((e: unknown) => log(`dispatcher: send ${sendId}: ${(e as Error).message}`))
      .finally(() => dispatching.delete(sendId));
  };
  const sweep = async (staleAfterMs: number) => {
    const report = await sweepSends({
      ...dispatchDeps,
      dispatch,
      queueIsEmpty: () => queueIsEmpty(sqs, queueUrl),
      isDispatching: (id) => dispatching.has(id),
      staleAfterMs,
    });
    const requeued = Object.entries(report.requeued).filter(([, n]) => n > 0);
    if (report.unknown || requeued.length || report.redispatched.length) {
      log(
        `sweeper: ${report.unknown} unknown; re-queued ${requeued.map(([id, n]) => `${n} of ${id}`).join(", ") || "none"}; dispatched again ${report.redispatched.join(", ") || "none"}`,
      );
    }
  };
  // Before any poller runs: every claim found now is a dead process's.
  await sweep(0).catch((e: unknown) => log(`recovery: ${(e as Error).message}`));

  // Two pollers: while one waits for the slowest batch of its poll, the other keeps the token
  // bucket busy, as overlapping Lambda invocations would (one alone idled ~4% of the rate away).
  const pollerOptions: QueuePollerOptions = {
    client: sqs,
    queueUrl,
    waitSeconds: 1,
    // A batch handed back (SES kept throttling, the send is paused, the service is stopping) comes
    // back in seconds, not after the whole visibility timeout; a paused send's batches may end in
    // the DLQ, which is harmless: resume re-enqueues what the ledger still has queued.
    retryDelaySeconds: 3,
    handler: async (items) => {
      // The batches of one poll are sent side by side, as concurrent Lambda invocations would be;
      // the shared token bucket keeps them all within the rate.
      const failed = await Promise.all(
        items.map(async (item) => {
          try {
            const { failedEmails } = await processBatch(item.batch, batchDeps);
            if (failedEmails.length === 0) return null;
            if (!stopping)
              log(
                `sender: ${failedEmails.length} of the batch of send ${item.batch.sendId} go back on the queue (paused, or SES kept refusing them)`,
              );
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

  // The cron's job on AWS: scheduled sends whose time has come, the monthly send, and the sweeper.
  const scheduler = setInterval(() => {
    deps.sends
      .listDue(deps.clock.now().toISOString())
      .then((due) => {
        for (const s of due) dispatch(s.id);
      })
      .catch((e: unknown) => log(`scheduler: ${(e as Error).message}`));
    sweep(LOCAL_STALE_MS).catch((e: unknown) => log(`sweeper: ${(e as Error).message}`));
    if (config.monthly) {
      runMonthlySchedule(config.monthly, { issues: deps.issues, sends: deps.sends, clock: deps.clock, dispatch })
        .then((id) => id && log(`monthly send ${id} started`))
        .catch((e: unknown) => log(`monthly send: ${(e as Error).message}`));
    }
  }, SCHEDULER_INTERVAL_MS);
  scheduler.unref();

  return {
    queue,
    queueUrl,
    dispatch,
    stop: async () => {
      stopping = true;
      clearInterval(scheduler);
      const drained = Promise.all(pollers.map((p) => p.stop()));
      // A call that hangs past the drain is left to the next start's sweeper (it ends "unknown").
      await Promise.race([drained, new Promise((resolve) => setTimeout(resolve, DRAIN_MS).unref())]);
      sqs.destroy();
      ses.destroy();
    },
  };
}
