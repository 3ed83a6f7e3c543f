import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ReceiveMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import type {
  APIGatewayProxyEventV2,
  APIGatewayProxyStructuredResultV2,
  Context,
  ScheduledEvent,
  SNSEvent,
  SQSEvent,
} from "aws-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CreateBucketCommand, S3Client } from "@aws-sdk/client-s3";
import { createDocumentClient, ensureTable } from "@bulletin/dynamo";
import { featuresWithFigure } from "../expected/pdf-features.ts";
import { chromiumAvailable } from "../support/chromium.ts";
import { bulletinPdf, closePdfBrowser, TYPOGRAPHIES } from "../support/pdf-fixtures.ts";
import {
  awsClientConfig,
  localSesAccount,
  readSentEmails,
  startLocalStack,
  type LocalStack,
} from "@bulletin/emulators";
import { ensureQueue } from "@bulletin/sqs";
import { startFakeLambda } from "../support/fake-lambda.ts";

// The Lambda handlers with real Lambda event shapes (API Gateway v2, SQS, SNS, EventBridge
// schedule) against the local stack: the same AWS SDK calls, only AWS_ENDPOINT_URL_* changed, and
// SST's links given as SST_RESOURCE_* the way `sst deploy` sets them.
const ADMIN = "blt_handler-test-admin-token-0123456789";
let stack: LocalStack;
let lambda: Awaited<ReturnType<typeof startFakeLambda>>;
let queueUrl: string;
let sqs: SQSClient;
let handlers: {
  api: typeof import("../../packages/functions/src/handlers/api.ts");
  dispatcher: typeof import("../../packages/functions/src/handlers/dispatcher.ts");
  sender: typeof import("../../packages/functions/src/handlers/sender.ts");
  sesEvents: typeof import("../../packages/functions/src/handlers/ses-events.ts");
  scheduler: typeof import("../../packages/functions/src/handlers/scheduler.ts");
};

beforeAll(async () => {
  process.env.AWS_SES_ACCOUNT = localSesAccount({ maxSendRate: 50, max24HourSend: 50_000, sentLast24Hours: 0 });
  stack = await startLocalStack({
    dataDir: mkdtempSync(join(tmpdir(), "bulletin-fn-")),
    dynamoUrl: process.env.LOCAL_DYNAMODB_URL,
    sesPort: 0,
  });
  const documents = createDocumentClient(awsClientConfig(stack, "dynamodb"));
  await ensureTable(documents, "bulletin-test", { pollMs: 20 });
  documents.destroy();
  sqs = new SQSClient(awsClientConfig(stack, "sqs"));
  const s3 = new S3Client({ ...awsClientConfig(stack, "sqs"), forcePathStyle: true });
  await s3.send(new CreateBucketCommand({ Bucket: "bulletin-test-files" }));
  s3.destroy();
  queueUrl = (await ensureQueue(sqs, "send", { dlqName: "send-dlq" })).queueUrl;
  handlers = {
    api: await import("../../packages/functions/src/handlers/api.ts"),
    dispatcher: await import("../../packages/functions/src/handlers/dispatcher.ts"),
    sender: await import("../../packages/functions/src/handlers/sender.ts"),
    sesEvents: await import("../../packages/functions/src/handlers/ses-events.ts"),
    scheduler: await import("../../packages/functions/src/handlers/scheduler.ts"),
  };
  lambda = await startFakeLambda({
    "bulletin-test-Dispatcher": (e) => handlers.dispatcher.handler(e as { sendId: string }),
  });
  const link = (name: string, props: Record<string, string>) =>
    (process.env[`SST_RESOURCE_${name}`] = JSON.stringify(props));
  link("App", { name: "bulletin", stage: "test" });
  link("Table", { name: "bulletin-test" });
  link("Files", { name: "bulletin-test-files" });
  link("SendQueue", { url: queueUrl });
  link("Dispatcher", { name: "bulletin-test-Dispatcher" });
  link("Email", { sender: "example.org", configSet: "bulletin" });
  link("UnsubscribeKey", { value: "u".repeat(43) });
  link("SessionKey", { value: "s".repeat(43) });
  link("AdminToken", { value: ADMIN });
  Object.assign(process.env, {
    AWS_REGION: stack.region,
    AWS_ACCESS_KEY_ID: stack.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: stack.credentials.secretAccessKey,
    AWS_ENDPOINT_URL_DYNAMODB: stack.endpoints.dynamodb,
    AWS_ENDPOINT_URL_SQS: stack.endpoints.sqs,
    // fauxqs serves S3 on the same endpoint.
    AWS_ENDPOINT_URL_S3: stack.endpoints.sqs,
    AWS_ENDPOINT_URL_SESV2: stack.endpoints.ses,
    AWS_ENDPOINT_URL_LAMBDA: lambda.url,
    PUBLIC_URL: "https://bulletin.example.org",
    UNSUBSCRIBE_MAILTO: "unsubscribe@example.org",
    SEND_CONCURRENCY: "2",
    SENDER_RETRY_SECONDS: "1",
  });
});
afterAll(async () => {
  await closePdfBrowser();
  sqs?.destroy();
  await lambda?.stop();
  await stack?.stop();
});

