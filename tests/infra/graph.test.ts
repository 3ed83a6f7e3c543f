import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it, vi } from "vitest";
import { SES_EVENT_TYPES } from "@bulletin/core";
import { tableDefinition } from "@bulletin/dynamo";
import { awsCallsOfHandlers } from "./handler-aws-calls.ts";
import {
  componentOf,
  createRecording,
  installSstGlobals,
  tokenOf,
  type Recorded,
  type Recording,
} from "./sst-stubs.ts";

// The AWS resource graph that sst.config.ts builds, checked without AWS: the config runs with
// recording stand-ins for SST's globals (sst-stubs.ts), and the records are compared with what the
// code needs. `npm run check:infra` checks the same files against SST's real types.
const root = fileURLToPath(new URL("../..", import.meta.url));
const HANDLERS = "packages/functions/src/handlers";

interface SstConfig {
  app(input: { stage: string }): Record<string, unknown>;
  run(): Promise<Record<string, unknown> | undefined>;
}

interface FunctionArgs {
  handler: string;
  link?: unknown[];
  environment?: Record<string, unknown>;
  permissions?: { actions: string[]; resources: unknown[] }[];
  timeout?: string;
  transform?: Record<string, unknown>;
}

const DEPLOY_ENV = { BULLETIN_EMAIL_DOMAIN: "news.example.org" };

afterEach(() => {
  vi.unstubAllEnvs();
});

/** Loads sst.config.ts afresh (so infra/ re-reads its env) and runs it for a stage. */
async function evaluate(stage: string, env: Record<string, string | undefined> = DEPLOY_ENV) {
  for (const name of Object.keys(process.env)) if (name.startsWith("BULLETIN_")) vi.stubEnv(name, undefined);
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
  const recording = createRecording();
  const uninstall = installSstGlobals(recording, stage);
  try {
    vi.resetModules();
    // A computed path, so the main type check (which has no .sst/platform) does not follow it.
    const configPath = join(root, "sst.config.ts");
    const config = (await import(/* @vite-ignore */ configPath)).default as SstConfig;
    const app = config.app({ stage });
    const outputs = await config.run();
    // The wrap callbacks use the sst global too, so they run while it is installed.
    return { app, outputs, recording, graph: graphOf(recording), grants: linkGrants(recording) };
  } finally {
    uninstall();
  }
}

/** The functions of the graph, wherever they are declared, by their handler file's name. */
function graphOf(recording: Recording) {
  const byName = (name: string): Recorded => {
    const found = recording.components.find((c) => c.name === name);
    if (!found) throw new Error(`no component named ${name}`);
    return found;
  };
  const functions = new Map<string, { args: FunctionArgs; via: string; extra?: Record<string, unknown> }>();
  const add = (args: unknown, via: string, extra?: Record<string, unknown>) => {
    const fn = args as FunctionArgs;
    const m = /^packages\/functions\/src\/handlers\/([\w-]+)\.handler$/.exec(fn.handler);
    if (!m?.[1])
      throw new Error(`${via}: handler "${fn.handler}" is not packages/functions/src/handlers/<name>.handler`);
    if (functions.has(m[1])) throw new Error(`two functions use the ${m[1]} handler`);
    functions.set(m[1], { args: fn, via, ...(extra ? { extra } : {}) });
  };
  for (const c of recording.components) {
    if (c.type === "sst.aws.Function") add(c.args, `Function ${c.name}`);
    if (c.type === "sst.aws.CronV2") add(c.args.function, `CronV2 ${c.name}`);
    for (const call of c.calls) {
      if (c.type === "sst.aws.Queue" && call.method === "subscribe")
        add(call.args[0], `${c.name}.subscribe`, call.args[1] as Record<string, unknown>);
      if (c.type === "sst.aws.SnsTopic" && call.method === "subscribe")
        add(call.args[1], `${c.name}.subscribe`, call.args[2] as Record<string, unknown>);
      if (c.type === "sst.aws.ApiGatewayV2" && call.method === "route")
        add(call.args[1], `${c.name}.route ${String(call.args[0])}`);
    }
  }
  const fn = (name: string) => {
    const found = functions.get(name);
    if (!found) throw new Error(`no function with the ${name} handler`);
    return found;
  };
  return { byName, functions, fn };
}

const linkNames = (args: FunctionArgs) =>
  (args.link ?? []).map((l) => componentOf(l)?.name ?? `not a component: ${String(l)}`).sort();

