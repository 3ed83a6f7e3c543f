import type { BatchGetCommand, DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { RetryableError } from "@bulletin/core";
import { describe, expect, it } from "vitest";
import { batchGetAll } from "./batch-get.ts";
import type { Key } from "./keys.ts";

// DynamoDB Local never throttles, so UnprocessedKeys is exercised against a scripted client: each call
// answers the first `serve` keys it is asked for and leaves the rest unprocessed.
function scriptedClient(serve: number[]) {
  const calls: number[] = [];
  const client = {
    send: async (cmd: BatchGetCommand) => {
      const keys = (cmd.input.RequestItems?.t?.Keys ?? []) as Key[];
      calls.push(keys.length);
      const n = serve.shift() ?? keys.length;
      return {
        Responses: { t: keys.slice(0, n).map((k) => ({ ...k, found: true })) },
        UnprocessedKeys: n < keys.length ? { t: { Keys: keys.slice(n) } } : {},
      };
    },
  } as unknown as DynamoDBDocumentClient;
  return { client, calls };
}

const keys = (n: number): Key[] => Array.from({ length: n }, (_, i) => ({ pk: `EMAIL#${i}`, sk: "RECIPIENT" }));
const noSleep = async () => {};

describe("batchGetAll", () => {
  it("sends chunks of at most 100 distinct keys", async () => {
    const { client, calls } = scriptedClient([]);
    const out = await batchGetAll({ client, tableName: "t", keys: [...keys(250), ...keys(3)], sleep: noSleep });
    expect(calls).toEqual([100, 100, 50]);
    expect(out).toHaveLength(250);
  });

  it("retries UnprocessedKeys with growing backoff until all are read", async () => {
    const { client, calls } = scriptedClient([40, 30, 0]);
    const waits: number[] = [];
    const out = await batchGetAll({
      client,
      tableName: "t",
      keys: keys(100),
      baseDelayMs: 100,
      sleep: async (ms) => void waits.push(ms),
    });
    expect(calls).toEqual([100, 60, 30, 30]);
    expect(new Set(out.map((i) => i.pk)).size).toBe(100);
    expect(waits).toHaveLength(3);
    for (const [i, ms] of waits.entries()) expect(ms).toBeLessThan(100 * 2 ** i);
  });

  it("gives up with RetryableError when DynamoDB keeps leaving keys unprocessed", async () => {
    const { client, calls } = scriptedClient([0, 0, 0, 0]);
    await expect(
      batchGetAll({ client, tableName: "t", keys: keys(5), maxAttempts: 3, sleep: noSleep }),
    ).rejects.toBeInstanceOf(RetryableError);
    expect(calls).toHaveLength(3);
  });
});
