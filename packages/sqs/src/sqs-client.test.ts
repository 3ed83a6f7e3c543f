import { ListQueuesCommand } from "@aws-sdk/client-sqs";
import { RetryableError } from "@bulletin/core";
import { describe, expect, it } from "vitest";
import { fakeEndpoint, LOCAL_CLIENT } from "../../../tests/support/fake-endpoint.ts";
import { createSqsClient } from "./sqs-client.ts";
import { callSqs } from "./sqs-errors.ts";

describe("createSqsClient", () => {
  it("gives up on an endpoint that never answers, with a retryable error, instead of waiting forever", async () => {
    const hung = await fakeEndpoint(() => {});
    const client = createSqsClient({ ...LOCAL_CLIENT, endpoint: hung.url });
    const started = Date.now();
    try {
      const err = await callSqs("http://queue", () => client.send(new ListQueuesCommand({}))).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(RetryableError);
      expect(Date.now() - started).toBeLessThan(15_000);
    } finally {
      client.destroy();
      await hung.close();
    }
  }, 20_000);
});