/** Each linkable's grant, as infra/ defines it with sst.Linkable.wrap (SST's own grants are wider). */
function linkGrants(recording: Recording) {
  const grants = new Map<string, { actions: string[]; resources: unknown[] }[]>();
  for (const [type, cb] of recording.wraps) {
    const name = recording.components.find((c) => c.type === type)?.name ?? type;
    const fake = new Proxy(
      {},
      { get: (_t, prop) => (typeof prop === "string" ? fakeOutput(`${name}.${prop}`) : undefined) },
    );
    const def = cb(fake) as { include?: { type: string; actions: string[]; resources: unknown[] }[] };
    grants.set(
      type,
      (def.include ?? []).filter((i) => i.type === "aws.permission"),
    );
  }
  return grants;
}

/** "5 minutes" → 300. */
function seconds(duration: unknown): number {
  const m = /^(\d+(?:\.\d+)?) (second|minute|hour)s?$/.exec(String(duration));
  if (!m?.[1] || !m[2]) throw new Error(`not a duration: ${String(duration)}`);
  return Number(m[1]) * { second: 1, minute: 60, hour: 3600 }[m[2] as "second" | "minute" | "hour"];
}

describe("sst.config.ts", () => {
  it("only imports infra/*.ts", () => {
    const source = readFileSync(join(root, "sst.config.ts"), "utf8");
    const imports = [...source.matchAll(/import\s*\(\s*"([^"]+)"\s*\)|from\s+"([^"]+)"/g)].map((m) => m[1] ?? m[2]);
    expect(imports.length).toBeGreaterThan(0);
    for (const spec of imports) expect(spec).toMatch(/^\.\/infra\/[\w-]+$/);
  });

  it("retains and protects production, and removes other stages", async () => {
    const production = await evaluate("production");
    expect(production.app).toMatchObject({ name: "bulletin", home: "aws", removal: "retain", protect: true });
    const dev = await evaluate("dev");
    expect(dev.app).toMatchObject({ removal: "remove", protect: false });
  });

  it("fails loudly without the sending domain, and on a bad deploy-time input", async () => {
    await expect(evaluate("production", {})).rejects.toThrow(/BULLETIN_EMAIL_DOMAIN is not set/);
    await expect(evaluate("production", { BULLETIN_EMAIL_DOMAIN: "bulletin@example.org" })).rejects.toThrow(
      /must be a domain name/,
    );
    await expect(evaluate("production", { ...DEPLOY_ENV, BULLETIN_SEND_CONCURRENCY: "1" })).rejects.toThrow(
      /from 2 to 100/,
    );
    await expect(evaluate("production", { ...DEPLOY_ENV, BULLETIN_MONTHLY_SEND: "31 09:00 +08:00" })).rejects.toThrow(
      /BULLETIN_MONTHLY_SEND/,
    );
    await expect(
      evaluate("production", { ...DEPLOY_ENV, BULLETIN_FROM_EMAIL: "bulletin@elsewhere.org" }),
    ).rejects.toThrow(/must be an address at/);
    // Read by core's envReader, as the handlers read what they are given: one meaning for every spelling.
    await expect(evaluate("production", { ...DEPLOY_ENV, BULLETIN_TRACK_ENGAGEMENT: "maybe" })).rejects.toThrow(
      /BULLETIN_TRACK_ENGAGEMENT must be on or off/,
    );
    await expect(evaluate("production", { ...DEPLOY_ENV, BULLETIN_RECEIVE_UNSUBSCRIBE: "sometimes" })).rejects.toThrow(
      /BULLETIN_RECEIVE_UNSUBSCRIBE must be on or off/,
    );
    expect(
      (await evaluate("production", { ...DEPLOY_ENV, BULLETIN_TRACK_ENGAGEMENT: "No" })).graph.fn("ses-events").args
        .environment,
    ).toEqual({ TRACK_ENGAGEMENT: "off" });
  });
});

describe("the functions", () => {
  it("are the five handlers, each file present and exporting handler", async () => {
    const { graph } = await evaluate("production");
    expect([...graph.functions.keys()].sort()).toEqual(["api", "dispatcher", "scheduler", "sender", "ses-events"]);
    for (const name of graph.functions.keys()) {
      const file = join(root, HANDLERS, `${name}.ts`);
      expect(existsSync(file), `${file} exists`).toBe(true);
      const source = readFileSync(file, "utf8");
      expect(source, `${name}.ts exports handler`).toMatch(
        /export\s+(const|let|async\s+function|function)\s+handler\b|export\s*\{[^}]*\bhandler\b[^}]*\}/,
      );
    }
  });

  it("each links exactly what it uses", async () => {
    const { graph } = await evaluate("production");
    const expected: Record<string, string[]> = {
      api: ["AdminToken", "Dispatcher", "Files", "SendQueue", "SessionKey", "Table", "UnsubscribeKey"],
      dispatcher: ["SendQueue", "Table"],
      sender: ["Email", "Files", "SendQueue", "Table", "UnsubscribeKey"],
      "ses-events": ["Table"],
      scheduler: ["Dispatcher", "SendQueue", "Table"],
    };
    for (const [name, links] of Object.entries(expected)) expect(linkNames(graph.fn(name).args), name).toEqual(links);
    expect(graph.fn("dispatcher").via).toBe("Function Dispatcher");
    expect(graph.fn("api").via).toBe("Api.route $default");
    expect(graph.fn("sender").via).toBe("SendQueue.subscribe");
    expect(graph.fn("ses-events").via).toBe("SesEvents.subscribe");
    expect(graph.fn("scheduler").via).toMatch(/^CronV2 /);
  });

  it("get the env the handlers read, PUBLIC_URL being the gateway's URL", async () => {
    const { graph } = await evaluate("production", {
      ...DEPLOY_ENV,
      BULLETIN_MONTHLY_SEND: "1 09:00 +08:00",
      BULLETIN_TRACK_ENGAGEMENT: "off",
      BULLETIN_TRANSIENT_BOUNCES_TO_SUPPRESS: "5",
      BULLETIN_SEND_CONCURRENCY: "7",
      BULLETIN_DOMAIN_RATES: "qq.com,foxmail.com=2000/h",
    });
    const env = (name: string) => graph.fn(name).args.environment ?? {};
    expect(tokenOf(env("api").PUBLIC_URL)).toBe("Api.url");
    expect(env("api").UNSUBSCRIBE_MAILTO).toBe("unsubscribe@news.example.org");
    expect(env("api").FROM_EMAIL).toBe("bulletin@news.example.org");
    expect(tokenOf(env("sender").PUBLIC_URL)).toBe("Api.url");
    expect(env("sender")).toMatchObject({
      FROM_EMAIL: "bulletin@news.example.org",
      UNSUBSCRIBE_MAILTO: "unsubscribe@news.example.org",
      SEND_CONCURRENCY: "7",
      DOMAIN_RATES: "qq.com,foxmail.com=2000/h",
    });
    expect(env("scheduler")).toEqual({ MONTHLY_SEND: "1 09:00 +08:00" });
    // The api applies replayed events (POST /api/events) as the tracker applies live ones.
    // The tracker halves a domain group on a receiver's pushback; the api shows who waits for which group.
    expect(env("ses-events")).toEqual({
      TRACK_ENGAGEMENT: "off",
      TRANSIENT_BOUNCES_TO_SUPPRESS: "5",
      DOMAIN_RATES: "qq.com,foxmail.com=2000/h",
    });
    expect(env("api")).toMatchObject({
      TRACK_ENGAGEMENT: "off",
      TRANSIENT_BOUNCES_TO_SUPPRESS: "5",
      DOMAIN_RATES: "qq.com,foxmail.com=2000/h",
    });
    expect(env("dispatcher")).toEqual({});

    // Unset optional inputs leave the handlers' defaults alone.
    const plain = (await evaluate("production")).graph;
    expect(plain.fn("scheduler").args.environment).toEqual({});
    expect(plain.fn("ses-events").args.environment).toEqual({});
    expect(Object.keys(plain.fn("api").args.environment ?? {}).sort()).toEqual([
      "FROM_EMAIL",
      "PDFJS_ASSETS",
      "PUBLIC_URL",
      "UNSUBSCRIBE_MAILTO",
    ]);
    expect(plain.fn("sender").args.environment?.SEND_CONCURRENCY).toBe("2");
  });

  it("agree with what the handlers read (packages/functions/src/aws-config.ts)", async () => {
    const { graph } = await evaluate("production", {
      ...DEPLOY_ENV,
      BULLETIN_MONTHLY_SEND: "1 09:00",
      BULLETIN_TRACK_ENGAGEMENT: "on",
      BULLETIN_TRANSIENT_BOUNCES_TO_SUPPRESS: "3",
    });
    const source = readFileSync(join(root, "packages/functions/src/aws-config.ts"), "utf8");
    for (const [name, { args }] of graph.functions) {
      for (const variable of Object.keys(args.environment ?? {})) {
        expect(source, `${name}'s ${variable} is read by the handlers`).toMatch(new RegExp(`\\b${variable}\\b`));
      }
    }
    // Every linked resource the handlers read is a component of that name, linked to some function.
    const linked = new Set([...graph.functions.values()].flatMap(({ args }) => linkNames(args)));
    const reads = [...source.matchAll(/link\("(\w+)", "(\w+)"\)/g)].map((m) => m[1]);
    expect(reads.length).toBeGreaterThan(0);
    for (const name of reads) expect(linked, `Resource.${name}`).toContain(name);
  });
});

