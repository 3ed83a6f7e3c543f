// The single table of docs/data-model.md. Its keys and indexes must equal tableDefinition() in
// packages/dynamo/src/table.ts, which the repositories query and the local stack creates;
// tests/infra/table.test.ts compares the two.
import { isProduction } from "./config";

const GLOBAL_INDEXES = ["gsi1", "gsi2"] as const;

export const table = new sst.aws.Dynamo("Table", {
  fields: { pk: "string", sk: "string", gsi1pk: "string", gsi1sk: "string", gsi2pk: "string", gsi2sk: "string" },
  primaryIndex: { hashKey: "pk", rangeKey: "sk" },
  globalIndexes: Object.fromEntries(
    GLOBAL_INDEXES.map((index) => [
      index,
      { hashKey: `${index}pk`, rangeKey: `${index}sk`, projection: "all" as const },
    ]),
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
 * deletes the table or changes its settings, so none of that is granted. tests/infra/permissions.test.ts
 * checks that every DynamoDB command in the deployed packages maps to an action listed here.
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

/**
 * Files kept with issues: each bulletin's original PDF, and uploads on their way in (a Lambda takes
 * at most 6 MB, so the dashboard PUTs a large PDF here itself, by a presigned URL the api signs for
 * its exact size). Private: the api serves an original by a short-lived presigned URL.
 */
export const files = new sst.aws.Bucket("Files", {
  // The dashboard's page PUTs to presigned URLs only, which carry their own signature.
  cors: { allowOrigins: ["*"], allowMethods: ["PUT"], allowHeaders: ["content-type"], maxAge: "1 hour" },
});

/** An upload never imported is removed after a day; the originals stay with their issues. */
new aws.s3.BucketLifecycleConfigurationV2("FilesUploadsExpire", {
  bucket: files.name,
  rules: [{ id: "uploads", status: "Enabled", filter: { prefix: "uploads/" }, expiration: { days: 1 } }],
});

/** What the api may do with the files: keep, read (HeadObject is authorised as GetObject) and delete. */
export const FILE_ACTIONS = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"];

sst.Linkable.wrap(sst.aws.Bucket, (b) => ({
  properties: { name: b.name },
  // The objects under the two prefixes the code writes; S3 names objects by key, so a key pattern.
  include: [
    sst.aws.permission({
      actions: FILE_ACTIONS,
      resources: [$interpolate`${b.arn}/issues/*`, $interpolate`${b.arn}/uploads/*`],
    }),
  ],
}));
