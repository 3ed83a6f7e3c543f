import { GetCommand, PutCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { AssociationSettingsSchema, BulletinError, type SettingsRepo, type StoredSettings } from "@bulletin/core";
import { callDynamo } from "./errors.ts";
import { settingsKeys } from "./keys.ts";
import type { DynamoRepoOptions } from "./repo-options.ts";

/**
 * The association's settings: one item (`SETTINGS`/`SETTINGS`) holding them as a JSON string, like
 * an issue's JSON, so that what was saved is what is read, and validated again on the way out.
 *
 * @example
 * await new DynamoSettingsRepo({ client, tableName }).put({ settings, updatedAt, updatedBy: "王丽" });
 */
export class DynamoSettingsRepo implements SettingsRepo {
  private readonly client: DynamoDBDocumentClient;
  private readonly tableName: string;

  constructor(opts: DynamoRepoOptions) {
    this.client = opts.client;
    this.tableName = opts.tableName;
  }

  async get(): Promise<StoredSettings | null> {
    const res = await callDynamo({ tableName: this.tableName }, () =>
      this.client.send(new GetCommand({ TableName: this.tableName, Key: settingsKeys.item(), ConsistentRead: true })),
    );
    if (!res.Item) return null;
    const { settingsJson, updatedAt, updatedBy } = res.Item;
    let parsed: unknown;
    try {
      parsed = JSON.parse(String(settingsJson));
    } catch (cause) {
      throw new BulletinError("storage.corrupt", "the stored settings are not JSON", { cause });
    }
    const settings = AssociationSettingsSchema.safeParse(parsed);
    if (!settings.success || typeof updatedAt !== "string" || typeof updatedBy !== "string")
      throw new BulletinError("storage.corrupt", "the stored settings are invalid");
    return { settings: settings.data, updatedAt, updatedBy };
  }

  async put(stored: StoredSettings): Promise<void> {
    await callDynamo({ tableName: this.tableName }, () =>
      this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...settingsKeys.item(),
            type: "settings",
            settingsJson: JSON.stringify(stored.settings),
            updatedAt: stored.updatedAt,
            updatedBy: stored.updatedBy,
          },
        }),
      ),
    );
  }
}
