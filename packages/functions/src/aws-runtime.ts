import { randomUUID } from "node:crypto";
import { DescribeTableCommand } from "@aws-sdk/client-dynamodb";
import { InvokeCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { S3Client } from "@aws-sdk/client-s3";
import { SESv2Client } from "@aws-sdk/client-sesv2";
import { ChangeMessageVisibilityCommand, GetQueueAttributesCommand, GetQueueUrlCommand } from "@aws-sdk/client-sqs";
import { type ApiDeps, eventWiring, hashToken } from "@bulletin/api";
import { BulletinError, type Clock, settingsRenderer } from "@bulletin/core";
import { createDocumentClient, dynamoStores } from "@bulletin/dynamo";
import { MjmlRenderer } from "@bulletin/mjml";
import { PdfJsReader } from "@bulletin/pdf";
import { S3FileStore } from "@bulletin/s3";
import { createSqsClient, SqsSendQueue } from "@bulletin/sqs";
import type { AwsConfig } from "./aws-config.ts";

export const systemClock: Clock = { now: () => new Date() };

/**
 * What every handler of one container shares: SDK clients (with their default endpoints, or
 * AWS_ENDPOINT_URL_* in tests), the repositories, the queue and the renderer. Built once per cold
 * start and reused by every invocation, as Lambda intends.
 *
 * @example
 * const rt = awsRuntime(config);
 * await rt.stores.sends.get(sendId);
 */
export function awsRuntime(config: AwsConfig) {
  const documents = createDocumentClient({});
  // The SQS endpoint from the environment, not the queue URL's host: identical on AWS, and it lets
  // AWS_ENDPOINT_URL_SQS point the handlers at an emulator whose queue URLs name no real host.
  const sqs = createSqsClient({ useQueueUrlAsEndpoint: false });
  const lambda = new LambdaClient({});
  let ses: SESv2Client | undefined;
  const stores = dynamoStores({ client: documents, tableName: config.tableName });
  let files: S3FileStore | undefined;
  let queue: SqsSendQueue | undefined;
  const queueUrls = new Map<string, Promise<string>>();
  return {
    config,
    stores,
    /** Built on first use: a function not linked to the send queue (ses-events) never needs it. */
    get queue(): SqsSendQueue {
      return (queue ??= new SqsSendQueue({ client: sqs, queueUrl: config.sendQueueUrl }));
    },
    // Renders with the association's settings as stored (the 设置 page), today's defaults until then.
    renderer: settingsRenderer(stores.settings, (s) => new MjmlRenderer(s), systemClock),
    clock: systemClock,
    /** Built on first use: only the api is linked to the bucket. */
    get files(): S3FileStore {
      return (files ??= new S3FileStore(new S3Client({}), config.filesBucket));
    },
    /** SES for the sender: one attempt per call, since the pipeline's own retry paces every attempt. */
    ses: () => (ses ??= new SESv2Client({ maxAttempts: 1, requestHandler: { requestTimeout: 10_000, throwOnRequestTimeout: true } })),
    /** Starts the dispatcher without waiting for it (an asynchronous invocation). */
    async dispatch(sendId: string): Promise<void> {
      const out = await lambda.send(new InvokeCommand({ FunctionName: config.dispatcherName, InvocationType: "Event", Payload: JSON.stringify({ sendId }) }));
      if (out.StatusCode !== 202) throw new BulletinError("dispatch.failed", `the dispatcher did not accept send ${sendId} (status ${out.StatusCode})`);
    },
    /**
     * Makes a received message come back in `seconds` instead of after the queue's whole visibility
     * timeout (30 minutes, sized for the sender's timeout): a batch handed back because SES was
     * throttling, or the send was paused, is tried again soon. The event source mapping grants
     * exactly these calls on the queue. Best effort: on failure it simply comes back later.
     */
    async retryLater(eventSourceArn: string, receiptHandle: string, seconds: number): Promise<void> {
      const name = eventSourceArn.split(":").pop() ?? "";
      let url = queueUrls.get(name);
      if (!url) queueUrls.set(name, (url = sqs.send(new GetQueueUrlCommand({ QueueName: name })).then((o) => o.QueueUrl!)));
      try {
        await sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: await url, ReceiptHandle: receiptHandle, VisibilityTimeout: seconds }));
      } catch (e) {
        queueUrls.delete(name);
        console.warn(JSON.stringify({ msg: "could not shorten the retry delay", queue: name, error: (e as Error).message }));
      }
    },
    /** True when the send queue holds no message: visible, in flight or delayed. */
    async queueIsEmpty(): Promise<boolean> {
      const names = ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible", "ApproximateNumberOfMessagesDelayed"] as const;
      const { Attributes: a = {} } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: config.sendQueueUrl, AttributeNames: [...names] }));
      return names.every((n) => Number(a[n] ?? 0) === 0);
    },
    async tableReady(): Promise<boolean> {
      const out = await documents.send(new DescribeTableCommand({ TableName: config.tableName }), { abortSignal: AbortSignal.timeout(2000) });
      return out.Table?.TableStatus === "ACTIVE";
    },
  };
}

export type AwsRuntime = ReturnType<typeof awsRuntime>;

/**
 * The api's dependencies on AWS. The bootstrap admin token (the AdminToken secret) is registered
 * on first use, so a new deployment can be signed into at once; only its hash is stored.
 *
 * @example
 * const app = createApp(await apiDeps(awsRuntime(config)));
 */
export async function apiDeps(rt: AwsRuntime): Promise<ApiDeps> {
  const { config, stores } = rt;
  const hash = hashToken(config.adminToken);
  if (!(await stores.tokens.findByHash(hash))) {
    await stores.tokens.create({ hash, role: "admin", label: "bootstrap (AdminToken secret)", createdAt: rt.clock.now().toISOString() });
  }
  return {
    ...stores,
    ...eventWiring(stores, rt.clock, { trackEngagement: config.trackEngagement, transientBouncesToSuppress: config.transientBouncesToSuppress }),
    renderer: rt.renderer,
    files: rt.files,
    pdf: new PdfJsReader(config.pdfjsAssets ? { assetsDir: config.pdfjsAssets } : {}),
    queue: rt.queue,
    clock: rt.clock,
    dispatch: (sendId) => rt.dispatch(sendId),
    publicUrl: config.publicUrl,
    unsubscribeKey: config.unsubscribeKey,
    sessionKey: config.sessionKey,
    unsubscribeMailto: config.unsubscribeMailto,
    ready: () => rt.tableReady().catch(() => false),
    newId: () => randomUUID(),
  };
}
