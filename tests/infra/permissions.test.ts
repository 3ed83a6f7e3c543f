import { afterEach, describe, expect, it, vi } from "vitest";
import { awsCallsOfHandlers } from "./handler-aws-calls.ts";
import { componentOf, tokenOf } from "./sst-stubs.ts";
import { DEPLOY_ENV, evaluate, HANDLERS, linkNames, root } from "./graph.ts";

afterEach(() => {
  vi.unstubAllEnvs();
});

describe("permissions", () => {
  // Actions AWS authorises on no resource at all: IAM only grants them on "*".
  const ACCOUNT_LEVEL = new Set(["ses:GetAccount"]);

  it('grant no wildcard action, and "*" as a resource only to account-level actions', async () => {
    const { graph, grants } = await evaluate("production");
    const statements = [
      ...[...graph.functions].flatMap(([name, { args }]) =>
        (args.permissions ?? []).map((p) => ({ where: `${name}.permissions`, ...p })),
      ),
      ...[...grants].flatMap(([type, ps]) => ps.map((p) => ({ where: `link of ${type}`, ...p }))),
    ];
    expect(statements.length).toBeGreaterThan(0);
    for (const s of statements) {
      for (const action of s.actions) expect(action, s.where).not.toContain("*");
      if (s.resources.some((r) => r === "*")) {
        expect(s.resources, s.where).toEqual(["*"]);
        for (const action of s.actions) expect(ACCOUNT_LEVEL, `${s.where}: ${action} on "*"`).toContain(action);
      } else {
        // An object grant names its keys by a prefix pattern: the only "*" allowed, at the end.
        for (const r of s.resources)
          expect(String(r).replace(/\/(issues|uploads)\/\*$/, ""), s.where).not.toContain("*");
      }
    }
  });

  it("replace SST's wide link grants for the table, the queues and the email identity", async () => {
    const { grants } = await evaluate("production");
    expect([...grants.keys()].sort()).toEqual(["sst.aws.Bucket", "sst.aws.Dynamo", "sst.aws.Email", "sst.aws.Queue"]);
    const resources = (type: string) => (grants.get(type) ?? []).flatMap((p) => p.resources.map(String));
    expect(resources("sst.aws.Dynamo")).toEqual([
      "{{Table.arn}}",
      "{{Table.arn}}/index/gsi1",
      "{{Table.arn}}/index/gsi2",
    ]);
    expect(resources("sst.aws.Email")).toEqual([
      "{{Email.nodes.identity.arn}}",
      "{{Email.nodes.configurationSet.arn}}",
    ]);
    // The files bucket's objects only, not the bucket's own settings.
    expect(resources("sst.aws.Bucket")).toEqual(["{{Files.arn}}/issues/*", "{{Files.arn}}/uploads/*"]);
  });

  it("with BULLETIN_RECEIVE_UNSUBSCRIBE=on, SES receives the unsubscribe mailbox: stored in S3, then the handler; only where SES receives mail", async () => {
    const on = {
      ...DEPLOY_ENV,
      BULLETIN_RECEIVE_UNSUBSCRIBE: "on",
      BULLETIN_UNSUBSCRIBE_FORWARD_TO: "office@example.org",
      AWS_REGION: "us-west-2",
    };
    const { graph, recording } = await evaluate("production", on);
    const fn = graph.fn("unsubscribe-mail").args;
    expect(linkNames(fn)).toEqual(["Email", "Table", "UnsubscribeKey"]);
    expect(fn.permissions).toEqual([{ actions: ["s3:GetObject"], resources: ["{{Inbound.arn}}/inbound/*"] }]);
    expect(fn.environment).toMatchObject({
      UNSUBSCRIBE_MAILTO: "unsubscribe@news.example.org",
      UNSUBSCRIBE_FORWARD_TO: "office@example.org",
    });
    const rule = recording.components.find((c) => c.type === "aws.ses.ReceiptRule")!.args as {
      recipients: string[];
      s3Actions: { objectKeyPrefix: string; position: number }[];
      lambdaActions: { position: number }[];
    };
    expect(rule.recipients).toEqual(["unsubscribe@news.example.org"]);
    expect(rule.s3Actions[0]).toMatchObject({ objectKeyPrefix: "inbound/", position: 1 });
    expect(rule.lambdaActions[0]).toMatchObject({ position: 2 });
    expect(recording.components.some((c) => c.type === "aws.ses.ActiveReceiptRuleSet")).toBe(true);
    // Off by default; refused where SES does not receive mail, or without a person to forward to.
    expect((await evaluate("production")).graph.functions.has("unsubscribe-mail")).toBe(false);
    await expect(evaluate("production", { ...on, AWS_REGION: "ap-southeast-1" })).rejects.toThrow(
      /region where SES receives mail/,
    );
    await expect(evaluate("production", { ...on, BULLETIN_UNSUBSCRIBE_FORWARD_TO: undefined })).rejects.toThrow(
      /BULLETIN_UNSUBSCRIBE_FORWARD_TO/,
    );
  });

  it("cover every AWS call the deployed handlers make", { timeout: 120_000 }, async () => {
    const { graph, grants } = await evaluate("production", {
      ...DEPLOY_ENV,
      BULLETIN_RECEIVE_UNSUBSCRIBE: "on",
      BULLETIN_UNSUBSCRIBE_FORWARD_TO: "office@example.org",
      AWS_REGION: "us-west-2",
    });
    const granted = new Set<string>();
    for (const { args } of graph.functions.values()) {
      for (const p of args.permissions ?? []) for (const a of p.actions) granted.add(a);
      for (const link of args.link ?? []) {
        const c = componentOf(link);
        if (!c) continue;
        for (const p of grants.get(c.type) ?? []) for (const a of p.actions) granted.add(a);
        // SST's own grant for a linked function (not wrapped): invoking it.
        if (c.type === "sst.aws.Function") granted.add("lambda:InvokeFunction");
      }
    }
    // What SST's queue subscriber grants the sender on its own queue (queue-lambda-subscriber.ts in
    // .sst/platform): the event source's calls, which the sender also uses to retry a batch sooner.
    for (const action of [
      "sqs:ChangeMessageVisibility",
      "sqs:DeleteMessage",
      "sqs:GetQueueAttributes",
      "sqs:GetQueueUrl",
      "sqs:ReceiveMessage",
    ])
      granted.add(action);
    const used = await awsCallsOfHandlers(root, HANDLERS, [...graph.functions.keys()]);
    // What the handlers are known to call today; more is fine, as long as it is granted.
    expect(used).toEqual(
      expect.arrayContaining([
        "dynamodb:DescribeTable",
        "dynamodb:Query",
        "dynamodb:UpdateItem",
        "lambda:InvokeFunction",
        "s3:GetObject",
        "s3:PutObject",
        "ses:GetAccount",
        "ses:GetEmailIdentity",
        "ses:SendBulkEmail",
        "ses:SendEmail",
        "sqs:SendMessage",
      ]),
    );
    for (const action of used) expect(granted, `${action} is granted to some function`).toContain(action);
    // And the sender, the only one sending, holds both SES grants.
    const sender = graph.fn("sender").args;
    expect(sender.permissions?.flatMap((p) => p.actions)).toContain("ses:GetAccount");
    expect(linkNames(sender)).toContain("Email");
    expect(grants.get("sst.aws.Email")?.flatMap((p) => p.actions)).toEqual(["ses:SendEmail", "ses:SendBulkEmail"]);
    // The api reads the sending domain's DKIM for the pre-send checks, on that identity alone.
    expect(
      graph.fn("api").args.permissions?.map((p) => ({ actions: p.actions, resources: p.resources.map(tokenOf) })),
    ).toContainEqual({ actions: ["ses:GetEmailIdentity"], resources: ["Email.nodes.identity.arn"] });
  });
});
