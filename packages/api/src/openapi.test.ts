import { readFileSync } from "node:fs";
import type { SesEvent, StoredToken } from "@bulletin/core";
import { InMemoryTokenRepo } from "@bulletin/core/testing";
import { describe, expect, it } from "vitest";
import { createApp } from "./app.ts";
import { hashToken } from "./auth/tokens.ts";
import { inMemoryApiDeps } from "./testing/in-memory-api-deps.ts";

/** One of AWS's example SES events, kept with core's event parser. */
const fixture = (name: string) =>
  JSON.parse(readFileSync(new URL(`../../core/src/events/fixtures/${name}.json`, import.meta.url), "utf8")) as Record<
    string,
    unknown
  >;

// The OpenAPI document as a client generator reads it: every operation named and found, every body
// the routes take described, and what it describes really accepted.

type Schema = {
  $ref?: string;
  type?: string | string[];
  format?: string;
  items?: Schema;
  oneOf?: Schema[];
  anyOf?: Schema[];
};
type Operation = {
  operationId?: string;
  tags?: string[];
  summary?: string;
  requestBody?: { content: Record<string, { schema: Schema }> };
};
type Document = {
  servers?: { url: string }[];
  components: { schemas: Record<string, Schema>; securitySchemes: Record<string, { type: string; scheme?: string }> };
  paths: Record<string, Record<string, Operation>>;
};

const METHODS = ["get", "put", "post", "delete", "patch", "head", "options"];
/** The document itself and the page that shows it: served under /api, but not operations of the API. */
const NOT_OPERATIONS = new Set(["GET /api/openapi.json", "GET /api/docs", "GET /api/docs/assets/{file}"]);

const ADMIN: StoredToken = {
  hash: hashToken("admin-secret"),
  role: "admin",
  label: "admin",
  createdAt: "2026-01-01T00:00:00.000Z",
};

async function documentOf(app: ReturnType<typeof createApp>): Promise<Document> {
  const res = await app.request("/api/openapi.json");
  expect(res.status).toBe(200);
  return (await res.json()) as Document;
}

function operations(doc: Document): [string, Operation][] {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([m]) => METHODS.includes(m))
      .map(([m, op]): [string, Operation] => [`${m.toUpperCase()} ${path}`, op]),
  );
}

/** A schema with its $ref followed, and the schemas it may be (oneOf / anyOf), flattened. */
function alternatives(doc: Document, schema: Schema): Schema[] {
  const resolved = schema.$ref ? doc.components.schemas[schema.$ref.replace("#/components/schemas/", "")] : schema;
  if (!resolved) throw new Error(`unresolved ${schema.$ref}`);
  const options = [...(resolved.oneOf ?? []), ...(resolved.anyOf ?? [])];
  return options.length ? options.flatMap((s) => alternatives(doc, s)) : [resolved];
}

