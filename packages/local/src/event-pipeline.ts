import { SNSClient } from "@aws-sdk/client-sns";
import {
  type ApplyEventResult,
  handleEventMessages,
  type Mailer,
  type OutgoingEmail,
  type SesEvent,
} from "@bulletin/core";
import { awsClientConfig, type LocalStack } from "@bulletin/emulators";
import { simulateSesEvents } from "@bulletin/ses";
import { createSqsClient, ensureEventTopic, publishToTopic, startMessagePoller } from "@bulletin/sqs";

/** How long after SendEmail the simulated events leave: SES's own events come a moment later too. */
const EVENT_DELAY_MS = 100;

/**
 * SES event publishing, locally: the configuration set's SNS topic on fauxqs with a queue
 * subscribed to it, and a consumer running the one event handler (the same `applyEvent` as
 * POST /api/events and the Lambda on AWS). aws-ses-v2-local publishes no events, so `simulating`
 * wraps the mailer to publish, for every message it sent, what SES would: Send and Delivery, or the
 * mailbox simulator's bounce and complaint (bounce@, complaint@, ooto@, suppressionlist@
 * simulator.amazonses.com).
 *
 * @example
 * const events = await startEventPipeline(stack, log);
 * const mailer = events.simulating(new SesMailer({ client, clock }));
 * events.consume(deps.applyEvent);
 */
export async function startEventPipeline(stack: LocalStack, log: (line: string) => void) {
  const sns = new SNSClient(awsClientConfig(stack, "sns"));
  const sqs = createSqsClient(awsClientConfig(stack, "sqs"));
  const topic = await ensureEventTopic(sns, sqs, "bulletin-ses-events");
  const timers = new Set<NodeJS.Timeout>();
  let consumer: { stop(): Promise<void> } | undefined;

  const publishLater = (email: OutgoingEmail, messageId: string, sentAt: Date) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      void (async () => {
        for (const event of simulateSesEvents(email, messageId, sentAt))
          await publishToTopic(sns, topic.topicArn, JSON.stringify(event));
      })().catch((e: unknown) =>
        log(`ses events: could not publish the events of ${messageId}: ${(e as Error).message}`),
      );
    }, EVENT_DELAY_MS);
    timers.add(timer);
  };

  return {
    topicArn: topic.topicArn,
    /** The mailer, publishing the events SES would for each message it sent. */
    simulating(mailer: Mailer): Mailer {
      return {
        quota: () => mailer.quota(),
        async send(email, options) {
          const sent = await mailer.send(email, options);
          publishLater(email, sent.messageId, new Date());
          return sent;
        },
        async sendBulk(bulk, options) {
          const results = await mailer.sendBulk(bulk, options);
          const at = new Date();
          results.forEach((r, i) => {
            const entry = bulk.entries[i]!;
            // What the events carry of a message: its destination, tags, sender and subject.
            const message: OutgoingEmail = {
              from: bulk.from,
              to: entry.to,
              subject: bulk.subject,
              html: "",
              text: "",
              headers: entry.headers,
              tags: entry.tags,
              ...(bulk.configurationSet === undefined ? {} : { configurationSet: bulk.configurationSet }),
            };
            if ("messageId" in r) publishLater(message, r.messageId, at);
          });
          return results;
        },
      };
    },
    /** Starts the consumer: every SNS envelope on the queue goes through `applyEvent`. */
    consume(applyEvent: (event: SesEvent) => Promise<ApplyEventResult>) {
      consumer = startMessagePoller<string>({
        client: sqs,
        queueUrl: topic.queueUrl,
        waitSeconds: 1,
        // A delivery still "sending" when its event arrives: try again in a second, not 30.
        retryDelaySeconds: 1,
        decode: (body) => body ?? "",
        onError: (e) => log(`ses events: ${(e as Error).message}`),
        handler: async (messages) => {
          const report = await handleEventMessages(
            messages.map((m) => ({ id: m.messageId, body: m.body })),
            applyEvent,
          );
          for (const bad of report.invalid) log(`ses events: dropped message ${bad.id}: ${bad.reason}`);
          return { failedMessageIds: report.retry };
        },
      });
    },
    async stop() {
      for (const timer of timers) clearTimeout(timer);
      await consumer?.stop();
      sns.destroy();
      sqs.destroy();
    },
  };
}

export type EventPipeline = Awaited<ReturnType<typeof startEventPipeline>>;
