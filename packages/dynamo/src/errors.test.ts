import {
  ConditionalCheckFailedException,
  ProvisionedThroughputExceededException,
  ResourceNotFoundException,
} from "@aws-sdk/client-dynamodb";
import { BulletinError, ConflictError, NotFoundError, RetryableError } from "@bulletin/core";
import { describe, expect, it } from "vitest";
import { type DynamoDBDocumentClient, GetCommand } from "@aws-sdk/lib-dynamodb";
import {
  callToHungEndpoint,
  fakeEndpoint,
  LOCAL_CLIENT,
  resolvedTimeouts,
} from "../../../tests/support/fake-endpoint.ts";
import { createDocumentClient, DYNAMO_REQUEST_HANDLER } from "./document-client.ts";
import { callDynamo, translateDynamoError } from "./errors.ts";

const meta = { $metadata: {} };
const ctx = { tableName: "bulletin" };

describe("translateDynamoError", () => {
  it("gives a failed condition the meaning the caller passes in, ConflictError by default", () => {
    const err = new ConditionalCheckFailedException({ message: "The conditional request failed", ...meta });
    const notFound = translateDynamoError(err, {
      ...ctx,
      onConditionFailed: () => new NotFoundError("x.missing", "gone"),
    });
    expect(notFound).toBeInstanceOf(NotFoundError);
    expect(notFound.code).toBe("x.missing");
    const conflict = translateDynamoError(err, ctx);
    expect(conflict).toBeInstanceOf(ConflictError);
    expect(conflict.cause).toBe(err);
  });

  it("makes throttling and transient failures retryable", () => {
    const throttled = new ProvisionedThroughputExceededException({ message: "slow down", ...meta });
    expect(translateDynamoError(throttled, ctx)).toBeInstanceOf(RetryableError);
    for (const name of ["ThrottlingException", "RequestLimitExceeded", "InternalServerError"]) {
      expect(translateDynamoError(Object.assign(new Error("x"), { name }), ctx)).toBeInstanceOf(RetryableError);
    }
    const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:8000"), { code: "ECONNREFUSED" });
    expect(translateDynamoError(refused, ctx)).toBeInstanceOf(RetryableError);
  });

  it("makes an unnamed 503 (a load balancer's, a proxy's) retryable", async () => {
    const endpoint = await fakeEndpoint((res) =>
      res.writeHead(503, { "content-type": "text/html" }).end("<html>Service Temporarily Unavailable</html>"),
    );
    const client = createDocumentClient({ ...LOCAL_CLIENT, endpoint: endpoint.url });
    try {
      const err = await callDynamo(ctx, () =>
        client.send(new GetCommand({ TableName: "bulletin", Key: { pk: "a", sk: "b" } })),
      ).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(RetryableError);
    } finally {
      client.destroy();
      await endpoint.close();
    }
  });

  it("gives the client a request timeout, so an endpoint that never answers is given up on, retryably", async () => {
    const get = (client: DynamoDBDocumentClient) =>
      client.send(new GetCommand({ TableName: "bulletin", Key: { pk: "a", sk: "b" } }));
    const timeouts = await resolvedTimeouts(
      (url) => createDocumentClient({ ...LOCAL_CLIENT, endpoint: url }),
      "{}",
      get,
    );
    expect(timeouts.requestTimeout).toBeGreaterThan(0);
    expect(timeouts.requestTimeout).toBeLessThanOrEqual(10_000);
    expect(timeouts.throwOnRequestTimeout).toBe(true);
    // The same handler with a shorter timeout (the default's 10 s would be waited out here for nothing):
    // a hung call ends in the retryable error, not in a wait without end.
    const hung = await callToHungEndpoint(
      (url) =>
        createDocumentClient({
          ...LOCAL_CLIENT,
          endpoint: url,
          requestHandler: { ...DYNAMO_REQUEST_HANDLER, requestTimeout: 300 },
        }),
      (client) => callDynamo(ctx, () => get(client)),
    );
    expect(hung.error).toBeInstanceOf(RetryableError);
    expect(hung.ms).toBeLessThan(5_000);
  });

  it("names the missing table", () => {
    const err = translateDynamoError(
      new ResourceNotFoundException({ message: "Requested resource not found", ...meta }),
      ctx,
    );
    expect(err.constructor).toBe(BulletinError);
    expect(err.code).toBe("storage.table-missing");
    expect(err.message).toContain("table bulletin does not exist");
  });

  it("wraps anything else, and passes BulletinErrors through", () => {
    const other = translateDynamoError(
      Object.assign(new Error("bad expression"), { name: "ValidationException" }),
      ctx,
    );
    expect(other.code).toBe("storage.failed");
    expect(other.message).toContain("ValidationException: bad expression");
    const mine = new NotFoundError("a", "b");
    expect(translateDynamoError(mine, ctx)).toBe(mine);
    expect(translateDynamoError("a string", ctx)).toBeInstanceOf(BulletinError);
  });

  it("callDynamo returns the result or throws the translation", async () => {
    await expect(callDynamo(ctx, async () => 42)).resolves.toBe(42);
    await expect(
      callDynamo(ctx, async () => {
        throw new ProvisionedThroughputExceededException({ message: "slow down", ...meta });
      }),
    ).rejects.toBeInstanceOf(RetryableError);
  });
});
