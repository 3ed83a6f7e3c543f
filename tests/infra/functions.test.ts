import { afterEach, describe, expect, it, vi } from "vitest";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { tokenOf } from "./sst-stubs.ts";
import { DEPLOY_ENV, evaluate, type FunctionArgs, HANDLERS, linkNames, root } from "./graph.ts";

afterEach(() => {
  vi.unstubAllEnvs();
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
