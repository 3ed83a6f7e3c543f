import {
  DeleteCommand,
  GetCommand,
  PutCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
  type QueryCommandInput,
} from "@aws-sdk/lib-dynamodb";
import {
  BulletinError,
  ConflictError,
  InvalidInputError,
  NotFoundError,
  RecipientSchema,
  type Page,
  type Recipient,
  type RecipientPatch,
  type RecipientQuery,
  type RecipientRepo,
} from "@bulletin/core";
import { batchGetAll } from "./batch-get.ts";
import { callDynamo } from "./errors.ts";
import { recipientKeys } from "./keys.ts";
import { queryPage } from "./pagination.ts";
import type { DynamoRepoOptions } from "./repo-options.ts";

// The fields a PATCH may touch; anything else in a patch object (pk, email…) is ignored, so a
// caller cannot move an item out from under its keys.
const PATCHABLE = ["name", "organization", "tier", "role", "status"] as const;
const PatchSchema = RecipientSchema.pick({
  name: true,
  organization: true,
  tier: true,
  role: true,
  status: true,
}).partial();

/**
 * The search is "substring, case-insensitive for ASCII", but DynamoDB's contains() is
 * case-sensitive: so each item carries lower-cased copies of the searched fields. Only A–Z are
 * folded, as the port promises; Chinese has no case.
 */
function fold(s: string): string {
  return s.replace(/[A-Z]/g, (c) => c.toLowerCase());
}

/**
 * Recipients in the single table (docs/data-model.md): `EMAIL#<email>`/`RECIPIENT`, gsi1 by tier
 * and status (the audience of a send), gsi2 by address (the admin list and search).
 *
 * @example
 * const repo = new DynamoRecipientRepo({ client: createDocumentClient(config), tableName: "bulletin" });
 * const page = await repo.list({ tier: "report", status: "active", limit: 20 });
 */
export class DynamoRecipientRepo implements RecipientRepo {
  private readonly client: DynamoDBDocumentClient;
  private readonly tableName: string;

  constructor(opts: DynamoRepoOptions) {
    this.client = opts.client;
    this.tableName = opts.tableName;
  }

  async get(email: string): Promise<Recipient | null> {
    const res = await callDynamo({ tableName: this.tableName }, () =>
      this.client.send(new GetCommand({ TableName: this.tableName, Key: recipientKeys.item(email) })),
    );
    return res.Item ? toRecipient(res.Item) : null;
  }

  async getMany(emails: readonly string[]): Promise<Map<string, Recipient>> {
    const items = await batchGetAll({
      client: this.client,
      tableName: this.tableName,
      keys: emails.map((e) => recipientKeys.item(e)),
    });
    return new Map(items.map((item) => [String(item.email), toRecipient(item)]));
  }

  async create(recipient: Recipient): Promise<void> {
    const parsed = RecipientSchema.safeParse(recipient);
    if (!parsed.success) {
      throw new InvalidInputError("recipient.invalid", `invalid recipient ${recipient.email}: ${parsed.error.message}`);
    }
    const r = parsed.data;
    const item = {
      ...recipientKeys.item(r.email),
      ...recipientKeys.byTier(r.tier, r.status, r.email),
      ...recipientKeys.all(r.email),
      type: "recipient",
      ...r,
      searchEmail: fold(r.email),
      searchName: fold(r.name),
      searchOrg: fold(r.organization),
    };
    await callDynamo(
      {
        tableName: this.tableName,
        onConditionFailed: () => new ConflictError("recipient.exists", `recipient ${r.email} already exists`),
      },
      () =>
        this.client.send(
          new PutCommand({ TableName: this.tableName, Item: item, ConditionExpression: "attribute_not_exists(pk)" }),
        ),
    );
  }

