import { join } from "node:path";
import { build } from "esbuild";

/**
 * The IAM actions of the AWS SDK commands the handlers can reach: each handler bundled as SST
 * bundles it (esbuild, tree-shaken), the SDK left external so its imports name each command's client.
 * Emulator set-up code (ensureTable, ensureQueue, the local poller) is shaken out.
 *
 * @example
 * await awsCallsOfHandlers(root, "packages/functions/src/handlers", ["sender"]); // ["dynamodb:GetItem", …, "ses:SendEmail"]
 */
export async function awsCallsOfHandlers(root: string, handlersDir: string, names: string[]): Promise<string[]> {
  const out = await build({
    entryPoints: names.map((n) => join(root, handlersDir, `${n}.ts`)),
    outdir: join(root, "out-never-written"),
    bundle: true,
    write: false,
    platform: "node",
    format: "esm",
    external: ["@aws-sdk/*", "@smithy/*"],
    logLevel: "silent",
  });
  const actions = new Set<string>();
  for (const file of out.outputFiles) {
    const client = new Map<string, string>();
    for (const m of file.text.matchAll(/import\s*\{([^}]*)\}\s*from\s*"(@aws-sdk\/[\w-]+)"/g)) {
      for (const spec of (m[1] ?? "").split(",")) {
        const [imported, local] = spec.trim().split(/\s+as\s+/);
        if (imported) client.set((local ?? imported).trim(), `${m[2]}:${imported.trim()}`);
      }
    }
    for (const m of file.text.matchAll(/new (\w+Command\d*)\(/g)) {
      const origin = client.get(m[1] ?? "");
      if (origin) for (const action of iamActions(origin)) actions.add(action);
    }
  }
  return [...actions].sort();
}

/**
 * "@aws-sdk/lib-dynamodb:GetCommand" → ["dynamodb:GetItem"]. A transaction is authorised as the
 * item actions inside it (AWS has no TransactWriteItems action): ours put and update.
 */
function iamActions(origin: string): string[] {
  const [pkg, name] = origin.split(":") as [string, string];
  if (/TransactWrite/.test(name)) return ["dynamodb:PutItem", "dynamodb:UpdateItem"];
  return [iamAction(pkg, name.replace(/Command$/, ""))];
}

function iamAction(pkg: string, op: string): string {
  switch (pkg) {
    case "@aws-sdk/lib-dynamodb":
    case "@aws-sdk/client-dynamodb": {
      const documentOps: Record<string, string> = {
        Get: "GetItem",
        Put: "PutItem",
        Update: "UpdateItem",
        Delete: "DeleteItem",
        BatchGet: "BatchGetItem",
        BatchWrite: "BatchWriteItem",
      };
      return `dynamodb:${documentOps[op] ?? op}`;
    }
    case "@aws-sdk/client-sqs":
      // SQS authorises its batch calls as the single-message action.
      return `sqs:${op.replace(/Batch$/, "")}`;
    case "@aws-sdk/client-sesv2":
      return `ses:${op}`;
    case "@aws-sdk/client-lambda":
      return op === "Invoke" ? "lambda:InvokeFunction" : `lambda:${op}`;
    case "@aws-sdk/client-sns":
      return `sns:${op}`;
    case "@aws-sdk/client-s3":
      // HeadObject is authorised as GetObject.
      return `s3:${op === "HeadObject" ? "GetObject" : op}`;
    default:
      throw new Error(`no IAM mapping for ${pkg}:${op}: add one in tests/infra/handler-aws-calls.ts`);
  }
}