const context = { functionName: "test", awsRequestId: "req-1" } as Context;

/** An API Gateway HTTP API (payload 2.0) request, as the api function receives it. */
function httpEvent(
  method: string,
  path: string,
  body?: string | Uint8Array,
  headers: Record<string, string> = {},
): APIGatewayProxyEventV2 {
  const [rawPath, rawQueryString = ""] = path.split("?") as [string, string?];
  return {
    version: "2.0",
    routeKey: "$default",
    rawPath,
    rawQueryString,
    headers: {
      host: "bulletin.example.org",
      "x-forwarded-proto": "https",
      authorization: `Bearer ${ADMIN}`,
      ...headers,
    },
    requestContext: {
      accountId: "123456789012",
      apiId: "api",
      domainName: "bulletin.example.org",
      domainPrefix: "bulletin",
      requestId: "r",
      routeKey: "$default",
      stage: "$default",
      time: "22/Nov/2026:10:00:00 +0000",
      timeEpoch: Date.now(),
      http: { method, path: rawPath, protocol: "HTTP/1.1", sourceIp: "203.0.113.1", userAgent: "test" },
    },
    // API Gateway hands a binary body (a PDF) over base64-encoded.
    ...(body === undefined
      ? { isBase64Encoded: false }
      : typeof body === "string"
        ? { body, isBase64Encoded: false }
        : { body: Buffer.from(body).toString("base64"), isBase64Encoded: true }),
  };
}

async function call(method: string, path: string, body?: string | Uint8Array, headers?: Record<string, string>) {
  const res = (await handlers.api.handler(
    httpEvent(method, path, body, headers) as never,
    context as never,
  )) as APIGatewayProxyStructuredResultV2;
  return {
    status: res.statusCode,
    headers: res.headers ?? {},
    json: () => JSON.parse(res.body ?? "null") as Record<string, any>,
    body: res.body ?? "",
  };
}

/** Takes what is on the send queue as the SQS event source would hand it to the sender. */
async function sqsEvent(): Promise<SQSEvent> {
  const out = await sqs.send(
    new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }),
  );
  return {
    Records: (out.Messages ?? []).map((m) => ({
      messageId: m.MessageId!,
      receiptHandle: m.ReceiptHandle!,
      body: m.Body!,
      attributes: {
        ApproximateReceiveCount: "1",
        SentTimestamp: "0",
        SenderId: "x",
        ApproximateFirstReceiveTimestamp: "0",
      },
      messageAttributes: {},
      md5OfBody: m.MD5OfBody!,
      eventSource: "aws:sqs",
      eventSourceARN: "arn:aws:sqs:ap-east-1:123456789012:send",
      awsRegion: "ap-east-1",
    })),
  };
}

let issueId: string;
let sendId: string;