  async update(email: string, input: RecipientPatch, updatedAt: string): Promise<Recipient> {
    // Checked before writing: a bad tier would otherwise be stored and break every later read.
    const checked = PatchSchema.safeParse(
      Object.fromEntries(PATCHABLE.filter((f) => input[f] !== undefined).map((f) => [f, input[f]])),
    );
    if (!checked.success) {
      throw new InvalidInputError("recipient.invalid", `invalid change to ${email}: ${checked.error.message}`);
    }
    const patch = checked.data;
    const names: Record<string, string> = { "#updatedAt": "updatedAt" };
    const values: Record<string, unknown> = { ":updatedAt": updatedAt };
    const sets = ["#updatedAt = :updatedAt"];
    const set = (attr: string, value: unknown) => {
      names[`#${attr}`] = attr;
      values[`:${attr}`] = value;
      sets.push(`#${attr} = :${attr}`);
    };
    for (const [field, value] of Object.entries(patch)) set(field, value);
    // The index keys are derived from tier and status, and are rewritten in the same UpdateItem so
    // that the gsi1 listing (the audience of a send) can never disagree with the item.
    if (patch.tier !== undefined) set("gsi1pk", recipientKeys.tierPartition(patch.tier));
    if (patch.status !== undefined) set("gsi1sk", `${recipientKeys.statusPrefix(patch.status)}${email}`);
    if (patch.name !== undefined) set("searchName", fold(patch.name));
    if (patch.organization !== undefined) set("searchOrg", fold(patch.organization));
    const res = await callDynamo(
      {
        tableName: this.tableName,
        onConditionFailed: () => new NotFoundError("recipient.not-found", `no recipient ${email}`),
      },
      () =>
        this.client.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: recipientKeys.item(email),
            UpdateExpression: `SET ${sets.join(", ")}`,
            ConditionExpression: "attribute_exists(pk)",
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: values,
            ReturnValues: "ALL_NEW",
          }),
        ),
    );
    return toRecipient(res.Attributes ?? {});
  }

  async delete(email: string): Promise<void> {
    await callDynamo(
      {
        tableName: this.tableName,
        onConditionFailed: () => new NotFoundError("recipient.not-found", `no recipient ${email}`),
      },
      () =>
        this.client.send(
          new DeleteCommand({
            TableName: this.tableName,
            Key: recipientKeys.item(email),
            ConditionExpression: "attribute_exists(pk)",
          }),
        ),
    );
  }

  /**
   * With a tier: a Query on gsi1 (status narrows the sort key by prefix). Without: a Query on gsi2,
   * status then being a filter. `q` is always a filter. Never a Scan. Order: by address without a
   * tier; with a tier, by status then address (the gsi1 sort key).
   */
  async list(query: RecipientQuery = {}): Promise<Page<Recipient>> {
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = {};
    const filters: string[] = [];
    let key: string;
    let partition: readonly [string, string];
    let target: "gsi1" | "gsi2";
    if (query.tier !== undefined) {
      target = "gsi1";
      partition = ["gsi1pk", recipientKeys.tierPartition(query.tier)];
      key = "gsi1pk = :p";
      if (query.status !== undefined) {
        key += " AND begins_with(gsi1sk, :status)";
        values[":status"] = recipientKeys.statusPrefix(query.status);
      }
    } else {
      target = "gsi2";
      partition = ["gsi2pk", recipientKeys.allPartition];
      key = "gsi2pk = :p";
      if (query.status !== undefined) {
        filters.push("#status = :status");
        names["#status"] = "status";
        values[":status"] = query.status;
      }
    }
    values[":p"] = partition[1];
    const q = query.q?.trim();
    if (q) {
      filters.push("(contains(searchEmail, :q) OR contains(searchName, :q) OR contains(searchOrg, :q))");
      values[":q"] = fold(q);
    }
    const input: Omit<QueryCommandInput, "TableName" | "IndexName" | "Limit" | "ExclusiveStartKey"> = {
      KeyConditionExpression: key,
      ExpressionAttributeValues: values,
    };
    if (filters.length > 0) input.FilterExpression = filters.join(" AND ");
    if (Object.keys(names).length > 0) input.ExpressionAttributeNames = names;
    return queryPage({
      client: this.client,
      tableName: this.tableName,
      target,
      partition,
      input,
      limit: query.limit,
      cursor: query.cursor,
      map: toRecipient,
    });
  }
}

/** The Recipient out of a stored item, checked, so a corrupt item fails here and not in a template. */
function toRecipient(item: Record<string, unknown>): Recipient {
  const { email, name, organization, tier, role, status, createdAt, updatedAt } = item;
  const parsed = RecipientSchema.safeParse({ email, name, organization, tier, role, status, createdAt, updatedAt });
  if (!parsed.success) {
    throw new BulletinError("storage.corrupt", `stored recipient ${String(email)} is invalid: ${parsed.error.message}`);
  }
  return parsed.data;
}
