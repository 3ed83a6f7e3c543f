import { ListQueuesCommand, type SQSClient } from "@aws-sdk/client-sqs";
import { RetryableError } from "@bulletin/core";
import { describe, expect, it } from "vitest";
import { callToHungEndpoint, LOCAL_CLIENT, resolvedTimeouts } from "../../../tests/support/fake-endpoint.ts";
import { createSqsClient, SQS_REQUEST_HANDLER } from "./sqs-client.ts";
import { callSqs } from "./sqs-errors.ts";

describe("createSqsClient", () => {
  it("has a request timeout, so an endpoint that never answers is given up on with a retryable error", async () => {
    const list = (client: SQSClient) => client.send(new ListQueuesCommand({}));
    const timeouts = await resolvedTimeouts(
      (url) => createSqsClient({ ...LOCAL_CLIENT, endpoint: url }),
      '{"QueueUrls":[]}',
      list,
    );
    expect(timeouts.requestTimeout).toBeGreaterThan(0);
    expect(timeouts.requestTimeout).toBeLessThanOrEqual(10_000);
    expect(timeouts.throwOnRequestTimeout).toBe(true);
    // The same handler with a shorter timeout (the default's 10 s would be waited out here for nothing).
    const hung = await callToHungEndpoint(
      (url) =>
        createSqsClient({
          ...LOCAL_CLIENT,
          endpoint: url,
          requestHandler: { ...SQS_REQUEST_HANDLER, requestTimeout: 300 },
        }),
      (client) => callSqs("http://queue", () => list(client)),
    );
    expect(hung.error).toBeInstanceOf(RetryableError);
    expect(hung.ms).toBeLessThan(5_000);
  });
});
