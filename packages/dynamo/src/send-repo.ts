import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import {
  ConflictError,
  InvalidInputError,
  NotFoundError,
  SEND_STATUSES,
  type Page,
  type PageQuery,
  type Send,
  type SendRepo,
  type SendStatus,
} from "@bulletin/core";
import { callDynamo } from "./errors.ts";
import { sendKeys } from "./keys.ts";
import { queryPage } from "./pagination.ts";
import { queryAll } from "./query-all.ts";
import type { DynamoRepoOptions } from "./repo-options.ts";
import { toSend } from "./send-item.ts";

const PATCHABLE = ["pauseReason", "startedAt", "finishedAt", "total"] as const;
type SendPatch = Partial<Pick<Send, (typeof PATCHABLE)[number]>>;

/**
 * Sends in the single table (docs/data-model.md): `SEND#<id>`/`SEND`, gsi1 `SENDS#<issueId>` for the
 * sends of an issue, and the sparse gsi2 `SCHEDULED` holding only the sends still waiting.
 *
 * @example
 * const sends = new DynamoSendRepo({ client, tableName: "bulletin" });
 * for (const due of await sends.listDue(clock.now())) await sends.transition(due.id, ["scheduled"], "dispatching");
 */
export class DynamoSendRepo implements SendRepo {
  private readonly client: DynamoDBDocumentClient;
  private readonly tableName: string;

  constructor(opts: DynamoRepoOptions) {
    this.client = opts.client;
    this.tableName = opts.tableName;
  }

  async create(send: Send): Promise<void> {
    if (!SEND_STATUSES.includes(send.status)) {
      throw new InvalidInputError("send.invalid", `unknown send status ${String(send.status)}`);
    }
    const item = {
      ...sendKeys.item(send.id),
      ...sendKeys.byIssue(send.issueId, send.createdAt, send.id),
      // Without scheduledAt a send is meant for "now", so it is due from its creation on.
      gsi2sk: sendKeys.dueSortKey(send.scheduledAt ?? send.createdAt, send.id),
      ...(send.status === "scheduled" ? { gsi2pk: sendKeys.scheduledPartition } : {}),
      type: "send",
      ...send,
    };
    await callDynamo(
      {
        tableName: this.tableName,
        onConditionFailed: () => new ConflictError("send.exists", `send ${send.id} already exists`),
      },
      () =>
        this.client.send(
          new PutCommand({ TableName: this.tableName, Item: item, ConditionExpression: "attribute_not_exists(pk)" }),
        ),
    );
  }

  async get(id: string): Promise<Send | null> {
    const res = await callDynamo({ tableName: this.tableName }, () =>
      this.client.send(new GetCommand({ TableName: this.tableName, Key: sendKeys.item(id), ConsistentRead: true })),
    );
    return res.Item ? toSend(res.Item) : null;
  }

  /**
   * One conditional UpdateItem: `status IN from`. Entering "scheduled" puts the send in the due
   * index and leaving it takes it out, in the same write, so listDue never offers a send that has
   * already started. `pauseReason` only explains a pause: it is removed when the send goes anywhere
   * but "paused", unless the patch gives one.
   */
  async transition(id: string, from: readonly SendStatus[], to: SendStatus, patch: SendPatch = {}): Promise<Send> {
    if (from.length === 0 || ![...from, to].every((s) => SEND_STATUSES.includes(s))) {
      throw new InvalidInputError("send.invalid", `invalid send transition ${from.join("|")} → ${to}`);
    }
    const names: Record<string, string> = { "#status": "status" };
    const values: Record<string, unknown> = { ":to": to };
    const sets = ["#status = :to"];
    const removes: string[] = [];
    for (const field of PATCHABLE) {
      if (patch[field] === undefined) continue;
      names[`#${field}`] = field;
      values[`:${field}`] = patch[field];
      sets.push(`#${field} = :${field}`);
    }
    if (to === "scheduled") {
      sets.push("gsi2pk = :scheduled");
      values[":scheduled"] = sendKeys.scheduledPartition;
    } else {
      removes.push("gsi2pk");
    }
    if (to !== "paused" && patch.pauseReason === undefined) {
      names["#pauseReason"] = "pauseReason";
      removes.push("#pauseReason");
    }
    const fromNames = from.map((_, i) => `:from${i}`);
    for (const [i, s] of from.entries()) values[`:from${i}`] = s;
    try {
      const res = await callDynamo({ tableName: this.tableName }, () =>
        this.client.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: sendKeys.item(id),
            UpdateExpression: `SET ${sets.join(", ")}${removes.length ? ` REMOVE ${removes.join(", ")}` : ""}`,
            ConditionExpression: `attribute_exists(pk) AND #status IN (${fromNames.join(", ")})`,
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: values,
            ReturnValues: "ALL_NEW",
          }),
        ),
      );
      return toSend(res.Attributes ?? {});
    } catch (err) {
      if (!(err instanceof ConflictError)) throw err;
      // The condition does not say which half failed; one read tells "missing" from "moved on".
      const current = await this.get(id);
      if (!current) throw new NotFoundError("send.not-found", `no send ${id}`);
      throw new ConflictError(
        "send.conflict",
        `send ${id} is ${current.status}, not ${from.join(" or ")}; it cannot become ${to}`,
        { cause: err },
      );
    }
  }

  async listByIssue(issueId: string, query: PageQuery = {}): Promise<Page<Send>> {
    const partition = sendKeys.issuePartition(issueId);
    return queryPage({
      client: this.client,
      tableName: this.tableName,
      target: "gsi1",
      partition: ["gsi1pk", partition],
      input: {
        KeyConditionExpression: "gsi1pk = :p",
        ExpressionAttributeValues: { ":p": partition },
        ScanIndexForward: false,
      },
      limit: query.limit,
      cursor: query.cursor,
      map: toSend,
    });
  }

  /** ADD to a string set: a second pushback of the same group changes nothing. A missing send is left missing. */
  async noteReceiverPushback(id: string, group: string): Promise<void> {
    await callDynamo(
      { tableName: this.tableName, onConditionFailed: () => new NotFoundError("send.not-found", `no send ${id}`) },
      () =>
        this.client.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: sendKeys.item(id),
            UpdateExpression: "ADD throttledGroups :g",
            ConditionExpression: "attribute_exists(pk)",
            ExpressionAttributeValues: { ":g": new Set([group]) },
          }),
        ),
    ).catch((err: unknown) => {
      if (!(err instanceof NotFoundError)) throw err;
    });
  }

  /**
   * The sparse SCHEDULED partition up to `now`, oldest first. The bound `<now>$` sorts right after
   * every `<now>#<id>` ('$' follows '#'), and before any later fixed-width ISO timestamp. The index
   * lags the table by a moment, so a send just started may still show: the caller's transition
   * from "scheduled" is what decides, not this list.
   */
  async listDue(now: string): Promise<Send[]> {
    const items = await queryAll(this.client, this.tableName, {
      IndexName: "gsi2",
      KeyConditionExpression: "gsi2pk = :p AND gsi2sk < :bound",
      ExpressionAttributeValues: { ":p": sendKeys.scheduledPartition, ":bound": `${now}$` },
    });
    return items.map(toSend);
  }
}