describe("Lambda handlers on the local stack", () => {
  it("api (API Gateway v2): health, the bootstrap admin token, import recipients and an issue, start a send that invokes the dispatcher", async () => {
    expect((await call("GET", "/healthz")).status).toBe(200);
    expect((await call("GET", "/api/issues", undefined, { authorization: "Bearer nope" })).status).toBe(401);
    const csv = readFileSync("samples/recipients.csv", "utf8");
    expect((await call("POST", "/api/recipients/import", csv, { "content-type": "text/csv" })).json()).toMatchObject({
      created: 28,
    });
    const created = await call(
      "POST",
      "/api/issues",
      readFileSync("samples/bulletins/004_c6f4c6a81dc11ba8.txt", "utf8"),
      { "content-type": "text/plain" },
    );
    expect(created.status).toBe(201);
    issueId = created.json().id as string;
    // The sample text has no masthead: a send is refused until it has a number, or is confirmed without.
    const refused = await call("POST", `/api/issues/${issueId}/sends`, "{}", { "content-type": "application/json" });
    expect(refused.status).toBe(409);
    expect(refused.json()).toMatchObject({ error: "send.no-issue-number" });
    expect(
      (
        await call("PATCH", `/api/issues/${issueId}`, JSON.stringify({ masthead: { number: "2025年第5期" } }), {
          "content-type": "application/json",
        })
      ).json(),
    ).toMatchObject({ masthead: { number: "2025年第5期" } });
    const started = await call("POST", `/api/issues/${issueId}/sends`, "{}", { "content-type": "application/json" });
    expect(started.status).toBe(202);
    sendId = started.json().sendId as string;
    await lambda.settled();
    expect(lambda.invocations).toEqual([{ name: "bulletin-test-Dispatcher", event: { sendId } }]);
    expect((await call("GET", `/api/sends/${sendId}`)).json()).toMatchObject({ status: "sending", total: 28 });
  });

  it.skipIf(!chromiumAvailable)(
    "api: a bulletin PDF from the body and from an upload to S3, its original served from S3 by a presigned URL, its photo from S3 by the api",
    { timeout: 120_000 },
    async () => {
      const pdf = await bulletinPdf(featuresWithFigure("featuresSans"), TYPOGRAPHIES.featuresSans);
      const created = await call("POST", "/api/issues", pdf, { "content-type": "application/pdf" });
      expect(created.status).toBe(201);
      expect(created.json()).toMatchObject({ format: "pdf", original: { size: pdf.length } });
      expect(created.json().imagesSkipped).toBeUndefined();
      // The photo, kept in the bucket beside the original, answered by the function itself (a few
      // hundred KB at most), base64 as API Gateway wants a binary body, with its cache headers.
      const photo = (await handlers.api.handler(
        httpEvent("GET", `/archive/${created.json().id}/images/1.jpg`, undefined, {}) as never,
        context as never,
      )) as APIGatewayProxyStructuredResultV2;
      expect(photo.statusCode).toBe(200);
      expect(photo.headers).toMatchObject({
        "content-type": "image/jpeg",
        "cache-control": expect.stringMatching(/^public, max-age=/),
      });
      expect(photo.isBase64Encoded).toBe(true);
      expect([...Buffer.from(photo.body!, "base64").subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff]);
      const original = await call("GET", `/archive/${created.json().id}/original.pdf`, undefined, {});
      expect(original.status).toBe(302);
      const download = await fetch(String(original.headers.location));
      expect(Buffer.from(await download.arrayBuffer()).equals(Buffer.from(pdf))).toBe(true);

      // Larger than a Lambda request: the client PUTs it to S3, then names the upload.
      const ticket = await call(
        "POST",
        "/api/uploads",
        JSON.stringify({ contentType: "application/pdf", size: pdf.length }),
        { "content-type": "application/json" },
      );
      expect(ticket.status).toBe(201);
      const { key, url, headers } = ticket.json() as { key: string; url: string; headers: Record<string, string> };
      expect(new URL(url).searchParams.get("X-Amz-SignedHeaders")).toContain("content-length");
      expect((await fetch(url, { method: "PUT", headers, body: pdf })).status).toBe(200);
      const fromUpload = await call("POST", "/api/issues", JSON.stringify({ upload: key }), {
        "content-type": "application/json",
      });
      expect(fromUpload.status).toBe(201);
      expect(fromUpload.json()).toMatchObject({ format: "pdf", original: { size: pdf.length } });
    },
  );

  it("sender (SQS event): mails each recipient once and reports no failed items; a redelivered batch mails nobody again", async () => {
    let mailed = 0;
    for (let round = 0; round < 10 && mailed < 28; round++) {
      const event = await sqsEvent();
      if (event.Records.length === 0) break;
      expect(await handlers.sender.handler(event)).toEqual({ batchItemFailures: [] });
      mailed = (await readSentEmails(stack)).length;
      if (round === 0) expect(await handlers.sender.handler(event)).toEqual({ batchItemFailures: [] }); // SQS delivered it twice
    }
    const emails = await readSentEmails(stack);
    expect(emails).toHaveLength(28);
    expect(new Set(emails.map((e) => e.destination.to[0])).size).toBe(28);
    const unsubscribe = emails[0]!.headers!.find((h) => h.name === "List-Unsubscribe")!.value;
    expect(unsubscribe).toMatch(/^<https:\/\/bulletin\.example\.org\/u\/[^>]+>, <mailto:unsubscribe@example\.org/);
    expect((await call("GET", `/api/sends/${sendId}`)).json()).toMatchObject({
      status: "finished",
      totals: { sent: 28 },
    });
  });

  it("sender: a paused send's batch is handed back and comes again within the retry delay, not the queue's visibility timeout", async () => {
    const other = await call(
      "POST",
      `/api/issues/${issueId}/sends`,
      JSON.stringify({ resend: true, only: ["office@cace.example.org"] }),
      { "content-type": "application/json" },
    );
    const otherId = other.json().sendId as string;
    await lambda.settled();
    expect((await call("POST", `/api/sends/${otherId}/pause`)).status).toBe(200);
    const event = await sqsEvent();
    expect(event.Records).toHaveLength(1);
    expect(await handlers.sender.handler(event)).toEqual({
      batchItemFailures: [{ itemIdentifier: event.Records[0]!.messageId }],
    });
    const before = (await readSentEmails(stack)).length;
    await new Promise((r) => setTimeout(r, 1300));
    const again = await sqsEvent();
    expect(again.Records.map((r) => r.messageId)).toEqual([event.Records[0]!.messageId]);
    expect((await call("POST", `/api/sends/${otherId}/cancel`)).status).toBe(200);
    expect(await handlers.sender.handler(again)).toEqual({ batchItemFailures: [] });
    expect((await readSentEmails(stack)).length).toBe(before);
  });

  it("ses-events (SNS event): a bounce moves the delivery and suppresses the address; an unparseable record is dropped", async () => {
    const email = "member@bohao.example.com";
    const delivery = (await call("GET", `/api/sends/${sendId}/deliveries?tier=distribute`))
      .json()
      .items.find((d: { email: string }) => d.email === email) as { sesMessageId: string };
    const bounce = JSON.parse(
      readFileSync("packages/core/src/events/fixtures/bounce-permanent.json", "utf8"),
    ) as Record<string, any>;
    bounce.mail = {
      ...bounce.mail,
      messageId: delivery.sesMessageId,
      destination: [email],
      tags: { send: [sendId], tier: ["distribute"] },
    };
    bounce.bounce.bouncedRecipients = [{ emailAddress: email, diagnosticCode: "smtp; 550 5.1.1 user unknown" }];
    const record = (id: string, message: string) => ({
      EventSource: "aws:sns",
      EventVersion: "1.0",
      EventSubscriptionArn: "arn:aws:sns:ap-east-1:123456789012:ses-events:sub",
      Sns: {
        Type: "Notification",
        MessageId: id,
        TopicArn: "arn:aws:sns:ap-east-1:123456789012:ses-events",
        Subject: "",
        Message: message,
        Timestamp: new Date().toISOString(),
        SignatureVersion: "1",
        Signature: "",
        SigningCertUrl: "",
        UnsubscribeUrl: "",
        MessageAttributes: {},
      },
    });
    const event: SNSEvent = { Records: [record("n1", JSON.stringify(bounce)), record("n2", "not json")] };
    expect(await handlers.sesEvents.handler(event)).toMatchObject({ applied: 1, invalid: 1 });
    expect(await handlers.sesEvents.handler(event)).toMatchObject({ applied: 0, duplicate: 1 });
    expect((await call("GET", `/api/sends/${sendId}`)).json().totals).toMatchObject({ sent: 27, bounced: 1 });
    expect((await call("GET", `/api/suppressions/${email}`)).json()).toMatchObject({
      suppression: { reason: "bounce", detail: "General" },
    });
  });

  it("scheduler (EventBridge schedule): dispatches a scheduled send whose time has come, and sweeps", async () => {
    const soon = new Date(Date.now() + 1500).toISOString();
    const scheduled = await call(
      "POST",
      `/api/issues/${issueId}/sends`,
      JSON.stringify({ scheduledAt: soon, resend: true, only: ["office@cace.example.org"] }),
      { "content-type": "application/json" },
    );
    expect(scheduled.json()).toMatchObject({ status: "scheduled" });
    const id = scheduled.json().sendId as string;
    await new Promise((r) => setTimeout(r, 1600));
    const tick: ScheduledEvent = {
      version: "0",
      id: "e1",
      "detail-type": "Scheduled Event",
      source: "aws.events",
      account: "123456789012",
      time: new Date().toISOString(),
      region: "ap-east-1",
      resources: [],
      detail: {},
    };
    const report = await (
      handlers.scheduler.handler as (e: ScheduledEvent) => ReturnType<typeof handlers.scheduler.handler>
    )(tick);
    expect(report).toMatchObject({ due: [id], monthly: null, redispatched: [], unknown: 0 });
    await lambda.settled();
    expect((await call("GET", `/api/sends/${id}`)).json()).toMatchObject({ status: "sending", total: 1 });
  });
});
