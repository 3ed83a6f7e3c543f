import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { GetQueueAttributesCommand, SQSClient } from "@aws-sdk/client-sqs";
import { awsClientConfig, startLocalStack, type LocalStack } from "@bulletin/emulators";

export interface SqsHarness {
  stack: LocalStack;
  /** A fresh SQS client on fauxqs, destroyed by close(). */
  client(): SQSClient;
  /** Messages visible + in flight + delayed. */
  depth(queueUrl: string): Promise<number>;
  close(): Promise<void>;
}

/**
 * The local stack (fauxqs serves SQS) in a temp dir. Call `close` in afterAll.
 *
 * @example
 * let h: SqsHarness;
 * beforeAll(async () => { h = await startSqsHarness(); });
 * afterAll(() => h.close());
 */
export async function startSqsHarness(): Promise<SqsHarness> {
  const dataDir = await mkdtemp(join(tmpdir(), "sqs-adapter-"));
  const stack = await startLocalStack({ dataDir, dynamoUrl: process.env.LOCAL_DYNAMODB_URL });
  const clients: SQSClient[] = [];
  const client = () => {
    const c = new SQSClient(awsClientConfig(stack, "sqs"));
    clients.push(c);
    return c;
  };
  const admin = client();
  return {
    stack,
    client,
    async depth(queueUrl) {
      const { Attributes: a = {} } = await admin.send(
        new GetQueueAttributesCommand({
          QueueUrl: queueUrl,
          AttributeNames: [
            "ApproximateNumberOfMessages",
            "ApproximateNumberOfMessagesNotVisible",
            "ApproximateNumberOfMessagesDelayed",
          ],
        }),
      );
      return (
        Number(a.ApproximateNumberOfMessages ?? 0) +
        Number(a.ApproximateNumberOfMessagesNotVisible ?? 0) +
        Number(a.ApproximateNumberOfMessagesDelayed ?? 0)
      );
    },
    async close() {
      for (const c of clients) c.destroy();
      await stack.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Polls `check` every 25 ms until it returns true; throws after `timeoutMs`.
 *
 * @example
 * await waitFor(() => seen.size === 23, 5_000);
 */
export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`waitFor: condition not met within ${timeoutMs} ms`);
    await delay(25);
  }
}
