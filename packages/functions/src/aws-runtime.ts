import { InvokeCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { ChangeMessageVisibilityCommand, GetQueueUrlCommand } from "@aws-sdk/client-sqs";
import { BulletinError, systemClock } from "@bulletin/core";
import { dynamoStores } from "@bulletin/dynamo";
import { SqsSendQueue } from "@bulletin/sqs";
import { documentClient, queueIsEmpty, sqsClient } from "@bulletin/wiring";
import type { AwsConfig } from "./aws-config.ts";

/**
 * What every handler of one container shares, built with @bulletin/wiring as the local stack is:
 * the repositories and the send queue (SDK clients with their default endpoints, or
 * AWS_ENDPOINT_URL_* in tests). Built once per cold start and reused by every invocation. No
 * renderer and no HTTP app here: the handlers that render (api, sender) bring MJML themselves, so
 * the others never bundle it.
 *
 * @example
 * const rt = awsRuntime(config);
 * await rt.stores.sends.get(sendId);
 */
export function awsRuntime(config: AwsConfig) {
  const sqs = sqsClient();
  let lambda: LambdaClient | undefined;
  const stores = dynamoStores({
    client: documentClient(),
    tableName: config.tableName,
    domainGroups: config.domainGroups,
  });
  let queue: SqsSendQueue | undefined;
  const queueUrls = new Map<string, Promise<string>>();
  return {
    config,
    stores,
    sqs,
    /** Built on first use: a function not linked to the send queue (ses-events) never needs it. */
    get queue(): SqsSendQueue {
      return (queue ??= new SqsSendQueue({ client: sqs, queueUrl: config.sendQueueUrl }));
    },
    clock: systemClock,
    /** Starts the dispatcher without waiting for it (an asynchronous invocation). */
    async dispatch(sendId: string): Promise<void> {
      lambda ??= new LambdaClient({});
      const out = await lambda.send(
        new InvokeCommand({
          FunctionName: config.dispatcherName,
          InvocationType: "Event",
          Payload: JSON.stringify({ sendId }),
        }),
      );
      if (out.StatusCode !== 202)
        throw new BulletinError(
          "dispatch.failed",
          `the dispatcher did not accept send ${sendId} (status ${out.StatusCode})`,
        );
    },
    /**
     * Makes a received message come back in `seconds` instead of after the queue's whole visibility
     * timeout (30 minutes, sized for the sender's timeout): a batch handed back because SES was
     * throttling, the send was paused, or the sender stopping, is tried again soon. The event
     * source mapping grants exactly these calls on the queue. Best effort: on failure it simply
     * comes back later.
     */
    async retryLater(eventSourceArn: string, receiptHandle: string, seconds: number): Promise<void> {
      const name = eventSourceArn.split(":").pop() ?? "";
      let url = queueUrls.get(name);
      if (!url)
        queueUrls.set(name, (url = sqs.send(new GetQueueUrlCommand({ QueueName: name })).then((o) => o.QueueUrl!)));
      try {
        await sqs.send(
          new ChangeMessageVisibilityCommand({
            QueueUrl: await url,
            ReceiptHandle: receiptHandle,
            VisibilityTimeout: seconds,
          }),
        );
      } catch (e) {
        queueUrls.delete(name);
        console.warn(
          JSON.stringify({ msg: "could not shorten the retry delay", queue: name, error: (e as Error).message }),
        );
      }
    },
    /** True when the send queue holds no message: visible, in flight or delayed. */
    queueIsEmpty: () => queueIsEmpty(sqs, config.sendQueueUrl),
  };
}

export type AwsRuntime = ReturnType<typeof awsRuntime>;
