import { ScanCommand } from "@aws-sdk/lib-dynamodb";
import { createDocumentClient } from "@bulletin/dynamo";
import { awsClientConfig } from "@bulletin/emulators";
import type { LocalService } from "@bulletin/local";

/**
 * Every item of the service's table, sorted by key: the strongest "nothing was stored" check a test
 * can make (the service itself never scans). Compare two snapshots with toEqual. A token's
 * lastUsedAt is left out: every authenticated request may record it, refused or not.
 *
 * @example
 * const before = await tableSnapshot(service);
 * await postSomethingBad();
 * expect(await tableSnapshot(service)).toEqual(before);
 */
export async function tableSnapshot(service: LocalService, tableName = "bulletin"): Promise<Record<string, unknown>[]> {
  const client = createDocumentClient(awsClientConfig(service.stack, "dynamodb"));
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await client.send(new ScanCommand({ TableName: tableName, ExclusiveStartKey: start }));
    items.push(...(page.Items ?? []).map(({ lastUsedAt: _used, ...item }) => item));
    start = page.LastEvaluatedKey;
  } while (start);
  const key = (i: Record<string, unknown>) => `${String(i.pk)}\u0000${String(i.sk)}`;
  return items.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}
