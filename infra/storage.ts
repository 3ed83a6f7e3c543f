// The single table of docs/data-model.md. Its keys and indexes must equal tableDefinition() in
// packages/dynamo/src/table.ts, which the repositories query and the local stack creates;
// tests/infra/graph.test.ts compares the two.
import { isProduction } from "./config";

const GLOBAL_INDEXES = ["gsi1", "gsi2"] as const;

export const table = new sst.aws.Dynamo("Table", {
  fields: { pk: "string", sk: "string", gsi1pk: "string", gsi1sk: "string", gsi2pk: "string", gsi2sk: "string" },
  primaryIndex: { hashKey: "pk", rangeKey: "sk" },
  globalIndexes: Object.fromEntries(
    GLOBAL_INDEXES.map((index) => [index, { hashKey: `${index}pk`, rangeKey: `${index}sk`, projection: "all" as const }]),
  ),
  // The recipients list and the delivery history are the association's records: production's
  // table refuses deletion (also by hand in the console), and can be restored to any second of
  // the last 35 days. SST enables point-in-time recovery already; stating it keeps it on if that
  // default ever changes.
  deletionProtection: isProduction,
  transform: { table: { pointInTimeRecovery: { enabled: true } } },
});

/**
 * What a function linked to the table may do: the item reads and writes the repositories make, and
 * DescribeTable for /healthz. SST's own link grants dynamodb:* on the table; nothing here scans,
 * deletes the table or changes its settings, so none of that is granted. The graph test checks that
 * every DynamoDB command in the deployed packages maps to an action listed here.
 */
export const TABLE_ACTIONS = [
  "dynamodb:GetItem",
  "dynamodb:BatchGetItem",
  "dynamodb:Query",
  "dynamodb:PutItem",
  "dynamodb:UpdateItem",
  "dynamodb:DeleteItem",
  "dynamodb:DescribeTable",
];

sst.Linkable.wrap(sst.aws.Dynamo, (t) => ({
  properties: { name: t.name },
  include: [
    sst.aws.permission({
      actions: TABLE_ACTIONS,
      // Queries on an index are authorised on the index's own ARN; naming each keeps the grant to
      // this table's indexes.
      resources: [t.arn, ...GLOBAL_INDEXES.map((index) => $interpolate`${t.arn}/index/${index}`)],
    }),
  ],
}));
