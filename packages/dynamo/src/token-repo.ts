import { GetCommand, PutCommand, QueryCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import {
  BulletinError,
  ConflictError,
  InvalidInputError,
  ROLES,
  type Role,
  type StoredToken,
  type TokenRepo,
} from "@bulletin/core";
import { callDynamo } from "./errors.ts";
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
}

function toToken(item: Record<string, unknown>): StoredToken {
  const { hash, role, label, createdAt } = item;
  if (
    typeof hash !== "string" ||
    typeof label !== "string" ||
    typeof createdAt !== "string" ||
    !ROLES.includes(role as Role)
  ) {
    throw new BulletinError("storage.corrupt", "a stored token is invalid");
  }
  return { hash, role: role as Role, label, createdAt };
}