describe("the api's native code", () => {
  it("carries sharp for Lambda's architecture, installed beside the bundle at the version the code is tested with", async () => {
    const { graph } = await evaluate("production");
    const api = graph.fn("api").args as FunctionArgs & { architecture?: string; nodejs?: { install?: string[] } };
    // SST leaves a package named in nodejs.install out of the bundle and runs npm install for the
    // function's os, cpu (and, for sharp, glibc), with the version in the root package.json's dependencies.
    expect(api.nodejs?.install).toContain("sharp");
    expect(api.architecture).toBe("arm64");
    const app = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
      dependencies?: Record<string, string>;
    };
    const reader = JSON.parse(readFileSync(join(root, "packages/pdf/package.json"), "utf8")) as {
      dependencies: Record<string, string>;
    };
    const installed = JSON.parse(readFileSync(join(root, "node_modules/sharp/package.json"), "utf8")) as {
      version: string;
      optionalDependencies: Record<string, string>;
    };
    expect(app.dependencies?.sharp).toBe(reader.dependencies.sharp);
    expect(installed.version).toBe(app.dependencies?.sharp);
    // The prebuilt binary for Lambda's arm64 Linux (glibc) exists for that version.
    expect(installed.optionalDependencies["@img/sharp-linux-arm64"]).toBe(installed.version);
    // Only the api reads PDFs; no other function carries sharp.
    for (const [name, { args }] of graph.functions) {
      if (name !== "api")
        expect((args as { nodejs?: { install?: string[] } }).nodejs?.install ?? [], name).not.toContain("sharp");
    }
  });
});

