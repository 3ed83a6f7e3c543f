import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import {
  BulletinError,
  ConflictError,
  InvalidInputError,
  type Issue,
  IssueSchema,
  type Masthead,
  MastheadSchema,
  NotFoundError,
  IMPORT_FORMATS,
  type ImportFormat,
  type IssueRepo,
  type IssueSummary,
  type Page,
  type PageQuery,
  type StoredIssue,
} from "@bulletin/core";
import { callDynamo } from "./errors.ts";
import { issueKeys } from "./keys.ts";
import { queryPage } from "./pagination.ts";
import type { DynamoRepoOptions } from "./repo-options.ts";

/**
 * DynamoDB's item limit is 400 KB (names and values, UTF-8). We refuse well before it, with a
 * message a clerk can act on, instead of DynamoDB's ValidationException. A long monthly issue
 * (~40 000 Chinese characters) is about 120 KB of JSON.
 */
export const MAX_ISSUE_JSON_BYTES = 350_000;

/**
 * Issues in the single table: `ISSUE#<id>`/`ISSUE`, listed newest first through gsi1
 * (`ISSUES`, `<createdAt>#<id>`).
 *
 * The Issue is stored as a JSON string, not a DynamoDB map: the Issue JSON is a contract read by
 * other tools, and a string round-trips it byte for byte (nulls, empty arrays, empty strings,
 * absent optional fields) with no marshalling rules in between; nothing ever reads or updates a part
 * of it in place, which is all a map would buy; and it could later be gzipped into a Binary without
 * touching callers. The list reads only the summary attributes beside it.
 *
 * @example
 * const issues = new DynamoIssueRepo({ client, tableName: "bulletin" });
 * const { items, cursor } = await issues.list({ limit: 10 });
 */
export class DynamoIssueRepo implements IssueRepo {
  private readonly client: DynamoDBDocumentClient;
  private readonly tableName: string;

  constructor(opts: DynamoRepoOptions) {
    this.client = opts.client;
    this.tableName = opts.tableName;
  }

  async create(stored: StoredIssue): Promise<void> {
    const issueJson = JSON.stringify(stored.issue);
    const bytes = Buffer.byteLength(issueJson, "utf8");
    if (bytes > MAX_ISSUE_JSON_BYTES) {
      throw new InvalidInputError(
        "issue.too-large",
        `issue ${stored.id} is ${Math.round(bytes / 1024)} KB as JSON; at most ${MAX_ISSUE_JSON_BYTES / 1000} KB can be stored`,
      );
    }
    const item = {
      ...issueKeys.item(stored.id),
      ...issueKeys.list(stored.createdAt, stored.id),
      type: "issue",
      id: stored.id,
      label: stored.label,
      format: stored.format,
      createdAt: stored.createdAt,
      // Kept beside the JSON so that the list never has to read (or parse) the issue itself.
      articles: stored.issue.sections.reduce((n, s) => n + s.articles.length, 0),
      ...(stored.original ? { originalSize: stored.original.size } : {}),
      ...(stored.issue.masthead ? { mastheadJson: JSON.stringify(stored.issue.masthead) } : {}),
      issueJson,
    };
    await callDynamo(
      {
        tableName: this.tableName,
        onConditionFailed: () => new ConflictError("issue.exists", `issue ${stored.id} already exists`),
      },
      () =>
        this.client.send(
          new PutCommand({ TableName: this.tableName, Item: item, ConditionExpression: "attribute_not_exists(pk)" }),
        ),
    );
  }

  async get(id: string): Promise<StoredIssue | null> {
    const res = await callDynamo({ tableName: this.tableName }, () =>
      this.client.send(new GetCommand({ TableName: this.tableName, Key: issueKeys.item(id) })),
    );
    if (!res.Item) return null;
    const summary = toSummary(res.Item);
    let parsed: unknown;
    try {
      parsed = JSON.parse(String(res.Item.issueJson));
    } catch (err) {
      throw new BulletinError("storage.corrupt", `stored issue ${id} is not JSON`, { cause: err });
    }
    const issue = IssueSchema.safeParse(parsed);
    if (!issue.success) {
      throw new BulletinError("storage.corrupt", `stored issue ${id} is invalid: ${issue.error.message}`);
    }
    const { articles: _articles, masthead: _masthead, ...rest } = summary;
    return { ...rest, issue: issue.data };
  }

  async setReady(id: string, readyAt: string | null): Promise<IssueSummary> {
    return this.setTime(id, "readyAt", readyAt);
  }

  async setPublished(id: string, publishedAt: string | null): Promise<IssueSummary> {
    return this.setTime(id, "publishedAt", publishedAt);
  }

  /**
   * One UpdateItem, on the condition that the JSON is still the one the caller read: the masthead
   * lives inside the Issue JSON (the contract), with a copy beside it for the list.
   */
  async setMasthead(id: string, expected: Issue, masthead: Masthead | undefined, label: string): Promise<IssueSummary> {
    const issue: Issue =
      masthead === undefined
        ? { sections: expected.sections, distribution: expected.distribution }
        : { masthead, sections: expected.sections, distribution: expected.distribution };
    return this.replace(id, expected, issue, {
      UpdateExpression:
        masthead === undefined
          ? "SET issueJson = :new, #label = :label REMOVE mastheadJson"
          : "SET issueJson = :new, #label = :label, mastheadJson = :m",
      ExpressionAttributeNames: { "#label": "label" },
      ExpressionAttributeValues: {
        ":label": label,
        ...(masthead === undefined ? {} : { ":m": JSON.stringify(masthead) }),
      },
    });
  }

