import { BatchGetCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { RetryableError } from "@bulletin/core";
import { callDynamo } from "./errors.ts";
import type { Key } from "./keys.ts";

/** BatchGetItem's own limit on keys per request. */
export const BATCH_GET_SIZE = 100;

export interface BatchGetOptions {
  client: DynamoDBDocumentClient;
  tableName: string;
  keys: readonly Key[];
  /** Rounds of UnprocessedKeys retries per chunk before giving up with a RetryableError. Default 8. */
  maxAttempts?: number;
  /** First backoff delay; doubles each round, with full jitter. Default 50 ms. */
  baseDelayMs?: number;
  /** Strongly consistent reads, for a check that must see the latest writes. Default false. */
  consistentRead?: boolean;
  /** Injected by tests to skip real waiting. */
  sleep?: (ms: number) => Promise<void>;
}

/**
 * Reads any number of items by key: chunks of 100 (BatchGetItem's limit), duplicates removed
 * (DynamoDB rejects a request that repeats a key), and UnprocessedKeys — what DynamoDB returns
 * when it throttles part of a batch — retried with exponential backoff. Missing items are simply
 * absent from the result; order is not kept.
 *
 * @example
 * const items = await batchGetAll({ client, tableName, keys: emails.map(recipientKeys.item) });
 */
export async function batchGetAll(opts: BatchGetOptions): Promise<Record<string, unknown>[]> {
  const unique = new Map(opts.keys.map((k) => [`${k.pk}\u0000${k.sk}`, k] as const));
  const keys = [...unique.values()];
  const chunks: Key[][] = [];
  for (let i = 0; i < keys.length; i += BATCH_GET_SIZE) chunks.push(keys.slice(i, i + BATCH_GET_SIZE));
  const out: Record<string, unknown>[] = [];
  // Sequential chunks: a big audience is read in a background step, and firing every chunk at once
  // would only provoke the throttling (UnprocessedKeys) we then have to back off from.
  for (const chunk of chunks) out.push(...(await getChunk(opts, chunk)));
  return out;
}

async function getChunk(opts: BatchGetOptions, chunk: Key[]): Promise<Record<string, unknown>[]> {
  const maxAttempts = opts.maxAttempts ?? 8;
  const baseDelayMs = opts.baseDelayMs ?? 50;
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const out: Record<string, unknown>[] = [];
  let pending: Record<string, unknown>[] = chunk;
  for (let attempt = 1; ; attempt++) {
    const res = await callDynamo({ tableName: opts.tableName }, () =>
      opts.client.send(
        new BatchGetCommand({
          RequestItems: { [opts.tableName]: { Keys: pending, ConsistentRead: opts.consistentRead } },
        }),
      ),
    );
    out.push(...(res.Responses?.[opts.tableName] ?? []));
    pending = res.UnprocessedKeys?.[opts.tableName]?.Keys ?? [];
    if (pending.length === 0) return out;
    if (attempt >= maxAttempts) {
      throw new RetryableError(
        "storage.retryable",
        `DynamoDB left ${pending.length} keys unprocessed after ${attempt} attempts; try again later`,
      );
    }
    // Full jitter (random in [0, base·2^n)) spreads the retries of concurrent readers apart.
    await sleep(Math.random() * baseDelayMs * 2 ** (attempt - 1));
  }
}