describe("the send queue", () => {
  it("has a dead-letter queue, a visibility timeout of six sender timeouts, and pacing by concurrency", async () => {
    const { graph } = await evaluate("production", { ...DEPLOY_ENV, BULLETIN_SEND_CONCURRENCY: "7" });
    const queue = graph.byName("SendQueue");
    const dlq = graph.byName("SendDlq");
    expect(dlq.type).toBe("sst.aws.Queue");
    const redrive = queue.args.dlq as { queue: unknown; retry: number };
    expect(tokenOf(redrive.queue)).toBe("SendDlq.arn");
    expect(redrive.retry).toBe(5);
    const sender = graph.fn("sender");
    expect(seconds(queue.args.visibilityTimeout)).toBeGreaterThanOrEqual(6 * seconds(sender.args.timeout));
    const subscription = sender.extra as {
      batch: { partialResponses: boolean };
      transform: { eventSourceMapping: { scalingConfig: { maximumConcurrency: number } } };
    };
    expect(subscription.batch.partialResponses).toBe(true);
    expect(subscription.transform.eventSourceMapping.scalingConfig.maximumConcurrency).toBe(7);
    expect(sender.args.environment?.SEND_CONCURRENCY).toBe("7");
  });
});

describe("the table", () => {
  it("has the keys and indexes of tableDefinition(), on-demand, with point-in-time recovery", async () => {
    const { graph } = await evaluate("dev");
    const args = graph.byName("Table").args as {
      fields: Record<string, string>;
      primaryIndex: { hashKey: string; rangeKey?: string };
      globalIndexes: Record<string, { hashKey: string; rangeKey?: string; projection?: string }>;
      ttl?: unknown;
      stream?: unknown;
      transform: { table: { pointInTimeRecovery: { enabled: boolean } } };
    };
    const def = tableDefinition("t");
    const sstType = { string: "S", number: "N", binary: "B" } as Record<string, string>;
    expect(
      Object.entries(args.fields)
        .map(([name, type]) => ({ AttributeName: name, AttributeType: sstType[type] }))
        .sort(byName),
    ).toEqual([...(def.AttributeDefinitions ?? [])].sort(byName));
    expect(keySchema(args.primaryIndex)).toEqual(def.KeySchema);
    expect(
      Object.entries(args.globalIndexes).map(([name, index]) => ({
        IndexName: name,
        KeySchema: keySchema(index),
        Projection: { ProjectionType: (index.projection ?? "all") === "all" ? "ALL" : String(index.projection) },
      })),
    ).toEqual(def.GlobalSecondaryIndexes);
    // SST's Dynamo is always PAY_PER_REQUEST, as tableDefinition() is.
    expect(def.BillingMode).toBe("PAY_PER_REQUEST");
    expect(args.ttl).toBeUndefined();
    expect(args.stream).toBeUndefined();
    expect(args.transform.table.pointInTimeRecovery.enabled).toBe(true);
    expect(graph.byName("Table").args.deletionProtection).toBe(false);
  });

  it("is deletion-protected on production", async () => {
    const { graph } = await evaluate("production");
    expect(graph.byName("Table").args.deletionProtection).toBe(true);
  });
});

