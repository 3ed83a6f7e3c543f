import { DescribeTableCommand, type DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { ListEmailTemplatesCommand, type SESv2Client } from "@aws-sdk/client-sesv2";
import { ListQueuesCommand, type SQSClient } from "@aws-sdk/client-sqs";

/**
 * /healthz's question: do the database (our table), SES and the queues all answer right now? Any
 * failure or a slow answer (2 s) counts as not ready.
 *
 * @example
 * const ready = readinessProbe({ dynamodb, ses, sqs, tableName: "bulletin" });
 * await ready(); // true
 */
export function readinessProbe(c: { dynamodb: DynamoDBClient; ses: SESv2Client; sqs: SQSClient; tableName: string }): () => Promise<boolean> {
  return async () => {
    const signal = AbortSignal.timeout(2000);
    try {
      const [table] = await Promise.all([
        c.dynamodb.send(new DescribeTableCommand({ TableName: c.tableName }), { abortSignal: signal }),
        c.ses.send(new ListEmailTemplatesCommand({ PageSize: 1 }), { abortSignal: signal }),
        c.sqs.send(new ListQueuesCommand({ MaxResults: 1 }), { abortSignal: signal }),
      ]);
      return table.Table?.TableStatus === "ACTIVE";
    } catch {
      return false;
    }
  };
}
