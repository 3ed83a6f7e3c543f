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
  InvalidInputError,
  NotFoundError,
  ROLES,
  type Role,
  type StoredToken,
  type TokenRepo,
} from "@bulletin/core";
import { callDynamo } from "./errors.ts";
import { queryAll } from "./query-all.ts";
import { tokenKeys } from "./keys.ts";
import type { DynamoRepoOptions } from "./repo-options.ts";

/**
 * API tokens by the SHA-256 of their secret: `TOKEN#<hash>`/`TOKEN`, and on gsi1 (`TOKENS`,
 * `<role>#<createdAt>#<hash>`) grouped by role.
 *
 * @example
 * const tokens = new DynamoTokenRepo({ client, tableName: "bulletin" });
 * if (!(await tokens.hasAdmin())) await tokens.create({ hash, role: "admin", label: "first start", createdAt });
 */
export class DynamoTokenRepo implements TokenRepo {
  private readonly client: DynamoDBDocumentClient;
  private readonly tableName: string;

  constructor(opts: DynamoRepoOptions) {
    this.client = opts.client;
    this.tableName = opts.tableName;
  }

  async create(token: StoredToken): Promise<void> {
    if (!ROLES.includes(token.role)) {
      throw new InvalidInputError("token.invalid", `unknown role ${String(token.role)}`);
    }
    const item = {
      ...tokenKeys.item(token.hash),
      ...tokenKeys.byRole(token.role, token.createdAt, token.hash),
      type: "token",
      hash: token.hash,
      role: token.role,
      label: token.label,
      createdAt: token.createdAt,
      ...(token.expiresAt ? { expiresAt: token.expiresAt } : {}),
    };
    await callDynamo(
      {
        tableName: this.tableName,
        onConditionFailed: () => new ConflictError("token.exists", "a token with this hash already exists"),
      },
      () =>
        this.client.send(
          new PutCommand({ TableName: this.tableName, Item: item, ConditionExpression: "attribute_not_exists(pk)" }),
        ),
    );
  }

  async findByHash(hash: string): Promise<StoredToken | null> {
    const res = await callDynamo({ tableName: this.tableName }, () =>
      this.client.send(
        // Strongly consistent: every authenticated request goes through here, and a token that was
        // just revoked must stop working at once, not after replication.
        new GetCommand({ TableName: this.tableName, Key: tokenKeys.item(hash), ConsistentRead: true }),
      ),
    );
    return res.Item ? toToken(res.Item) : null;
  }

  /**
   * One Query with Limit 1 on gsi1. A GSI is eventually consistent, so an admin token created a
   * moment ago may not be seen yet; first start runs once, in one process, so that is acceptable.
   */
  async hasAdmin(): Promise<boolean> {
    const res = await callDynamo({ tableName: this.tableName }, () =>
      this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: "gsi1",
          KeyConditionExpression: "gsi1pk = :p AND begins_with(gsi1sk, :role)",
          ExpressionAttributeValues: { ":p": tokenKeys.rolePartition, ":role": tokenKeys.rolePrefix("admin") },
          ProjectionExpression: "pk",
          Limit: 1,
        }),
      ),
    );
    return (res.Items?.length ?? 0) > 0;
  }

  /** Every token: the TOKENS partition of gsi1, a handful of items, by role then creation time. */
  async list(): Promise<StoredToken[]> {
    const items = await queryAll(this.client, this.tableName, {
      IndexName: "gsi1",
      KeyConditionExpression: "gsi1pk = :p",
      ExpressionAttributeValues: { ":p": tokenKeys.rolePartition },
    });
    return items.map(toToken);
  }

  async revoke(hash: string): Promise<void> {
    await callDynamo(
      { tableName: this.tableName, onConditionFailed: () => new NotFoundError("token.not-found", "no such token") },
      () =>
        this.client.send(
          new DeleteCommand({
            TableName: this.tableName,
            Key: tokenKeys.item(hash),
            ConditionExpression: "attribute_exists(pk)",
          }),
        ),
    );
  }

  /** Conditional on the item existing, so a touch racing a revoke cannot bring a token back as a bare item. */
  async touch(hash: string, at: string): Promise<void> {
    const gone = new NotFoundError("token.not-found", "no such token");
    try {
      await callDynamo({ tableName: this.tableName, onConditionFailed: () => gone }, () =>
        this.client.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: tokenKeys.item(hash),
            UpdateExpression: "SET lastUsedAt = :at",
            ConditionExpression: "attribute_exists(pk)",
            ExpressionAttributeValues: { ":at": at },
          }),
        ),
      );
    } catch (e) {
      if (e !== gone) throw e;
    }
  }
}

function toToken(item: Record<string, unknown>): StoredToken {
  const { hash, role, label, createdAt, expiresAt, lastUsedAt } = item;
  if (
    typeof hash !== "string" ||
    typeof label !== "string" ||
    typeof createdAt !== "string" ||
    !ROLES.includes(role as Role)
  ) {
    throw new BulletinError("storage.corrupt", "a stored token is invalid");
  }
  return {
    hash,
    role: role as Role,
    label,
    createdAt,
    ...(typeof expiresAt === "string" ? { expiresAt } : {}),
    ...(typeof lastUsedAt === "string" ? { lastUsedAt } : {}),
  };
}
