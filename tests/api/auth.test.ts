import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashToken } from "../../packages/api/src/auth/tokens.ts";
import { SESSION_COOKIE, signSession } from "../../packages/api/src/dashboard/session.ts";
import type { Role } from "@bulletin/core";
import { startTestService } from "../support/service.ts";

// The policy, route by route: the least role that may call it. Every route of the OpenAPI document
// must be listed here, so a new route cannot slip in without one.
const POLICY: Record<string, Role> = {
  "POST /api/issues": "secretariat",
  "GET /api/issues": "viewer",
  "GET /api/issues/{id}": "viewer",
  "PATCH /api/issues/{id}": "secretariat",
  "PATCH /api/issues/{id}/figures/{article}/{figure}": "secretariat",
  "DELETE /api/issues/{id}/figures/{article}/{figure}": "secretariat",
  "GET /api/issues/{id}/preview/{tier}": "viewer",
  "POST /api/recipients/import": "admin",
  "GET /api/recipients/export": "viewer",
  "GET /api/recipients": "viewer",
  "PATCH /api/recipients/{email}": "admin",
  "DELETE /api/recipients/{email}": "admin",
  "POST /api/tokens": "admin",
  "POST /api/uploads": "secretariat",
  "GET /api/tokens": "admin",
  "DELETE /api/tokens/{id}": "admin",
  "GET /api/settings": "viewer",
  "PUT /api/settings": "admin",
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
  "GET /api/sends/{id}/organisations": "viewer",
  "GET /api/sends/{id}/report.xlsx": "viewer",
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
    const routes = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`),
    );
    expect(routes.sort()).toEqual(Object.keys(POLICY).sort());
  });

  it.each(Object.entries(POLICY))(
    "%s: 401 without a token or with an unknown one, 403 below %s",
    async (route, least) => {
      const [method, template] = route.split(" ") as [string, string];
      const path = template
        .replace("{id}", "no-such-issue")
        .replace("{article}", "1")
        .replace("{figure}", "0")
        .replace("{tier}", "report")
        .replace("{email}", "nobody@example.com");
      const call = (headers: Record<string, string>) =>
        ctx.api(path, {
          method,
          headers: { "content-type": "text/plain", ...headers },
          ...(method === "GET" ? {} : { body: "x" }),
        });
      const none = await call({});
      expect(none.status).toBe(401);
      expect(none.headers.get("www-authenticate")).toMatch(/^Bearer/);
      expect((await call({ authorization: "Bearer blt_not-a-real-token" })).status).toBe(401);
      expect((await call({ authorization: `Basic ${btoa("admin:admin")}` })).status).toBe(401);
      const below = BELOW[least];
      if (below) expect((await call({ authorization: `Bearer ${ctx.tokens[below]}` })).status).toBe(403);
      const allowed = await call({ authorization: `Bearer ${ctx.tokens[least]}` });
      expect([401, 403]).not.toContain(allowed.status);
    },
  );

  it("keeps /healthz and the docs public", async () => {
    expect((await ctx.api("/healthz")).status).toBe(200);
    const docs = await ctx.api("/api/docs");
    expect(docs.status).toBe(200);
    expect(await docs.text()).toContain("/api/docs/assets/swagger-ui-bundle.js");
    expect((await ctx.api("/api/docs/assets/swagger-ui-bundle.js")).status).toBe(200);
  });

  it("lets an admin create tokens, stored only as a hash", async () => {
    const res = await ctx.api("/api/tokens", {
      role: "admin",
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ role: "viewer", label: "auditor" }),
    });
    expect(res.status).toBe(201);
    const { token } = (await res.json()) as { token: string };
    expect(
      (await fetch(`${ctx.service.url}/api/issues`, { headers: { authorization: `Bearer ${token}` } })).status,
    ).toBe(200);
    expect(await ctx.service.deps.tokens.findByHash(token)).toBeNull();
  });

  it("lists tokens without their secret or hash; a revoked token, and its dashboard session, is refused at once", async () => {
    const admin = (path: string, init: RequestInit = {}) =>
      ctx.api(path, {
        role: "admin",
        ...init,
        headers: { "content-type": "application/json", ...(init.headers as Record<string, string> | undefined) },
      });
    const created = (await (
      await admin("/api/tokens", { method: "POST", body: JSON.stringify({ role: "secretariat", label: "泄露的令牌" }) })
    ).json()) as { id: string; token: string };
    const leaked = created.token;
    const asLeaked = (path: string) =>
      fetch(`${ctx.service.url}${path}`, { headers: { authorization: `Bearer ${leaked}` } });
    expect((await asLeaked("/api/issues")).status).toBe(200);
    const session = `${SESSION_COOKIE}=${signSession(ctx.service.deps.sessionKey, hashToken(leaked), new Date(Date.now() + 3600_000))}`;
    expect((await fetch(`${ctx.service.url}/admin`, { headers: { cookie: session } })).status).toBe(200);

    const listed = await (await admin("/api/tokens")).text();
    expect(listed).not.toContain(leaked);
    expect(listed).not.toContain(hashToken(leaked));
    const items = (
      JSON.parse(listed) as {
        items: { id: string; label: string; role: string; createdAt: string; lastUsedAt?: string; expired: boolean }[];
      }
    ).items;
    const mine = items.find((t) => t.id === created.id)!;
    expect(mine).toMatchObject({ label: "泄露的令牌", role: "secretariat", expired: false });
    expect(mine.lastUsedAt).toBeDefined();

    expect((await admin(`/api/tokens/${created.id}`, { method: "DELETE" })).status).toBe(204);
    expect((await asLeaked("/api/issues")).status).toBe(401);
    expect((await fetch(`${ctx.service.url}/admin`, { headers: { cookie: session } })).status).toBe(401);
    expect((await admin(`/api/tokens/${created.id}`, { method: "DELETE" })).status).toBe(404);
  });

  it("refuses an expired token, an expiry in the past, and revoking the last admin token", async () => {
    const admin = (path: string, init: RequestInit = {}) =>
      ctx.api(path, { role: "admin", ...init, headers: { "content-type": "application/json" } });
    const past = await admin("/api/tokens", {
      method: "POST",
      body: JSON.stringify({ role: "viewer", label: "x", expiresAt: "2020-01-01T00:00:00+08:00" }),
    });
    expect(past.status).toBe(400);
    expect(await past.json()).toMatchObject({ error: "token.expiry-past" });
    const soon = new Date(Date.now() + 1500).toISOString();
    const { token, expiresAt } = (await (
      await admin("/api/tokens", {
        method: "POST",
        body: JSON.stringify({ role: "viewer", label: "短期", expiresAt: soon }),
      })
    ).json()) as { token: string; expiresAt: string };
    expect(expiresAt).toBe(soon);
    expect(
      (await fetch(`${ctx.service.url}/api/issues`, { headers: { authorization: `Bearer ${token}` } })).status,
    ).toBe(200);
    await new Promise((r) => setTimeout(r, 1600));
    expect(
      (await fetch(`${ctx.service.url}/api/issues`, { headers: { authorization: `Bearer ${token}` } })).status,
    ).toBe(401);
    const list = (
      (await (await admin("/api/tokens")).json()) as {
        items: { id: string; role: string; label: string; expired: boolean }[];
      }
    ).items;
    expect(list.find((t) => t.label === "短期")?.expired).toBe(true);
    const admins = list.filter((t) => t.role === "admin" && !t.expired);
    expect(admins).toHaveLength(1);
    const last = await admin(`/api/tokens/${admins[0]!.id}`, { method: "DELETE" });
    expect(last.status).toBe(409);
    expect(await last.json()).toMatchObject({ error: "token.last-admin" });
  });

  it("refuses an anonymous request before reading its body", async () => {
    // 16 MB announced, 1 KB sent and the rest held back: the 401 must come without waiting for it
    // (reading the body first let 30 anonymous clients push the service from 594 to 971 MB).
    const { port } = new URL(ctx.service.url);
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        {
          host: "127.0.0.1",
          port,
          method: "POST",
          path: "/api/recipients/import",
          headers: { "content-type": "text/csv", "content-length": String(16 * 1024 * 1024 - 1) },
        },
        (res) => {
          resolve(res.statusCode ?? 0);
          req.destroy();
        },
      );
      req.on("error", reject);
      req.write("x".repeat(1024));
      setTimeout(() => reject(new Error("no answer before the body was sent")), 5000).unref();
    });
    expect(status).toBe(401);
  });
});
