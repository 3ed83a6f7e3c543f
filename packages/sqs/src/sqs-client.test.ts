import { ListQueuesCommand } from "@aws-sdk/client-sqs";
import { RetryableError } from "@bulletin/core";
import { describe, expect, it } from "vitest";
import { fakeEndpoint, LOCAL_CLIENT } from "../../../tests/support/fake-endpoint.ts";
import { createSqsClient, SQS_REQUEST_HANDLER } from "./sqs-client.ts";
import { callSqs } from "./sqs-errors.ts";

describe("createSqsClient", () => {
  it("has a request timeout, so an endpoint that never answers is given up on with a retryable error", async () => {
    // The default handler's timeouts, as the client resolved them on a call that was answered.
    const answered = await fakeEndpoint((res) =>
      res.writeHead(200, { "content-type": "application/x-amz-json-1.0" }).end('{"QueueUrls":[]}'),
    );
    const client = createSqsClient({ ...LOCAL_CLIENT, endpoint: answered.url });
    try {
      await client.send(new ListQueuesCommand({}));
      const handler = client.config.requestHandler as {
        httpHandlerConfigs(): { requestTimeout?: number; throwOnRequestTimeout?: boolean };
      };
      const { requestTimeout, throwOnRequestTimeout } = handler.httpHandlerConfigs();
      expect(requestTimeout).toBeGreaterThan(0);
      expect(requestTimeout).toBeLessThanOrEqual(10_000);
      expect(throwOnRequestTimeout).toBe(true);
    } finally {
      client.destroy();
      await answered.close();
    }
    // The same handler with a shorter timeout (the default's 10 s would be waited out here for nothing).
    const hung = await fakeEndpoint(() => {});
    const short = createSqsClient({
      ...LOCAL_CLIENT,
      endpoint: hung.url,
      requestHandler: { ...SQS_REQUEST_HANDLER, requestTimeout: 300 },
    });
    const started = Date.now();
    try {
      const err = await callSqs("http://queue", () => short.send(new ListQueuesCommand({}))).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(RetryableError);
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      short.destroy();
      await hung.close();
    }
  });
});
