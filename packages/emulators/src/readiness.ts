import { DynamoDBClient, ListTablesCommand } from "@aws-sdk/client-dynamodb";
import { ListEmailTemplatesCommand, SESv2Client } from "@aws-sdk/client-sesv2";
import { ListTopicsCommand, SNSClient } from "@aws-sdk/client-sns";
import { ListQueuesCommand, SQSClient } from "@aws-sdk/client-sqs";
import { awsClientConfig, type LocalService, type StackConnection } from "./sdk-config.ts";

/** A client that can be destroyed, so readiness probes leave no keep-alive socket behind. */
interface Probe {
  call(abortSignal: AbortSignal): Promise<unknown>;
  destroy(): void;
}

// Each probe is a real SDK call, so "ready" means the wire protocol works, not just that a port is open.
// SES uses ListEmailTemplates: aws-ses-v2-local answers GetAccount with 400 unless AWS_SES_ACCOUNT is set.
const PROBES: Record<LocalService, { emulator: string; operation: string; make(c: StackConnection): Probe }> = {
  dynamodb: {
    emulator: "DynamoDB Local",
    operation: "ListTables",
    make: (c) =>
      wrap(new DynamoDBClient(awsClientConfig(c, "dynamodb")), (x, abortSignal) =>
        x.send(new ListTablesCommand({}), { abortSignal }),
      ),
  },
  ses: {
    emulator: "aws-ses-v2-local",
    operation: "ListEmailTemplates",
    make: (c) =>
      wrap(new SESv2Client(awsClientConfig(c, "ses")), (x, abortSignal) =>
        x.send(new ListEmailTemplatesCommand({}), { abortSignal }),
      ),
  },
  sqs: {
    emulator: "fauxqs (SQS)",
    operation: "ListQueues",
    make: (c) =>
      wrap(new SQSClient(awsClientConfig(c, "sqs")), (x, abortSignal) =>
        x.send(new ListQueuesCommand({}), { abortSignal }),
      ),
  },
  sns: {
    emulator: "fauxqs (SNS)",
    operation: "ListTopics",
    make: (c) =>
      wrap(new SNSClient(awsClientConfig(c, "sns")), (x, abortSignal) =>
        x.send(new ListTopicsCommand({}), { abortSignal }),
      ),
  },
};

function wrap<T extends { destroy(): void }>(
  client: T,
  call: (client: T, abortSignal: AbortSignal) => Promise<unknown>,
): Probe {
  return { call: (signal) => call(client, signal), destroy: () => client.destroy() };
}

/**
 * Resolves once every emulator answers a real AWS SDK call; rejects naming the first one that did not
 * within `timeoutMs`.
 *
 * @example
 * await waitUntilReady(stack, 10_000); // throws "emulators: aws-ses-v2-local did not answer ..."
 */
export async function waitUntilReady(conn: StackConnection, timeoutMs: number): Promise<void> {
  const services = Object.keys(PROBES) as LocalService[];
  await Promise.all(services.map((s) => waitForOne(conn, s, timeoutMs)));
}

async function waitForOne(conn: StackConnection, service: LocalService, timeoutMs: number): Promise<void> {
  const { emulator, operation, make } = PROBES[service];
  const probe = make(conn);
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  try {
    while (Date.now() < deadline) {
      try {
        // The abort bounds a single hung request, not just the retry loop.
        await probe.call(AbortSignal.timeout(Math.max(deadline - Date.now(), 1)));
        return;
      } catch (err) {
        lastError = err;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  } finally {
    probe.destroy();
  }
  const reason = lastError instanceof Error ? lastError.message : String(lastError);
  throw new Error(
    `emulators: ${emulator} did not answer ${operation} at ${conn.endpoints[service]} within ${timeoutMs} ms (${reason})`,
  );
}
