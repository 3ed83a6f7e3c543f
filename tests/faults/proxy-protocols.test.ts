import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DynamoDBClient, ListTablesCommand } from "@aws-sdk/client-dynamodb";
import { SESv2Client } from "@aws-sdk/client-sesv2";
import { ListTopicsCommand, SNSClient } from "@aws-sdk/client-sns";
import { ListQueuesCommand, SQSClient } from "@aws-sdk/client-sqs";
import { GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AmbiguousSendError, RetryableError, type OutgoingEmail } from "@bulletin/core";
import { createDocumentClient, DynamoDeliveryLedger, ensureTable, translateDynamoError } from "@bulletin/dynamo";
import { awsClientConfig, readSentEmails, startLocalStack, type LocalStack } from "@bulletin/emulators";
import { SesMailer } from "@bulletin/ses";
import { translateSqsError } from "@bulletin/sqs";
import { startFaultProxy, type FaultProxy } from "../support/fault-proxy.ts";
import { readEvidence, TABLE } from "./send-evidence.ts";

// Each proxy answers in its service's own wire format, so the AWS SDK names, classifies and retries
// the injected faults exactly as it would AWS's, and our translators see what they would see on AWS.
let stack: LocalStack;
const proxies: FaultProxy[] = [];
const destroy: { destroy(): void }[] = [];
const proxy = async (
  service: "ses" | "sqs" | "dynamodb",
  rest: Parameters<typeof startFaultProxy>[0] extends infer O ? Omit<O, "target" | "service"> : never = {},
) => {
  const p = await startFaultProxy({ target: stack.endpoints[service], service, ...rest });
  proxies.push(p);
  return p;
};
const client = <T extends { destroy(): void }>(c: T): T => {
  destroy.push(c);
  return c;
};
const failure = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (e: unknown) => e as Error & { name: string; $metadata?: { httpStatusCode?: number; attempts?: number } },
  );

beforeAll(async () => {
  stack = await startLocalStack({
    dataDir: mkdtempSync(join(tmpdir(), "fault-protocols-")),
    dynamoUrl: process.env.LOCAL_DYNAMODB_URL,
  });
});
afterAll(async () => {
  for (const c of destroy) c.destroy();
  for (const p of proxies) await p.stop();
  await stack?.stop();
});

describe("DynamoDB faults (JSON 1.0)", () => {
  it("throttles as ProvisionedThroughputExceededException and ThrottlingException, fails as InternalServerError and 503; all retryable", async () => {
    const p = await proxy("dynamodb", { rate: 1, faults: ["throttle"] });
    const ddb = client(new DynamoDBClient({ ...awsClientConfig(stack, "dynamodb"), endpoint: p.url, maxAttempts: 1 }));
    const seen = [];
    for (const fault of ["throttle", "throttle", "error500", "error503"] as const) {
      p.configure({ faults: [fault] });
      const err = await failure(ddb.send(new ListTablesCommand({})));
      seen.push([err?.name, err?.$metadata?.httpStatusCode]);
      expect(translateDynamoError(err, { tableName: TABLE })).toBeInstanceOf(RetryableError);
    }
    expect(seen).toEqual([
      ["ProvisionedThroughputExceededException", 400],
      ["ThrottlingException", 400],
      ["InternalServerError", 500],
      ["ServiceUnavailable", 503],
    ]);
  });

  it("the SDK retries a throttle by itself, and a timeout is dropped after holdMs", async () => {
    const p = await proxy("dynamodb", { rate: 1, faults: ["throttle"], budget: 1 });
    const ddb = client(new DynamoDBClient({ ...awsClientConfig(stack, "dynamodb"), endpoint: p.url }));
    const out = await ddb.send(new ListTablesCommand({}));
    expect(out.$metadata.attempts).toBe(2);
    p.configure({ faults: ["timeout"], holdMs: 200, budget: 1 });
    const started = Date.now();
    await ddb.send(new ListTablesCommand({}));
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    expect(p.stats.faults).toMatchObject({ throttle: 1, timeout: 1 });
  });

  it("a reset after DynamoDB applied a conditional write reaches the app as a condition failure on the SDK's retry", async () => {
    const direct = client(createDocumentClient(awsClientConfig(stack, "dynamodb")));
    await ensureTable(direct, TABLE, { pollMs: 20 });
    const p = await proxy("dynamodb", { rate: 1, faults: ["reset-after"], operations: ["PutItem"], budget: 1 });
    const via = client(createDocumentClient({ ...awsClientConfig(stack, "dynamodb"), endpoint: p.url }));
    const Item = { pk: "FAULT#put", sk: "X", n: 1 };
    const err = await failure(
      via.send(new PutCommand({ TableName: TABLE, Item, ConditionExpression: "attribute_not_exists(pk)" })),
    );
    expect(err?.name).toBe("ConditionalCheckFailedException");
    expect(p.stats.upstream).toBe(2);
    expect((await direct.send(new GetCommand({ TableName: TABLE, Key: { pk: "FAULT#put", sk: "X" } }))).Item).toEqual(
      Item,
    );
  });
});

