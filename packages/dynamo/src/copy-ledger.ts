import { PutCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { CopyLedger } from "@bulletin/core";
import { batchGetAll } from "./batch-get.ts";
import { callDynamo } from "./errors.ts";
import { copyKeys } from "./keys.ts";
import type { DynamoRepoOptions } from "./repo-options.ts";

/**
 * One copy per person per issue: an item `ISSUE#<issueId>`/`COPY#<email>` per address that received
 * the issue. In the issue's partition, so "who got issue Y" is one Query.
 *
 * @example
 * const copies = new DynamoCopyLedger({ client, tableName: "bulletin" });
 * const already = await copies.received(issueId, batch.emails); // skip these
 * await copies.markReceived(issueId, email, sendId, clock.now());
 */
export class DynamoCopyLedger implements CopyLedger {
  private readonly client: DynamoDBDocumentClient;
  private readonly tableName: string;

  constructor(opts: DynamoRepoOptions) {
    this.client = opts.client;
    this.tableName = opts.tableName;
  }

  /** BatchGetItem in chunks of 100 (batch-get.ts); addresses without a marker are simply absent. */
  async received(issueId: string, emails: readonly string[]): Promise<Set<string>> {
    if (emails.length === 0) return new Set();
    const items = await batchGetAll({
      client: this.client,
      tableName: this.tableName,
      keys: emails.map((email) => copyKeys.item(issueId, email)),
    });
    return new Set(items.map((item) => String(item.email)));
  }

  /**
   * A plain Put: no read first and no condition, because marking twice is harmless and a deliberate
   * re-send (`resend`) should simply record the latest send.
   */
  async markReceived(issueId: string, email: string, sendId: string, at: string): Promise<void> {
    await callDynamo({ tableName: this.tableName }, () =>
      this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...copyKeys.item(issueId, email), type: "copy", issueId, email, sendId, receivedAt: at },
        }),
      ),
    );
  }
}
