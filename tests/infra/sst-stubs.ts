// Recording stand-ins for the globals SST gives sst.config.ts ($config, $app, sst, aws,
// $interpolate), so the resource graph can be built and inspected without AWS, Pulumi or
// .sst/platform. Each component constructed is recorded with its name and arguments; each method
// called on one (subscribe, route) is recorded with its arguments; each property read (table.arn,
// api.url) is a Token naming where it came from, so the test can tell which output went where.

const TOKEN = Symbol("token");
const COMPONENT = Symbol("component");

/** A stand-in for a Pulumi Output: it only knows its origin, e.g. "Table.arn". */
export interface Token {
  readonly [TOKEN]: string;
}

export interface MethodCall {
  method: string;
  args: unknown[];
}

export interface Recorded {
  /** e.g. "sst.aws.Dynamo", "aws.sns.TopicPolicy". */
  type: string;
  name: string;
  args: Record<string, unknown>;
  calls: MethodCall[];
}

export interface Recording {
  components: Recorded[];
  /** sst.Linkable.wrap callbacks, by the wrapped component type. */
  wraps: Map<string, (resource: unknown) => unknown>;
  /** Other function calls (aws.iam.getPolicyDocumentOutput, sst.aws.dns, …) with their arguments. */
  calls: { fn: string; args: unknown[] }[];
}

/** Where a Token came from ("Api.url"), or undefined for anything else. */
export function tokenOf(value: unknown): string | undefined {
  if ((typeof value === "function" || typeof value === "object") && value !== null) {
    return (value as Partial<Token>)[TOKEN];
  }
  return undefined;
}

/** The record of a component instance, or undefined when the value is not one. */
export function componentOf(value: unknown): Recorded | undefined {
  if ((typeof value === "function" || typeof value === "object") && value !== null) {
    return (value as { [COMPONENT]?: Recorded })[COMPONENT];
  }
  return undefined;
}

/** A value that answers any property with a deeper Token, and records a call when called. */
function token(origin: string, onCall?: (args: unknown[]) => unknown, record?: Recorded): Token {
  const target = (() => {}) as unknown as object;
  return new Proxy(target, {
    get(_t, prop) {
      if (prop === TOKEN) return origin;
      if (prop === COMPONENT) return record;
      // Not a thenable: `await` on a component must not wait on it.
      if (prop === "then") return undefined;
      if (prop === Symbol.toPrimitive || prop === "toString" || prop === "toJSON") return () => `{{${origin}}}`;
      if (typeof prop === "symbol") return undefined;
      return token(
        `${origin}.${prop}`,
        record ? (args) => recordCall(record, prop, args, `${origin}.${prop}`) : undefined,
      );
    },
    apply(_t, _this, args: unknown[]) {
      return onCall ? onCall(args) : token(`${origin}()`);
    },
  }) as Token;
}

function recordCall(record: Recorded, method: string, args: unknown[], origin: string): Token {
  record.calls.push({ method, args });
  return token(`${origin}()`);
}

export function createRecording(): Recording {
  return { components: [], wraps: new Map(), calls: [] };
}

/** A constructor that records `new X(name, args)` and returns a Token-like component. */
function componentClass(recording: Recording, type: string) {
  const cls = function (this: unknown, name: string, args: Record<string, unknown> = {}) {
    const record: Recorded = { type, name, args, calls: [] };
    recording.components.push(record);
    return token(name, undefined, record);
  } as unknown as { new (name: string, args?: Record<string, unknown>): unknown; __type: string };
  cls.__type = type;
  return cls;
}

function fn(recording: Recording, name: string, result: (args: unknown[]) => unknown) {
  return (...args: unknown[]) => {
    recording.calls.push({ fn: name, args });
    return result(args);
  };
}

/** Installs the globals on globalThis; returns a function that removes them. */
export function installSstGlobals(recording: Recording, stage: string): () => void {
  const g = globalThis as Record<string, unknown>;
  const names = ["$config", "$app", "$interpolate", "sst", "aws"];
  const before = new Map(names.map((n) => [n, g[n]]));
  const klass = (type: string) => componentClass(recording, type);
  g.$config = (config: unknown) => config;
  g.$app = { name: "bulletin", stage };
  g.$interpolate = (strings: TemplateStringsArray, ...values: unknown[]) =>
    strings.reduce((out, s, i) => out + s + (i < values.length ? String(values[i]) : ""), "");
  g.sst = {
    Secret: klass("sst.Secret"),
    Linkable: {
      wrap: (cls: { __type: string }, cb: (resource: unknown) => unknown) => {
        recording.wraps.set(cls.__type, cb);
      },
    },
    aws: {
      ApiGatewayV2: klass("sst.aws.ApiGatewayV2"),
      Bucket: klass("sst.aws.Bucket"),
      CronV2: klass("sst.aws.CronV2"),
      Dynamo: klass("sst.aws.Dynamo"),
      Email: klass("sst.aws.Email"),
      Function: klass("sst.aws.Function"),
      Queue: klass("sst.aws.Queue"),
      SnsTopic: klass("sst.aws.SnsTopic"),
      dns: fn(recording, "sst.aws.dns", (args) => ({ dnsAdapter: args[0] })),
      permission: (input: Record<string, unknown>) => ({ type: "aws.permission", ...input }),
    },
  };
  g.aws = {
    sns: { TopicPolicy: klass("aws.sns.TopicPolicy") },
    s3: {
      BucketLifecycleConfigurationV2: klass("aws.s3.BucketLifecycleConfigurationV2"),
      BucketPolicy: klass("aws.s3.BucketPolicy"),
    },
    lambda: { Permission: klass("aws.lambda.Permission") },
    ses: {
      ReceiptRuleSet: klass("aws.ses.ReceiptRuleSet"),
      ActiveReceiptRuleSet: klass("aws.ses.ActiveReceiptRuleSet"),
      ReceiptRule: klass("aws.ses.ReceiptRule"),
    },
    iam: { getPolicyDocumentOutput: fn(recording, "aws.iam.getPolicyDocumentOutput", () => token("policyDocument")) },
    getCallerIdentityOutput: fn(recording, "aws.getCallerIdentityOutput", () => token("callerIdentity")),
  };
  return () => {
    for (const [n, v] of before) {
      if (v === undefined) delete g[n];
      else g[n] = v;
    }
  };
}
