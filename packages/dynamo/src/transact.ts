import { randomUUID } from "node:crypto";
import {
  TransactWriteCommand,
  type DynamoDBDocumentClient,
  type TransactWriteCommandInput,
} from "@aws-sdk/lib-dynamodb";
import { RetryableError } from "@bulletin/core";
import { translateDynamoError } from "./errors.ts";

/** One item of a TransactWriteItems (Put, Update, Delete or ConditionCheck). */
export type TxItem = NonNullable<TransactWriteCommandInput["TransactItems"]>[number];

/** DynamoDB's limit on the items of one transaction (and 4 MB in all, far above what a chunk writes). */
export const MAX_TX_ITEMS = 100;

/** Cancellation codes that say nothing about the items: another transaction, or capacity, was in the way. */
const TRANSIENT_CODES = new Set([
  "TransactionConflict",
  "ThrottlingError",
  "ProvisionedThroughputExceeded",
  "RequestLimitExceeded",
  "InternalServerError",
]);
const ROUNDS = 8;

export interface TransactOptions {
  client: DynamoDBDocumentClient;
  tableName: string;
  /** Injected by tests to skip real waiting. */
  sleep?: (ms: number) => Promise<void>;
  /**
   * The domain group of an address (DOMAIN_RATES), when the ledger counts the queued deliveries of
   * each group on the tier counters (`queued@<group>`): the send page's "waiting for QQ: n".
   */
  groupOf?: (email: string) => string | undefined;
}

/**
 * Runs one TransactWriteItems: every item applies, or none does. Returns the indexes of the items
 * whose condition failed (then nothing applied, and the caller drops them and tries the rest), or
 * an empty list when the transaction applied.
 *
 * Each operation carries a ClientRequestToken of its own, and keeps it across retries after a
 * failure that may have come after DynamoDB applied it (a timeout, a reset, a 5xx: the answer was
 * lost): DynamoDB answers a repeat of an applied token with success and changes nothing, so a lost
 * answer never applies a chunk twice (within the token's 10 minutes, far longer than the retries).
 * A cancellation for a reason that is not the items' own (another transaction on the same item,
 * throttling) is tried again with a fresh token after a backoff. Gives up with a RetryableError.
 *
 * @example
 * const failed = await transactWrite({ client, tableName }, items); // [] = applied
 */
export async function transactWrite(opts: TransactOptions, items: TxItem[]): Promise<number[]> {
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  let token = randomUUID();
  for (let round = 1; ; round++) {
    let cause: unknown;
    try {
      await opts.client.send(new TransactWriteCommand({ TransactItems: items, ClientRequestToken: token }));
      return [];
    } catch (err) {
      cause = err;
      const e = err as { name?: string; CancellationReasons?: ({ Code?: string } | undefined)[] };
      if (e.name === "TransactionCanceledException") {
        const reasons = e.CancellationReasons ?? [];
        const failed = reasons.flatMap((r, i) => (r?.Code === "ConditionalCheckFailed" ? [i] : []));
        if (failed.length > 0) return failed;
        const codes = reasons.map((r) => r?.Code).filter((c) => c && c !== "None");
        if (!codes.every((c) => TRANSIENT_CODES.has(c!))) throw translateDynamoError(err, opts);
        // Certainly not applied: a fresh token for the next try.
        token = randomUUID();
      } else if (e.name !== "TransactionInProgressException") {
        // The same token is still being applied (TransactionInProgress) or this one may have been
        // applied with its answer lost: try again with the same token.
        const translated = translateDynamoError(err, opts);
        if (!(translated instanceof RetryableError)) throw translated;
      }
    }
    if (round >= ROUNDS)
      throw new RetryableError("storage.retryable", "DynamoDB kept refusing a transaction; try again later", { cause });
    await sleep(Math.random() * Math.min(2_000, 50 * 2 ** (round - 1)));
  }
}
