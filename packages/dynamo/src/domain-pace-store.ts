import { GetCommand, PutCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { ConflictError, type DomainPaceStore } from "@bulletin/core";
import { callDynamo } from "./errors.ts";
import { paceKeys } from "./keys.ts";
import type { DynamoRepoOptions } from "./repo-options.ts";

/**
 * The pace of each domain group (core's DomainPacer), one small item per group: `PACE#<group>` /
 * `PACE` with `tat`, the time its next send is due. Every sender reads it consistently and moves it
 * with a conditional write, so senders in different Lambda instances, and a sender started after
 * another stopped, keep to one pace.
 *
 * @example
 * const pacer = new DomainPacer(new DynamoDomainPaceStore({ client, tableName }), { nowMs: () => Date.now() });
 */
export class DynamoDomainPaceStore implements DomainPaceStore {
  private readonly client: DynamoDBDocumentClient;
  private readonly tableName: string;

  constructor(opts: DynamoRepoOptions) {
    this.client = opts.client;
    this.tableName = opts.tableName;
  }

  async read(group: string): Promise<number | null> {
    const res = await callDynamo({ tableName: this.tableName }, () =>
      this.client.send(new GetCommand({ TableName: this.tableName, Key: paceKeys.item(group), ConsistentRead: true })),
    );
    return typeof res.Item?.tat === "number" ? res.Item.tat : null;
  }

  async advance(group: string, from: number | null, to: number): Promise<boolean> {
    try {
      await callDynamo({ tableName: this.tableName }, () =>
        this.client.send(
          new PutCommand({
            TableName: this.tableName,
            Item: { ...paceKeys.item(group), type: "pace", group, tat: to },
            ConditionExpression: from === null ? "attribute_not_exists(pk)" : "tat = :from",
            ...(from === null ? {} : { ExpressionAttributeValues: { ":from": from } }),
          }),
        ),
      );
      return true;
    } catch (err) {
      if (err instanceof ConflictError) return false;
      throw err;
    }
  }
}
