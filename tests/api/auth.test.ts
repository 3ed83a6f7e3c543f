import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Role } from "../../packages/core/src/index.ts";
import { startTestService } from "../support/service.ts";

// The policy, route by route: the least role that may call it. Every route of the OpenAPI document
// must be listed here, so a new route cannot slip in without one.
const POLICY: Record<string, Role> = {
  "POST /api/issues": "secretariat",
  "GET /api/issues": "viewer",
  "GET /api/issues/{id}": "viewer",
  "GET /api/issues/{id}/preview/{tier}": "viewer",
  "POST /api/recipients/import": "admin",
  "GET /api/recipients/export": "viewer",
  "GET /api/recipients": "viewer",
  "PATCH /api/recipients/{email}": "admin",
  "DELETE /api/recipients/{email}": "admin",
  "POST /api/tokens": "admin",
  "POST /api/uploads": "secretariat",
  "POST /api/events": "admin",
  "POST /api/issues/{id}/sends": "secretariat",
  "POST /api/issues/{id}/ready": "secretariat",
  "POST /api/issues/{id}/public": "secretariat",
  "GET /api/suppressions": "viewer",
  "GET /api/suppressions/{email}": "viewer",
  "POST /api/suppressions": "admin",
  "DELETE /api/suppressions/{email}": "admin",
  "GET /api/issues/{id}/sends": "viewer",
  "GET /api/sends/{id}": "viewer",
  "GET /api/sends/{id}/deliveries": "viewer",
  "POST /api/sends/{id}/pause": "secretariat",
  "POST /api/sends/{id}/resume": "secretariat",
  "POST /api/sends/{id}/cancel": "secretariat",
  "POST /api/sends/{id}/retry": "secretariat",
};
const BELOW: Record<Role, Role | null> = { viewer: null, secretariat: "viewer", admin: "secretariat" };

let ctx: Awaited<ReturnType<typeof startTestService>>;
beforeAll(async () => {
  ctx = await startTestService();
});
afterAll(async () => ctx?.service.stop());

describe("auth on every /api route", () => {
  it("the policy covers exactly the routes in /api/openapi.json, which is public", async () => {
    const res = await ctx.api("/api/openapi.json");
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { paths: Record<string, Record<string, unknown>> };
    const routes = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));
    expect(routes.sort()).toEqual(Object.keys(POLICY).sort());
  });

  it.each(Object.entries(POLICY))("%s: 401 without a token or with an unknown one, 403 below %s", async (route, least) => {
    const [method, template] = route.split(" ") as [string, string];
    const path = template.replace("{id}", "no-such-issue").replace("{tier}", "report").replace("{email}", "nobody@example.com");
    const call = (headers: Record<string, string>) => ctx.api(path, { method, headers: { "content-type": "text/plain", ...headers }, ...(method === "GET" ? {} : { body: "x" }) });
    const none = await call({});
    expect(none.status).toBe(401);
    expect(none.headers.get("www-authenticate")).toMatch(/^Bearer/);
    expect((await call({ authorization: "Bearer blt_not-a-real-token" })).status).toBe(401);
    expect((await call({ authorization: `Basic ${btoa("admin:admin")}` })).status).toBe(401);
    const below = BELOW[least];
    if (below) expect((await call({ authorization: `Bearer ${ctx.tokens[below]}` })).status).toBe(403);
    const allowed = await call({ authorization: `Bearer ${ctx.tokens[least]}` });
    expect([401, 403]).not.toContain(allowed.status);
  });

  it("keeps /healthz and the docs public", async () => {
    expect((await ctx.api("/healthz")).status).toBe(200);
    const docs = await ctx.api("/api/docs");
    expect(docs.status).toBe(200);
    expect(await docs.text()).toContain("/api/docs/assets/swagger-ui-bundle.js");
    expect((await ctx.api("/api/docs/assets/swagger-ui-bundle.js")).status).toBe(200);
  });

  it("lets an admin create tokens, stored only as a hash", async () => {
    const res = await ctx.api("/api/tokens", { role: "admin", method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ role: "viewer", label: "auditor" }) });
    expect(res.status).toBe(201);
    const { token } = (await res.json()) as { token: string };
    expect((await fetch(`${ctx.service.url}/api/issues`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    expect(await ctx.service.deps.tokens.findByHash(token)).toBeNull();
  });
});
