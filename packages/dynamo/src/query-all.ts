import { QueryCommand, type DynamoDBDocumentClient, type QueryCommandInput } from "@aws-sdk/lib-dynamodb";
import { callDynamo } from "./errors.ts";

/**
 * Every item of a Query, following LastEvaluatedKey: for background work over one partition (due
 * sends, failed or stale deliveries), never for a request-sized listing.
 *
 * @example
 * const due = await queryAll(client, tableName, { IndexName: "gsi2", KeyConditionExpression: "gsi2pk = :p",
 *   ExpressionAttributeValues: { ":p": "SCHEDULED" } });
 */
export async function queryAll(
  client: DynamoDBDocumentClient,
  tableName: string,
  input: Omit<QueryCommandInput, "TableName" | "ExclusiveStartKey">,
): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const res = await callDynamo({ tableName }, () =>
      client.send(new QueryCommand({ ...input, TableName: tableName, ExclusiveStartKey: startKey })),
    );
    out.push(...(res.Items ?? []));
    startKey = res.LastEvaluatedKey;
  } while (startKey);
  return out;
}