function byName(a: { AttributeName?: string }, b: { AttributeName?: string }) {
  return String(a.AttributeName).localeCompare(String(b.AttributeName));
}

function keySchema(index: { hashKey: string; rangeKey?: string }) {
  return [
    { AttributeName: index.hashKey, KeyType: "HASH" },
    ...(index.rangeKey ? [{ AttributeName: index.rangeKey, KeyType: "RANGE" }] : []),
  ];
}

describe("email", () => {
  it("sends from the domain with DMARC, and publishes every event type the tracker handles to SesEvents", async () => {
    const { graph, recording } = await evaluate("production");
    const email = graph.byName("Email");
    expect(email.type).toBe("sst.aws.Email");
    expect(email.args.sender).toBe("news.example.org");
    expect(String(email.args.dmarc)).toMatch(/^v=DMARC1; p=(quarantine|reject)/);
    const events = email.args.events as { name: string; types: string[]; topic: unknown }[];
    expect(events).toHaveLength(1);
    expect(tokenOf(events[0]?.topic)).toBe("SesEvents.arn");
    // SES's event names ("Rendering Failure", "DeliveryDelay") in SST's spelling.
    const sstName = (t: string) =>
      t
        .replace(/([a-z])([A-Z])/g, "$1-$2")
        .replace(/ /g, "-")
        .toLowerCase();
    expect([...(events[0]?.types ?? [])].sort()).toEqual(SES_EVENT_TYPES.map(sstName).sort());
    expect(graph.byName("SesEvents").type).toBe("sst.aws.SnsTopic");

    // The topic lets SES publish, and only for this configuration set.
    const policy = graph.byName("SesEventsPolicy");
    expect(tokenOf(policy.args.arn)).toBe("SesEvents.arn");
    const doc = recording.calls.find((c) => c.fn === "aws.iam.getPolicyDocumentOutput")?.args[0] as {
      statements: {
        principals: { identifiers: string[] }[];
        actions: string[];
        resources: unknown[];
        conditions: { variable: string; values: unknown[] }[];
      }[];
    };
    const statement = doc.statements[0];
    expect(statement?.principals[0]?.identifiers).toEqual(["ses.amazonaws.com"]);
    expect(statement?.actions).toEqual(["SNS:Publish"]);
    expect(statement?.resources.map(tokenOf)).toEqual(["SesEvents.arn"]);
    const sourceArn = statement?.conditions.find((c) => c.variable === "AWS:SourceArn");
    expect(sourceArn?.values.map(tokenOf)).toEqual(["Email.nodes.configurationSet.arn"]);
  });

  it("keeps SES events that fail every retry on a dead-letter queue", async () => {
    const { graph } = await evaluate("production");
    const tracker = graph.fn("ses-events").args;
    const target = (tracker.transform as { function: { deadLetterConfig: { targetArn: unknown } } }).function
      .deadLetterConfig.targetArn;
    expect(tokenOf(target)).toBe("SesEventsDlq.arn");
    expect(tracker.permissions?.map((p) => ({ actions: p.actions, resources: p.resources.map(tokenOf) }))).toEqual([
      { actions: ["sqs:SendMessage"], resources: ["SesEventsDlq.arn"] },
    ]);
  });
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

/** A stand-in for an Output inside a wrap callback: "{{Table.arn}}", with nested reads. */
function fakeOutput(origin: string): unknown {
  return new Proxy(
    {},
    {
      get: (_t, prop) => {
        if (prop === Symbol.toPrimitive || prop === "toString") return () => `{{${origin}}}`;
        if (typeof prop === "symbol" || prop === "then") return undefined;
        return fakeOutput(`${origin}.${prop}`);
      },
    },
  );
}
