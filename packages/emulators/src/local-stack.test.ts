import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CreateTableCommand, DynamoDBClient, GetItemCommand, PutItemCommand } from "@aws-sdk/client-dynamodb";
import { SESv2Client, SendEmailCommand } from "@aws-sdk/client-sesv2";
import { CreateQueueCommand, ReceiveMessageCommand, SQSClient, SendMessageCommand } from "@aws-sdk/client-sqs";
import { CreateTopicCommand, ListTopicsCommand, SNSClient } from "@aws-sdk/client-sns";
import { createServer, type AddressInfo } from "node:net";
import { awsClientConfig, readSentEmails, startLocalStack, type LocalStack } from "./index.ts";
import { waitUntilReady } from "./readiness.ts";

const TABLE = "bulletin-test";
const KEY = { pk: { S: "issue#2024-03" } };

/** Reads the test item through a fresh client, destroyed afterwards so no socket outlives the test. */
async function getItem(stack: LocalStack): Promise<Record<string, unknown> | undefined> {
  const ddb = new DynamoDBClient(awsClientConfig(stack, "dynamodb"));
  try {
    return (await ddb.send(new GetItemCommand({ TableName: TABLE, Key: KEY }))).Item;
  } finally {
    ddb.destroy();
  }
}

describe("startLocalStack", () => {
  let dataDir: string;
  let stack: LocalStack | undefined;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "emulators-"));
    stack = await startLocalStack({ dataDir });
  });

  afterAll(async () => {
    await stack?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it("serves DynamoDB through the real SDK client", async () => {
    const ddb = new DynamoDBClient(awsClientConfig(stack!, "dynamodb"));
    await ddb.send(
      new CreateTableCommand({
        TableName: TABLE,
        AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }],
        KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }],
        BillingMode: "PAY_PER_REQUEST",
      }),
    );
    await ddb.send(new PutItemCommand({ TableName: TABLE, Item: { ...KEY, title: { S: "March" } } }));
    ddb.destroy();
    expect(await getItem(stack!)).toEqual({ ...KEY, title: { S: "March" } });
  });

  it("records SESv2 SendEmail in the aws-ses-v2-local store", async () => {
    const ses = new SESv2Client(awsClientConfig(stack!, "ses"));
    const sent = await ses.send(
      new SendEmailCommand({
        FromEmailAddress: "bulletin@example.org",
        Destination: { ToAddresses: ["member@example.org"] },
        Content: { Simple: { Subject: { Data: "March bulletin" }, Body: { Text: { Data: "Hello members" } } } },
      }),
    );
    ses.destroy();
    const emails = await readSentEmails(stack!);
    const mail = emails.find((e) => e.messageId === sent.MessageId);
    expect(mail).toMatchObject({ subject: "March bulletin", destination: { to: ["member@example.org"] } });
    expect(mail?.body.text).toContain("Hello members");
    // The inbox web UI is served at inboxUrl.
    const page = await fetch(stack!.inboxUrl);
    expect(page.headers.get("content-type")).toContain("text/html");
    await page.arrayBuffer();
  });

  it("serves SQS send/receive and SNS topics", async () => {
    const sqs = new SQSClient(awsClientConfig(stack!, "sqs"));
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: "sends" }));
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "recipient-42" }));
    const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 1 }));
    sqs.destroy();
    expect(got.Messages?.map((m) => m.Body)).toEqual(["recipient-42"]);

    const sns = new SNSClient(awsClientConfig(stack!, "sns"));
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: "bounces" }));
    const topics = await sns.send(new ListTopicsCommand({}));
    sns.destroy();
    expect(TopicArn).toMatch(/^arn:aws:sns:us-east-1:\d+:bounces$/);
    expect(topics.Topics?.map((t) => t.TopicArn)).toContain(TopicArn);
  });

  it("keeps DynamoDB data across a restart and drops it with fresh: true", async () => {
    await stack!.stop();
    stack = await startLocalStack({ dataDir });
    expect(await getItem(stack)).toMatchObject({ title: { S: "March" } });
    // SES mail is not persisted: a restarted emulator starts with an empty inbox.
    expect(await readSentEmails(stack)).toEqual([]);

    await stack.stop();
    stack = await startLocalStack({ dataDir, fresh: true });
    const ddb = new DynamoDBClient(awsClientConfig(stack, "dynamodb"));
    await expect(ddb.send(new GetItemCommand({ TableName: TABLE, Key: KEY }))).rejects.toMatchObject({
      name: "ResourceNotFoundException",
    });
    ddb.destroy();
  });
});

describe("waitUntilReady", () => {
  it("names the emulator that does not answer", async () => {
    // A port that was free a moment ago: connections are refused, as with an emulator that never came up.
    const probe = createServer().listen(0, "127.0.0.1");
    await new Promise((r) => probe.once("listening", r));
    const dead = `http://127.0.0.1:${(probe.address() as AddressInfo).port}`;
    await new Promise((r) => probe.close(r));
    const conn = {
      endpoints: { dynamodb: dead, ses: dead, sqs: dead, sns: dead },
      region: "us-east-1",
      credentials: { accessKeyId: "local", secretAccessKey: "local" },
    };
    await expect(waitUntilReady(conn, 300)).rejects.toThrow(
      /did not answer \w+ at http:\/\/127\.0\.0\.1:\d+ within 300 ms/,
    );
  });
});