describe("the OpenAPI document", () => {
  const app = createApp(inMemoryApiDeps());

  it("names every operation with a unique camelCase operationId, a tag and a summary", async () => {
    const ops = operations(await documentOf(app));
    expect(ops.length).toBeGreaterThan(30);
    for (const [where, op] of ops) {
      expect(op.operationId, where).toMatch(/^[a-z][A-Za-z0-9]*$/);
      expect(op.tags?.length, where).toBe(1);
      expect(op.summary, where).toBeTruthy();
    }
    const ids = ops.map(([, op]) => op.operationId);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("documents every route the app serves under /api, and no route it does not serve", async () => {
    const served = new Set(
      app.routes
        .filter((r) => r.method !== "ALL" && r.path.startsWith("/api/"))
        .map((r) => `${r.method} ${r.path.replace(/:([^/]+)/g, "{$1}")}`)
        .filter((r) => !NOT_OPERATIONS.has(r)),
    );
    const documented = new Set(operations(await documentOf(app)).map(([where]) => where));
    expect([...served].filter((r) => !documented.has(r))).toEqual([]);
    expect([...documented].filter((r) => !served.has(r))).toEqual([]);
  });

  it("says where the API is and how to authenticate", async () => {
    const doc = await documentOf(app);
    // Relative, so it holds wherever the document was read from.
    expect(doc.servers).toEqual([expect.objectContaining({ url: "/" })]);
    expect(doc.components.securitySchemes.Bearer).toMatchObject({ type: "http", scheme: "bearer" });
  });

  it("documents POST /api/issues as the PDF (binary), its text, Markdown, and Issue JSON or an upload", async () => {
    const doc = await documentOf(app);
    const content = doc.paths["/api/issues"]!.post!.requestBody!.content;
    expect(Object.keys(content).sort()).toEqual([
      "application/json",
      "application/pdf",
      "text/markdown",
      "text/plain",
      "text/x-markdown",
    ]);
    expect(content["application/pdf"]!.schema).toMatchObject({ type: "string", format: "binary" });
    const json = content["application/json"]!.schema;
    expect(json.oneOf?.map((s) => s.$ref)).toEqual([
      "#/components/schemas/Issue",
      "#/components/schemas/UploadedIssue",
    ]);
    expect(alternatives(doc, json).every((s) => s.type === "object")).toBe(true);
  });

  it("documents POST /api/events as a JSON array of SES events or SNS envelopes, one of them, or JSON lines", async () => {
    const doc = await documentOf(app);
    const content = doc.paths["/api/events"]!.post!.requestBody!.content;
    expect(Object.keys(content).sort()).toEqual(["application/json", "application/x-ndjson", "text/plain"]);
    const shapes = alternatives(doc, content["application/json"]!.schema);
    const array = shapes.find((s) => s.type === "array");
    expect(array?.items?.$ref).toBe("#/components/schemas/SesEventItem");
    expect(alternatives(doc, array!.items!).length).toBeGreaterThanOrEqual(11); // each SES event type, and the SNS envelope
    expect(shapes.filter((s) => s.type === "object").length).toBeGreaterThanOrEqual(11);
  });
});

describe("what the document describes is accepted", () => {
  it("POST /api/issues takes each documented text type and Issue JSON, and hands a PDF to the PDF reader", async () => {
    let pdfsRead = 0;
    const app = createApp(
      inMemoryApiDeps({
        tokens: new InMemoryTokenRepo([ADMIN]),
        pdf: {
          read: async () => {
            pdfsRead++;
            throw new Error("not a real PDF");
          },
        },
      }),
    );
    const post = (type: string, body: BodyInit) =>
      app.request("/api/issues", {
        method: "POST",
        headers: { authorization: "Bearer admin-secret", "content-type": type },
        body,
      });
    const markdown = "# 协会动态\n\n## 年会召开\n\n年会在太原召开。\n";
    for (const type of ["text/markdown", "text/x-markdown"])
      expect((await post(type, markdown)).status, type).toBe(201);
    expect((await post("text/plain", "年会召开\n\n　　年会在太原召开。\n")).status).toBe(201);
    const issue = {
      sections: [{ name: null, articles: [{ title: "年会召开", authors: [], paragraphs: ["年会在太原召开。"] }] }],
      distribution: { report: [], distribute: [], copy: [] },
    };
    expect((await post("application/json", JSON.stringify(issue))).status).toBe(201);
    // Issue JSON is checked by the importer, which names the field at fault.
    const wrong = await post("application/json", JSON.stringify({ ...issue, sections: 3 }));
    expect(wrong.status).toBe(400);
    expect(((await wrong.json()) as { message: string }).message).toContain("sections");
    await post("application/pdf", new TextEncoder().encode("%PDF-1.7\n"));
    expect(pdfsRead).toBe(1);
    expect((await post("application/octet-stream", "x")).status).toBe(415);
  });

  it("POST /api/events applies a JSON array, JSON lines and an SNS envelope alike", async () => {
    const applied: SesEvent[] = [];
    const app = createApp(
      inMemoryApiDeps({
        tokens: new InMemoryTokenRepo([ADMIN]),
        applyEvent: async (e) => {
          applied.push(e);
          return { outcome: "applied" as const, recipients: [] };
        },
      }),
    );
    const post = (type: string, body: string) =>
      app.request("/api/events", {
        method: "POST",
        headers: { authorization: "Bearer admin-secret", "content-type": type },
        body,
      });
    const events = [fixture("delivery"), fixture("bounce-permanent")];
    const bodies: [string, string][] = [
      ["application/json", JSON.stringify(events)],
      ["application/x-ndjson", events.map((e) => JSON.stringify(e)).join("\n")],
      ["text/plain", JSON.stringify([fixture("sns-notification"), events[1]])],
    ];
    for (const [type, body] of bodies) {
      applied.length = 0;
      const res = await post(type, body);
      expect(res.status, type).toBe(200);
      expect(await res.json(), type).toMatchObject({ applied: 2, invalid: [] });
      expect(applied.map((e) => e.type).sort(), type).toHaveLength(2);
    }
  });
});
