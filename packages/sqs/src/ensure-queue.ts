import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  SetQueueAttributesCommand,
  type QueueAttributeName,
  type SQSClient,
} from "@aws-sdk/client-sqs";
import { translateSqsError } from "./sqs-errors.ts";

export interface EnsureQueueOptions {
  /** The dead-letter queue's name; messages received more than maxReceiveCount times move there. */
  dlqName: string;
  /** Default 5. */
  maxReceiveCount?: number;
  /** How long a received message stays invisible before it is delivered again; default 30. */
  visibilityTimeoutSeconds?: number;
}

export interface EnsuredQueue {
  queueUrl: string;
  queueArn: string;
  dlqUrl: string;
  dlqArn: string;
  /** false when the SQS endpoint did not accept or keep the RedrivePolicy: failed messages then never leave the queue. */
  redrive: boolean;
}

/** The longest SQS keeps a message (14 days): dead letters wait for a person. */
const DLQ_RETENTION_SECONDS = "1209600";
const SETTING_REFUSED = new Set([
  "InvalidAttributeName",
  "InvalidAttributeValue",
  "InvalidParameterValue",
  "UnsupportedOperation",
]);

/**
 * Creates (or updates) a queue and its dead-letter queue, idempotently: CreateQueue for the DLQ, then
 * the queue with VisibilityTimeout and a RedrivePolicy pointing at the DLQ. An existing queue with
 * other attributes gets them through SetQueueAttributes. An endpoint that refuses or drops the
 * RedrivePolicy still gets the queue, with `redrive: false` (fauxqs 1.9 supports it).
 *
 * @example
 * const { queueUrl, redrive } = await ensureQueue(sqs, "bulletin-sends", { dlqName: "bulletin-sends-dlq", visibilityTimeoutSeconds: 60 });
 */
export async function ensureQueue(client: SQSClient, name: string, opts: EnsureQueueOptions): Promise<EnsuredQueue> {
  try {
    return await ensure(client, name, opts);
  } catch (err) {
    throw translateSqsError(err, name);
  }
}

async function ensure(client: SQSClient, name: string, opts: EnsureQueueOptions): Promise<EnsuredQueue> {
  const dlqUrl = await createOrUpdate(client, opts.dlqName, { MessageRetentionPeriod: DLQ_RETENTION_SECONDS });
  const dlqArn = await queueArn(client, dlqUrl);
  const base: Partial<Record<QueueAttributeName, string>> = {
    VisibilityTimeout: String(opts.visibilityTimeoutSeconds ?? 30),
  };
  const redrivePolicy = JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: opts.maxReceiveCount ?? 5 });
  let queueUrl: string;
  try {
    queueUrl = await createOrUpdate(client, name, { ...base, RedrivePolicy: redrivePolicy });
  } catch (err) {
    if (!SETTING_REFUSED.has(sdkName(err))) throw err;
    queueUrl = await createOrUpdate(client, name, base);
  }
  const attrs = await client.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ["QueueArn", "RedrivePolicy"] }),
  );
  const kept = parseRedrive(attrs.Attributes?.RedrivePolicy);
  return {
    queueUrl,
    queueArn: attrs.Attributes?.QueueArn ?? (await queueArn(client, queueUrl)),
    dlqUrl,
    dlqArn,
    redrive: kept?.deadLetterTargetArn === dlqArn,
  };
}

async function createOrUpdate(
  client: SQSClient,
  name: string,
  attributes: Partial<Record<QueueAttributeName, string>>,
): Promise<string> {
  try {
    const out = await client.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
    return out.QueueUrl!;
  } catch (err) {
    // CreateQueue is idempotent only for identical attributes; otherwise update the existing queue.
    if (!isQueueExists(err)) throw err;
  }
  const { QueueUrl } = await client.send(new GetQueueUrlCommand({ QueueName: name }));
  await client.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: attributes }));
  return QueueUrl!;
}

async function queueArn(client: SQSClient, queueUrl: string): Promise<string> {
  const out = await client.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ["QueueArn"] }));
  return out.Attributes!.QueueArn!;
}

function parseRedrive(policy: string | undefined): { deadLetterTargetArn?: string } | undefined {
  try {
    return policy ? (JSON.parse(policy) as { deadLetterTargetArn?: string }) : undefined;
  } catch {
    return undefined;
  }
}

/** "QueueNameExists" in the model; the SDK may name it by the query-compatible code instead. */
function isQueueExists(err: unknown): boolean {
  const e = (typeof err === "object" && err !== null ? err : {}) as {
    name?: unknown;
    Code?: unknown;
    __type?: unknown;
  };
  return [e.name, e.Code, e.__type].some((v) => typeof v === "string" && /QueueNameExists|QueueAlreadyExists/.test(v));
}

function sdkName(err: unknown): string {
  return typeof err === "object" && err !== null && typeof (err as { name?: unknown }).name === "string"
    ? (err as { name: string }).name
    : "";
}
