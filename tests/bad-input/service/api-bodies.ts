import { refusedAsTooLarge } from "../support/too-large.ts";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { IssueSchema } from "@bulletin/core";
import { issueArb } from "../../../packages/core/src/issue/issue-arbitrary.test-support.ts";
import { mutateJson } from "../support/arbitraries.ts";
import type { SharedService, TestService } from "../support/shared-service.ts";
import { tableSnapshot } from "../support/table.ts";

// Every JSON route of /api/openapi.json, sent bodies that must be refused: each field given a value
// of another type, too long, against its pattern or enum; unknown fields (also __proto__); the whole
// body another JSON value; JSON that does not parse; bytes that are not UTF-8; deep nesting; a valid
// body under a content type that is not JSON; over 16 MB. Every answer must be a 4xx of the documented
// kind with {error, message}, never 2xx or 5xx, and the table must not change at all.
const SEED = 20251204;
const SIXTEEN_MB = 16 * 1024 * 1024;

type Schema = {
  type?: string;
  enum?: string[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  maxLength?: number;
  minLength?: number;
  maxItems?: number;
  pattern?: string;
  format?: string;
  $ref?: string;
};
type Route = { method: string; template: string; schema: Schema };

/** A valid body per JSON route (never sent as is): the fuzz breaks it. A new JSON route must be added here. */
const VALID: Record<string, Record<string, unknown>> = {
  "POST /api/issues/{id}/ready": { ready: true },
  "PATCH /api/issues/{id}": { masthead: { number: "2026年第1期" } },
  "PATCH /api/issues/{id}/figures/{article}/{figure}": { alt: "会场全景", caption: "会议现场" },
  "POST /api/issues/{id}/public": { public: true },
  "PATCH /api/recipients/{email}": { name: "张三", tier: "copy" },
  "POST /api/issues/{id}/sends": { tiers: ["report"], dryRun: true },
  "POST /api/suppressions": { email: "fuzz@example.cn", detail: "手工" },
  "POST /api/tokens": { role: "viewer", label: "fuzz" },
  "POST /api/uploads": { contentType: "application/pdf", size: 1000 },
  "PUT /api/settings": {
    bulletinName: "山西通信",
    sender: "山西省通信行业协会秘书处",
    replyTo: "office@example.cn",
    footer: "地址：太原",
    tiers: { report: { note: "请审阅。" } },
  },
};

let ctx: TestService;
let routes: Route[];
let issueId: string;
let email: string;

const pathOf = (r: Route) =>
  r.template
    .replace("{id}", encodeURIComponent(issueId))
    .replace("{article}", "1")
    .replace("{figure}", "0")
    .replace("{email}", encodeURIComponent(email));
const keyOf = (r: Route) => `${r.method} ${r.template}`;

/** JSON values of every type; a field is given those whose type its schema does not allow. */
const POOL: unknown[] = [null, true, false, 0, -1, 1.5, 1e308, "", "x", [], [1], {}, { a: 1 }];
const typeOf = (v: unknown) =>
  v === null ? "null" : Array.isArray(v) ? "array" : typeof v === "number" ? "number" : typeof v;

/** Values that `schema` refuses, read from the schema itself. */
function breakers(schema: Schema, name: string): unknown[] {
  const type = schema.type ?? (schema.enum ? "string" : "object");
  const out = POOL.filter((v) => typeOf(v) !== (type === "integer" ? "number" : type));
  if (type === "string") {
    out.push("x".repeat((schema.maxLength ?? 100_000) + 1), "字".repeat(300_000));
    if (schema.enum) out.push("vip", schema.enum[0]!.toUpperCase(), ` ${schema.enum[0]}`);
    if (schema.minLength) out.push("x".repeat(schema.minLength - 1));
    if (schema.pattern && !new RegExp(schema.pattern).test("a\nb"))
      out.push("张三\r\nBcc: victim@example.net", "a\u0000b", "a\u2028b", "a\u0085b");
    if (schema.format === "date-time") out.push("yesterday", "2025-13-01T00:00:00Z", "2000-01-01T00:00:00Z");
    if (name === "email") out.push("张三@example.cn", "zs＠example.cn", "a@b", "a@b@c.cn");
  }
  if (type === "array" && schema.items) {
    out.push(
      ...breakers(schema.items, name)
        .slice(0, 6)
        .map((v) => [v]),
    );
    if (schema.maxItems)
      out.push(
        Array.from({ length: schema.maxItems + 1 }, (_, i) =>
          schema.items!.enum ? schema.items!.enum[0] : `a${i}@example.cn`,
        ),
      );
    if (name === "only") out.push(["张三@example.cn"]);
  }
  return out;
}

/** A request that must be refused, and the statuses that may refuse it. */
type Bad = { label: string; body: BodyInit; type?: string; statuses: number[] };

function badRequests(route: Route): fc.Arbitrary<Bad> {
  const valid = VALID[keyOf(route)]!;
  const props = route.schema.properties ?? {};
  const json = (label: string, body: unknown): Bad => ({
    label,
    body: JSON.stringify(body),
    type: "application/json",
    statuses: [400],
  });
  const fieldBreak = fc
    .constantFrom(...Object.entries(props))
    .chain(([name, schema]) =>
      fc
        .constantFrom(...breakers(schema, name))
        .map((v) => json(`${name} = ${JSON.stringify(v)?.slice(0, 60)}`, { ...valid, [name]: v })),
    );
  const extraField = fc
    .tuple(
      fc.oneof(
        fc.constantFrom("__proto__", "constructor", "", "extra", "Role", "isAdmin"),
        fc.string({ maxLength: 8 }),
      ),
      fc.jsonValue({ maxDepth: 2 }),
    )
    .filter(([k]) => !(k in props))
    .map(([k, v]) => {
      const body = JSON.parse(JSON.stringify(valid)) as Record<string, unknown>;
      Object.defineProperty(body, k, { value: v, enumerable: true, writable: true, configurable: true });
      return json(`extra field ${JSON.stringify(k)}`, body);
    });
  const missing = fc.constantFrom(...(route.schema.required ?? ["-"])).map((k) => {
    const { [k]: _gone, ...rest } = valid;
    return json(`without ${k}`, k === "-" ? [valid] : rest);
  });
  const otherValue = fc.oneof(
    fc.constantFrom<unknown>(null, [], [valid], "text", 0, true, { ...valid, nested: { deep: valid } }),
    fc.jsonValue({ maxDepth: 3 }).filter((v) => typeOf(v) !== "object"),
  );
  const notJson = fc.constantFrom(
    "",
    " ",
    "{",
    "}",
    `${JSON.stringify(valid)} x`,
    JSON.stringify(valid).replace(/"/g, "'"),
    "NaN",
    `{"a":1,}`,
    JSON.stringify(valid).slice(0, -1),
    "[".repeat(100_000),
    `{"x":${"[".repeat(100_000)}${"]".repeat(100_000)}}`,
  );
  const text = JSON.stringify(valid);
  const notUtf8 = fc.constantFrom([0xff], [0xc3, 0x28], [0xed, 0xa0, 0x80], [0xe4, 0xb8]).map((bad) => {
    const cut = 2; // inside the first key: {"…
    return {
      label: `bytes ${bad.join(" ")} inside a key`,
      body: Buffer.concat([Buffer.from(text.slice(0, cut)), Buffer.from(bad), Buffer.from(text.slice(cut))]),
      type: "application/json",
      statuses: [400],
    } satisfies Bad;
  });
  const wrongType = fc
    .constantFrom(
      "text/plain",
      "application/x-www-form-urlencoded",
      "multipart/form-data; boundary=x",
      "application/xml",
      "text/json",
      "application/javascript",
      undefined,
    )
    .map(
      (type) =>
        ({
          label: `valid body as ${type ?? "no content type"}`,
          body:
            type === "application/x-www-form-urlencoded"
              ? new URLSearchParams(valid as Record<string, string>).toString()
              : text,
          type,
          statuses: [415],
        }) satisfies Bad,
    );
  return fc.oneof(
    { weight: 6, arbitrary: fieldBreak },
    { weight: 2, arbitrary: extraField },
    { weight: 1, arbitrary: missing },
    { weight: 2, arbitrary: otherValue.map((v) => json(`body ${JSON.stringify(v).slice(0, 40)}`, v)) },
    {
      weight: 2,
      arbitrary: notJson.map(
        (body) =>
          ({ label: `not JSON: ${body.slice(0, 30)}`, body, type: "application/json", statuses: [400] }) satisfies Bad,
      ),
    },
    { weight: 1, arbitrary: notUtf8 },
    { weight: 2, arbitrary: wrongType },
  );
}

async function send(route: Route, bad: Bad) {
  const headers: Record<string, string> = bad.type ? { "content-type": bad.type } : {};
  return ctx.api(pathOf(route), { role: "admin", method: route.method, headers, body: bad.body });
}

async function expectRefused(route: Route, bad: Bad) {
  const res = await send(route, bad);
  const what = `${keyOf(route)}: ${bad.label}`;
  expect(bad.statuses, `${what} → ${res.status}`).toContain(res.status);
  expect(res.headers.get("content-type"), what).toMatch(/^application\/json/);
  const body = (await res.json()) as Record<string, unknown>;
  expect(Object.keys(body).sort(), what).toEqual(["error", "message"]);
  expect(typeof body.error === "string" && typeof body.message === "string" && body.message.length > 0, what).toBe(
    true,
  );
  return body as { error: string; message: string };
}

/** The suite, on the shared service (see tests/bad-input/service.test.ts). */
export function apiBodies(shared: SharedService) {
  beforeAll(async () => {
    ctx = shared.ctx;
    issueId = (await ctx.service.deps.issues.list()).items[0]!.id;
    email = (await ctx.service.deps.recipients.list({ limit: 1 })).items[0]!.email;
    const doc = (await (await ctx.api("/api/openapi.json")).json()) as {
      paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: Schema }> } }>>;
      components: { schemas: Record<string, Schema> };
    };
    const resolve = (s: Schema): Schema => (s.$ref ? doc.components.schemas[s.$ref.split("/").pop()!]! : s);
    routes = Object.entries(doc.paths).flatMap(([template, ops]) =>
      Object.entries(ops).flatMap(([method, op]) => {
        const content = op.requestBody?.content ?? {};
        const json = content["application/json"];
        // A route that takes other media types too (POST /api/issues: a PDF, text, Markdown or JSON)
        // answers a JSON body sent as another type by reading it as that type: its own suites test it.
        return json && Object.keys(content).length === 1
          ? [{ method: method.toUpperCase(), template, schema: resolve(json.schema) }]
          : [];
      }),
    );
  }, 60_000);

  describe("JSON bodies of every /api route that takes one", () => {
    it("the fuzz knows every JSON route of the OpenAPI document, and each valid body it breaks is valid", async () => {
      expect(routes.map(keyOf).sort()).toEqual(Object.keys(VALID).sort());
      // Clients validate by the document: every pattern must be an ECMA-262 regex the valid value matches.
      for (const route of routes) {
        for (const [name, prop] of Object.entries(route.schema.properties ?? {})) {
          if (prop.pattern)
            expect(
              new RegExp(prop.pattern).test(String(VALID[keyOf(route)]![name] ?? "张三")),
              `${keyOf(route)} ${name}: ${prop.pattern}`,
            ).toBe(true);
        }
      }
      const before = await tableSnapshot(ctx.service);
      // The dry run alone of the valid bodies: it stores nothing, and shows the base is accepted.
      const dry = await ctx.api(`/api/issues/${issueId}/sends`, {
        role: "admin",
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(VALID["POST /api/issues/{id}/sends"]),
      });
      expect(dry.status).toBe(200);
      expect(await tableSnapshot(ctx.service)).toEqual(before);
    });

    it("refuses broken bodies with 400 or 415 and {error, message}, and stores nothing", async () => {
      const before = await tableSnapshot(ctx.service);
      for (const route of routes) {
        const cases = fc.sample(badRequests(route), { numRuns: 30, seed: SEED });
        for (const bad of cases) await expectRefused(route, bad);
      }
      expect(await tableSnapshot(ctx.service)).toEqual(before);
    }, 60_000);

    it("says what is wrong: the field and the rule, or that the JSON or its encoding is bad", async () => {
      const tokens = routes.find((r) => r.template === "/api/tokens" && r.method === "POST")!;
      expect(
        await expectRefused(tokens, {
          label: "",
          body: '{"role":"root","label":"x"}',
          type: "application/json",
          statuses: [400],
        }),
      ).toEqual({ error: "invalid-request", message: expect.stringMatching(/^role: /) });
      expect(
        await expectRefused(tokens, {
          label: "",
          body: '{"role":"viewer","label":"x","isAdmin":true}',
          type: "application/json",
          statuses: [400],
        }),
      ).toEqual({ error: "invalid-request", message: expect.stringMatching(/isAdmin/) });
      expect(
        await expectRefused(tokens, { label: "", body: '{"role":', type: "application/json", statuses: [400] }),
      ).toEqual({ error: "invalid-request", message: expect.stringMatching(/JSON/) });
      expect(
        await expectRefused(tokens, {
          label: "",
          body: '{"role":"viewer","label":"x"}',
          type: "text/plain",
          statuses: [415],
        }),
      ).toEqual({ error: "unsupported-media-type", message: expect.stringMatching(/Media Type/i) });
      expect(
        await expectRefused(tokens, {
          label: "",
          body: Buffer.from([0x7b, 0xff, 0x7d]),
          type: "application/json",
          statuses: [400],
        }),
      ).toEqual({ error: "invalid-encoding", message: expect.stringMatching(/UTF-8/) });
      const patch = routes.find((r) => r.method === "PATCH" && r.template === "/api/recipients/{email}")!;
      expect(
        (
          await expectRefused(patch, {
            label: "",
            body: JSON.stringify({ name: "张三\r\nBcc: x@example.net" }),
            type: "application/json",
            statuses: [400],
          })
        ).message,
      ).toMatch(/^name: no control characters or line breaks/);
    });

    it("refuses bodies over 16 MB with 413, whether their length is announced or streamed, and takes one just under", async () => {
      const before = await tableSnapshot(ctx.service);
      const tokens = routes.find((r) => r.template === "/api/tokens" && r.method === "POST")!;
      const big = `{"role":"viewer","label":"${"x".repeat(SIXTEEN_MB)}"}`;
      expect(["413", "closed"]).toContain(
        await refusedAsTooLarge(() =>
          send(tokens, { label: "17 MB", body: big, type: "application/json", statuses: [413] }),
        ),
      );

      const chunks = Array.from({ length: 17 }, (_, i) =>
        new TextEncoder().encode(
          i === 0 ? `{"role":"viewer","label":"${"x".repeat(1024 * 1024 - 27)}` : "x".repeat(1024 * 1024),
        ),
      );
      const stream = new ReadableStream<Uint8Array>({
        pull(controller) {
          const next = chunks.shift();
          if (next) controller.enqueue(next);
          else controller.close();
        },
      });
      const streamed = await refusedAsTooLarge(() =>
        fetch(`${ctx.service.url}/api/tokens`, {
          method: "POST",
          headers: { authorization: `Bearer ${ctx.tokens.admin}`, "content-type": "application/json" },
          body: stream,
          duplex: "half",
        } as RequestInit),
      );
      expect(["413", "closed"]).toContain(streamed);

      // 15 MB is under the limit: read, parsed, and refused for what it says (label is too long).
      const under = `{"role":"viewer","label":"${"字".repeat(5 * 1024 * 1024)}"}`;
      expect(
        (await expectRefused(tokens, { label: "15 MB", body: under, type: "application/json", statuses: [400] }))
          .message,
      ).toMatch(/^label: /);
      expect(await tableSnapshot(ctx.service)).toEqual(before);
    }, 30_000);
  });

  describe("POST /api/issues with Issue JSON that is almost right", () => {
    it("stores exactly the bodies IssueSchema accepts; the others get 400 and leave no issue behind", async () => {
      const bodies = fc.sample(
        fc.tuple(issueArb, fc.integer({ min: 0, max: 2 })).chain(([issue, n]) => mutateJson(issue, n)),
        { numRuns: 20, seed: SEED },
      );
      const count = async () => (await ctx.service.deps.issues.list({ limit: 100 })).items.length;
      for (const body of bodies) {
        const before = await count();
        const res = await ctx.api("/api/issues", {
          role: "secretariat",
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(body),
        });
        const valid = IssueSchema.safeParse(body).success;
        expect(res.status, JSON.stringify(body).slice(0, 200)).toBe(valid ? 201 : 400);
        if (!valid)
          expect(await res.json()).toEqual({
            error: expect.stringMatching(/^import\./),
            message: expect.stringMatching(/^not an Issue: /),
          });
        expect(await count()).toBe(before + (valid ? 1 : 0));
      }
    });
  });
}