describe("the delivery ledger when DynamoDB's answer to a write is lost and the SDK retries it", () => {
  // The SDK's retry of a transaction carries the same ClientRequestToken, so a transaction that did
  // land is not applied again, and its retry answers success: nothing left uncounted, no claim
  // taken for someone else's, no counter owed.
  it("add, claim and settle each happen once and are counted once when the answer to their transaction is lost (reset after TransactWriteItems)", async () => {
    const direct = client(createDocumentClient(awsClientConfig(stack, "dynamodb")));
    await ensureTable(direct, TABLE, { pollMs: 20 });
    const p = await proxy("dynamodb", { rate: 0, faults: ["reset-after"], operations: ["TransactWriteItems"] });
    const ledger = new DynamoDeliveryLedger({
      client: client(createDocumentClient({ ...awsClientConfig(stack, "dynamodb"), endpoint: p.url })),
      tableName: TABLE,
    });
    const sendId = "ambiguous";
    const at = "2026-01-01T00:00:00.000Z";
    const emails = Array.from({ length: 50 }, (_, i) => `a${i}@example.org`).sort();
    const lose = () => p.configure({ rate: 1, budget: 1 });

    lose();
    await ledger.add(
      emails.map((email) => ({
        sendId,
        email,
        tier: "report" as const,
        status: "queued" as const,
        attempts: 0,
        createdAt: at,
        updatedAt: at,
      })),
    );
    lose();
    expect((await ledger.claim(sendId, "report", emails, at)).sort()).toEqual(emails);
    lose();
    expect(
      await ledger.settle(
        sendId,
        emails.map((email) => ({
          email,
          tier: "report" as const,
          to: "sent" as const,
          fields: { sesMessageId: `m-${email}` },
        })),
        at,
      ),
    ).toEqual([]);
    expect(p.stats.faults["reset-after"]).toBe(3);

    const evidence = await readEvidence(direct, sendId, []);
    expect(new Set(evidence.deliveries.map((d) => d.status))).toEqual(new Set(["sent"]));
    expect(evidence.deliveries).toHaveLength(50);
    expect(evidence.counters).toEqual(evidence.recount);
    expect(await ledger.claim(sendId, "report", emails, at)).toEqual([]);
  });
});

describe("SQS faults (JSON 1.0, query-compatible)", () => {
  it("throttles as RequestThrottled, fails as InternalError and 503; all retryable; SNS on the same port is never faulted", async () => {
    const p = await proxy("sqs", { rate: 1 });
    const sqs = client(new SQSClient({ ...awsClientConfig(stack, "sqs"), endpoint: p.url, maxAttempts: 1 }));
    const seen = [];
    for (const fault of ["throttle", "error500", "error503"] as const) {
      p.configure({ faults: [fault] });
      const err = await failure(sqs.send(new ListQueuesCommand({})));
      seen.push([err?.name, err?.$metadata?.httpStatusCode]);
      expect(translateSqsError(err, "q")).toBeInstanceOf(RetryableError);
    }
    expect(seen).toEqual([
      ["RequestThrottled", 400],
      ["InternalError", 500],
      ["ServiceUnavailable", 503],
    ]);
    const sns = client(new SNSClient({ ...awsClientConfig(stack, "sns"), endpoint: p.url, maxAttempts: 1 }));
    await sns.send(new ListTopicsCommand({}));
    expect(p.stats.faults).toMatchObject({ throttle: 1, error500: 1, error503: 1 });
  });
});

describe("SES faults (REST-JSON)", () => {
  const email: OutgoingEmail = {
    from: "bulletin@example.org",
    to: "reset-after@example.org",
    subject: "S",
    html: "<p>x</p>",
    text: "x",
    headers: [],
    tags: { send: "s" },
  };

  it("a reset after SES accepted the message is ambiguous, and the message is in the store", async () => {
    const p = await proxy("ses", { rate: 1, faults: ["reset-after"], operations: ["SendEmail"] });
    const ses = client(new SESv2Client({ ...awsClientConfig(stack, "ses"), endpoint: p.url, maxAttempts: 1 }));
    const err = await failure(new SesMailer({ client: ses }).send(email));
    expect(err).toBeInstanceOf(AmbiguousSendError);
    expect((await readSentEmails(stack)).filter((m) => m.destination.to[0] === email.to)).toHaveLength(1);
  });

  it("timeout-after holds the answer until the client's own timeout: ambiguous too", async () => {
    const p = await proxy("ses", { rate: 1, faults: ["timeout-after"], operations: ["SendEmail"] });
    const ses = client(
      new SESv2Client({
        ...awsClientConfig(stack, "ses"),
        endpoint: p.url,
        maxAttempts: 1,
        requestHandler: { requestTimeout: 200, throwOnRequestTimeout: true },
      }),
    );
    const err = await failure(new SesMailer({ client: ses }).send({ ...email, to: "timeout-after@example.org" }));
    expect(err).toBeInstanceOf(AmbiguousSendError);
    expect(err?.message).toMatch(/ETIMEDOUT/);
    expect(
      (await readSentEmails(stack)).filter((m) => m.destination.to[0] === "timeout-after@example.org"),
    ).toHaveLength(1);
  });
});
