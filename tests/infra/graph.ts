import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { vi } from "vitest";
import { componentOf, createRecording, installSstGlobals, type Recorded, type Recording } from "./sst-stubs.ts";

// The AWS resource graph that sst.config.ts builds, checked without AWS: the config runs with
// recording stand-ins for SST's globals (sst-stubs.ts), and the records are compared with what the
// code needs. `npm run check:infra` checks the same files against SST's real types.
export const root = fileURLToPath(new URL("../..", import.meta.url));
export const HANDLERS = "packages/functions/src/handlers";

interface SstConfig {
  app(input: { stage: string }): Record<string, unknown>;
  run(): Promise<Record<string, unknown> | undefined>;
}

export interface FunctionArgs {
  handler: string;
  link?: unknown[];
  environment?: Record<string, unknown>;
  permissions?: { actions: string[]; resources: unknown[] }[];
  timeout?: string;
  transform?: Record<string, unknown>;
}

export const DEPLOY_ENV = { BULLETIN_EMAIL_DOMAIN: "news.example.org" };

/**
 * Loads sst.config.ts afresh (so infra/ re-reads its env) and runs it for a stage. The env is set
 * with vi.stubEnv, so a test file that evaluates calls vi.unstubAllEnvs() after each test.
 */
export async function evaluate(stage: string, env: Record<string, string | undefined> = DEPLOY_ENV) {
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

export const linkNames = (args: FunctionArgs) =>
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
export function seconds(duration: unknown): number {
  const m = /^(\d+(?:\.\d+)?) (second|minute|hour)s?$/.exec(String(duration));
  if (!m?.[1] || !m[2]) throw new Error(`not a duration: ${String(duration)}`);
  return Number(m[1]) * { second: 1, minute: 60, hour: 3600 }[m[2] as "second" | "minute" | "hour"];
}

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
