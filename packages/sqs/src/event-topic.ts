import { CreateTopicCommand, PublishCommand, type SNSClient, SubscribeCommand } from "@aws-sdk/client-sns";
import type { SQSClient } from "@aws-sdk/client-sqs";
import { ensureQueue } from "./ensure-queue.ts";
import { translateSqsError } from "./sqs-errors.ts";

export interface EventTopic {
  topicArn: string;
  /** The queue subscribed to the topic: it receives SNS envelopes, as an SNS → Lambda handler does. */
  queueUrl: string;
  dlqUrl: string;
}

/**
 * Creates (idempotently) an SNS topic and an SQS queue with its dead-letter queue subscribed to it,
 * without raw message delivery: each message is the SNS envelope, exactly what SES event publishing
 * hands an SNS → Lambda subscription, so one handler serves both.
 *
 * @example
 * const { topicArn, queueUrl } = await ensureEventTopic(sns, sqs, "bulletin-ses-events");
 */
export async function ensureEventTopic(sns: SNSClient, sqs: SQSClient, name: string): Promise<EventTopic> {
  const queue = await ensureQueue(sqs, name, {
    dlqName: `${name}-dlq`,
    maxReceiveCount: 10,
    visibilityTimeoutSeconds: 30,
  });
  try {
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: name }));
    await sns.send(
      new SubscribeCommand({ TopicArn, Protocol: "sqs", Endpoint: queue.queueArn, ReturnSubscriptionArn: true }),
    );
    return { topicArn: TopicArn!, queueUrl: queue.queueUrl, dlqUrl: queue.dlqUrl };
  } catch (err) {
    throw translateSqsError(err, name, "SNS");
  }
}

/**
 * Publishes one message to an SNS topic (SES event publishing's side, for the local simulator).
 *
 * @example
 * await publishToTopic(sns, topicArn, JSON.stringify(sesEvent));
 */
export async function publishToTopic(sns: SNSClient, topicArn: string, message: string): Promise<void> {
  try {
    await sns.send(new PublishCommand({ TopicArn: topicArn, Message: message }));
  } catch (err) {
    throw translateSqsError(err, topicArn, "SNS");
  }
}
