import { DynamoDBClient, DescribeTableCommand } from "@aws-sdk/client-dynamodb";
import { GetAccountCommand, SESv2Client } from "@aws-sdk/client-sesv2";
import { GetQueueAttributesCommand, type SQSClient } from "@aws-sdk/client-sqs";
import { createDocumentClient, DYNAMO_REQUEST_HANDLER } from "@bulletin/dynamo";
import { createSqsClient } from "@bulletin/sqs";

/**
 * Where the SDK clients go: nothing on AWS (the SDK's own region, credentials and endpoints, or
 * AWS_ENDPOINT_URL_* in tests); the emulators' endpoints and credentials locally. The only
 * difference between the deployables' clients.
 */
export interface ClientSettings {
  region?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string };
  endpoints?: { dynamodb?: string; ses?: string; sqs?: string };
}

function base(s: ClientSettings, endpoint: string | undefined) {
  return {
    ...(s.region ? { region: s.region } : {}),
    ...(s.credentials ? { credentials: { ...s.credentials } } : {}),
    ...(endpoint ? { endpoint } : {}),
  };
}

/** The document client every repository of @bulletin/dynamo uses (10 s request timeout). */
export function documentClient(s: ClientSettings = {}) {
  return createDocumentClient(base(s, s.endpoints?.dynamodb));
}

/** A plain DynamoDB client, for the readiness check's DescribeTable. */
export function dynamoClient(s: ClientSettings = {}) {
  return new DynamoDBClient({ requestHandler: DYNAMO_REQUEST_HANDLER, ...base(s, s.endpoints?.dynamodb) });
}

/**
 * SES v2 for the sender: one attempt per call (the pipeline's own retry paces every attempt), and
 * a request timeout that fails the call instead of waiting forever (the SDK only warns without
 * throwOnRequestTimeout).
 */
export function sesClient(s: ClientSettings = {}) {
  return new SESv2Client({
    maxAttempts: 1,
    requestHandler: { requestTimeout: 10_000, throwOnRequestTimeout: true },
    ...base(s, s.endpoints?.ses),
  });
}

/** SQS; the endpoint, not the queue URL's host, is where requests go (emulators name no real host). */
export function sqsClient(s: ClientSettings = {}) {
  return createSqsClient({ useQueueUrlAsEndpoint: false, ...base(s, s.endpoints?.sqs) });
}

/** True when the send queue holds no message: visible, in flight or delayed. */
export async function queueIsEmpty(sqs: SQSClient, queueUrl: string): Promise<boolean> {
  const names = [
    "ApproximateNumberOfMessages",
    "ApproximateNumberOfMessagesNotVisible",
    "ApproximateNumberOfMessagesDelayed",
  ] as const;
  const { Attributes: a = {} } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: [...names] }),
  );
  return names.every((n) => Number(a[n] ?? 0) === 0);
}

/**
 * /healthz's question, the same on AWS and locally: do the table (DescribeTable: ACTIVE), SES
 * (GetAccount) and the send queue (GetQueueAttributes) all answer right now? A failure, or no
 * answer within 2 s, is "not ready".
 *
 * @example
 * const ready = readiness({ dynamodb, ses, sqs, tableName: "bulletin", queueUrl });
 * await ready(); // true
 */
export function readiness(c: {
  dynamodb: DynamoDBClient;
  ses: SESv2Client;
  sqs: SQSClient;
  tableName: string;
  queueUrl: string;
}): () => Promise<boolean> {
  return async () => {
    const abortSignal = AbortSignal.timeout(2_000);
    try {
      const [table] = await Promise.all([
        c.dynamodb.send(new DescribeTableCommand({ TableName: c.tableName }), { abortSignal }),
        c.ses.send(new GetAccountCommand({}), { abortSignal }),
        c.sqs.send(new GetQueueAttributesCommand({ QueueUrl: c.queueUrl, AttributeNames: ["QueueArn"] }), {
          abortSignal,
        }),
      ]);
      return table.Table?.TableStatus === "ACTIVE";
    } catch {
      return false;
    }
  };
}