  async setSections(id: string, expected: Issue, sections: Issue["sections"]): Promise<IssueSummary> {
    return this.replace(
      id,
      expected,
      { ...expected, sections },
      {
        UpdateExpression: "SET issueJson = :new, articles = :n",
        ExpressionAttributeValues: { ":n": sections.reduce((n, s) => n + s.articles.length, 0) },
      },
    );
  }

  /** Writes `issue` over `expected`, if the stored JSON is still that, with the other attributes `update` sets. */
  private async replace(
    id: string,
    expected: Issue,
    issue: Issue,
    update: {
      UpdateExpression: string;
      ExpressionAttributeNames?: Record<string, string>;
      ExpressionAttributeValues: Record<string, unknown>;
    },
  ): Promise<IssueSummary> {
    // The condition compares the stored text, whose key order is the importer's: read it as it is.
    const current = await callDynamo({ tableName: this.tableName }, () =>
      this.client.send(
        new GetCommand({
          TableName: this.tableName,
          Key: issueKeys.item(id),
          ProjectionExpression: "issueJson",
          ConsistentRead: true,
        }),
      ),
    );
    if (!current.Item) throw new NotFoundError("issue.not-found", `no issue ${id}`);
    const raw = String(current.Item.issueJson);
    if (JSON.stringify(IssueSchema.parse(JSON.parse(raw))) !== JSON.stringify(IssueSchema.parse(expected)))
      throw new ConflictError("issue.changed", `issue ${id} changed meanwhile`);
    const json = JSON.stringify(issue);
    if (Buffer.byteLength(json) > MAX_ISSUE_JSON_BYTES)
      throw new InvalidInputError(
        "issue.too-large",
        `the issue's JSON would be ${Buffer.byteLength(json)} bytes, over ${MAX_ISSUE_JSON_BYTES}`,
      );
    const res = await callDynamo(
      {
        tableName: this.tableName,
        onConditionFailed: () => new ConflictError("issue.changed", `issue ${id} changed meanwhile, or is gone`),
      },
      () =>
        this.client.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: issueKeys.item(id),
            ConditionExpression: "issueJson = :old",
            ...update,
            ExpressionAttributeValues: { ":old": raw, ":new": json, ...update.ExpressionAttributeValues },
            ReturnValues: "ALL_NEW",
          }),
        ),
    );
    return toSummary(res.Attributes ?? {});
  }

  private async setTime(id: string, field: "readyAt" | "publishedAt", at: string | null): Promise<IssueSummary> {
    const update =
      at === null
        ? { UpdateExpression: `REMOVE ${field}` }
        : { UpdateExpression: `SET ${field} = :r`, ExpressionAttributeValues: { ":r": at } };
    const res = await callDynamo(
      { tableName: this.tableName, onConditionFailed: () => new NotFoundError("issue.not-found", `no issue ${id}`) },
      () =>
        this.client.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: issueKeys.item(id),
            ConditionExpression: "attribute_exists(pk)",
            ReturnValues: "ALL_NEW",
            ...update,
          }),
        ),
    );
    return toSummary(res.Attributes ?? {});
  }

  async list(query: PageQuery = {}): Promise<Page<IssueSummary>> {
    return queryPage({
      client: this.client,
      tableName: this.tableName,
      target: "gsi1",
      partition: ["gsi1pk", issueKeys.listPartition],
      input: {
        KeyConditionExpression: "gsi1pk = :p",
        ExpressionAttributeValues: { ":p": issueKeys.listPartition },
        // Newest first: gsi1sk starts with the ISO creation time.
        ScanIndexForward: false,
        // The summary and the keys (for the cursor); the JSON body stays behind. Note that the
        // read is still billed (and counted against the 1 MB page) for the whole item.
        ProjectionExpression:
          "pk, sk, gsi1pk, gsi1sk, #id, #label, #format, createdAt, articles, readyAt, publishedAt, originalSize, mastheadJson",
        ExpressionAttributeNames: { "#id": "id", "#label": "label", "#format": "format" },
      },
      limit: query.limit,
      cursor: query.cursor,
      map: toSummary,
    });
  }
}

function toSummary(item: Record<string, unknown>): IssueSummary {
  const { id, label, format, createdAt, articles, readyAt, publishedAt, originalSize, mastheadJson } = item;
  if (
    typeof id !== "string" ||
    typeof label !== "string" ||
    typeof createdAt !== "string" ||
    typeof articles !== "number" ||
    !IMPORT_FORMATS.includes(format as ImportFormat)
  ) {
    throw new BulletinError("storage.corrupt", `stored issue ${String(id)} lacks its summary attributes`);
  }
  const masthead = typeof mastheadJson === "string" ? MastheadSchema.safeParse(JSON.parse(mastheadJson)) : undefined;
  return {
    id,
    label,
    format: format as ImportFormat,
    createdAt,
    articles,
    ...(typeof readyAt === "string" ? { readyAt } : {}),
    ...(typeof publishedAt === "string" ? { publishedAt } : {}),
    ...(typeof originalSize === "number" ? { original: { size: originalSize } } : {}),
    ...(masthead?.success ? { masthead: masthead.data } : {}),
  };
}
