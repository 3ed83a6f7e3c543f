import {
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from "@aws-sdk/lib-dynamodb";
import {
  BulletinError,
  ConflictError,
  NotFoundError,
  SUPPRESSION_REASONS,
  type Page,
  type PageQuery,
  type SuppressionEntry,
  type SuppressionLift,
  type SuppressionReason,
  type SuppressionRepo,
} from "@bulletin/core";
import { batchGetAll } from "./batch-get.ts";
import { callDynamo } from "./errors.ts";
import { suppressionKeys } from "./keys.ts";
import { queryPage } from "./pagination.ts";
import type { DynamoRepoOptions } from "./repo-options.ts";

/**
 * The suppression list (`EMAIL#<email>`/`SUPPRESSION`, beside the recipient), its lift log
 * (`EMAIL#<email>`/`LIFT#<liftedAt>`) and the soft-bounce run (`EMAIL#<email>`/`SOFTBOUNCE`).
 * See docs/data-model.md.
 *
 * @example
 * const repo = new DynamoSuppressionRepo({ client, tableName });
 * await repo.suppress({ email, reason: "complaint", at }); // true the first time
 */
export class DynamoSuppressionRepo implements SuppressionRepo {
  private readonly client: DynamoDBDocumentClient;
  private readonly tableName: string;

  constructor(opts: DynamoRepoOptions) {
    this.client = opts.client;
    this.tableName = opts.tableName;
  }

  /** PutItem attribute_not_exists: the first reason wins and a repeat writes nothing. */
  async suppress(e: {
    email: string;
    reason: SuppressionReason;
    detail?: string;
    source?: string;
    at: string;
  }): Promise<boolean> {
    try {
      await this.call(() =>
        this.client.send(
          new PutCommand({
            TableName: this.tableName,
            Item: {
              ...suppressionKeys.item(e.email),
              ...suppressionKeys.all(e.email),
              type: "suppression",
              email: e.email,
              reason: e.reason,
              detail: e.detail,
              source: e.source,
              createdAt: e.at,
            },
            ConditionExpression: "attribute_not_exists(pk)",
          }),
        ),
      );
      return true;
    } catch (err) {
      if (err instanceof ConflictError) return false;
      throw err;
    }
  }

  /**
   * Writes the log item first, then deletes the entry: a crash in between leaves a log of a lift
   * that has not happened yet (retrying finishes it), never a lift without its log.
   */
  async lift(email: string, by: string, at: string): Promise<void> {
    const entry = await this.get(email);
    if (!entry) throw new NotFoundError("suppression.not-found", `${email} is not suppressed`);
    await this.call(() =>
      this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...suppressionKeys.lift(email, at), type: "suppression-lift", ...entry, liftedBy: by, liftedAt: at },
        }),
      ),
    );
    await this.call(
      () =>
        this.client.send(
          new DeleteCommand({
            TableName: this.tableName,
            Key: suppressionKeys.item(email),
            ConditionExpression: "attribute_exists(pk)",
          }),
        ),
      () => new NotFoundError("suppression.not-found", `${email} is not suppressed`),
    );
  }

  async suppressed(emails: readonly string[]): Promise<Set<string>> {
    const items = await batchGetAll({
      client: this.client,
      tableName: this.tableName,
      keys: emails.map(suppressionKeys.item),
    });
    return new Set(items.map((i) => String(i.email)));
  }

  async list(query: PageQuery = {}): Promise<Page<SuppressionEntry>> {
    return queryPage({
      client: this.client,
      tableName: this.tableName,
      target: "gsi2",
      partition: ["gsi2pk", suppressionKeys.allPartition],
      input: {
        KeyConditionExpression: "gsi2pk = :p",
        ExpressionAttributeValues: { ":p": suppressionKeys.allPartition },
      },
      limit: query.limit,
      cursor: query.cursor,
      map: toEntry,
    });
  }

  async get(email: string): Promise<SuppressionEntry | null> {
    const res = await this.call(() =>
      this.client.send(
        new GetCommand({ TableName: this.tableName, Key: suppressionKeys.item(email), ConsistentRead: true }),
      ),
    );
    return res.Item ? toEntry(res.Item) : null;
  }

  async lifts(email: string): Promise<SuppressionLift[]> {
    const res = await this.call(() =>
      this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: "pk = :pk AND begins_with(sk, :prefix)",
          ExpressionAttributeValues: { ":pk": suppressionKeys.item(email).pk, ":prefix": suppressionKeys.liftPrefix },
          ConsistentRead: true,
        }),
      ),
    );
    return (res.Items ?? []).map((i) => ({
      ...toEntry(i),
      liftedBy: String(i.liftedBy),
      liftedAt: String(i.liftedAt),
    }));
  }

  /** One ADD: concurrent soft bounces of different sends each count. */
  async noteSoftBounce(email: string, at: string): Promise<number> {
    const res = await this.call(() =>
      this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: suppressionKeys.softBounces(email),
          UpdateExpression: "SET #type = :type, email = :email, lastAt = :at ADD #count :one",
          ExpressionAttributeNames: { "#type": "type", "#count": "count" },
          ExpressionAttributeValues: { ":type": "soft-bounces", ":email": email, ":at": at, ":one": 1 },
          ReturnValues: "ALL_NEW",
        }),
      ),
    );
    return Number(res.Attributes?.count ?? 1);
  }

  /** Unconditional delete: a delivery is the common case, and it costs the same as a conditional one. */
  async clearSoftBounces(email: string): Promise<void> {
    await this.call(() =>
      this.client.send(new DeleteCommand({ TableName: this.tableName, Key: suppressionKeys.softBounces(email) })),
    );
  }

  private call<T>(fn: () => Promise<T>, onConditionFailed?: () => BulletinError): Promise<T> {
    return callDynamo({ tableName: this.tableName, onConditionFailed }, fn);
  }
}

function toEntry(item: Record<string, unknown>): SuppressionEntry {
  const reason = item.reason as SuppressionReason;
  if (typeof item.email !== "string" || !SUPPRESSION_REASONS.includes(reason) || typeof item.createdAt !== "string") {
    throw new BulletinError("storage.corrupt", `stored suppression ${String(item.email)} is invalid`);
  }
  const entry: SuppressionEntry = { email: item.email, reason, createdAt: item.createdAt };
  if (typeof item.detail === "string") entry.detail = item.detail;
  if (typeof item.source === "string") entry.source = item.source;
  return entry;
}
