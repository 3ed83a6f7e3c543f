import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashToken } from "../../packages/api/src/auth/tokens.ts";
import { dashboardRoutes } from "../../packages/api/src/dashboard/dashboard-routes.tsx";
import { SESSION_COOKIE, signSession } from "../../packages/api/src/dashboard/session.ts";
import type { Role } from "@bulletin/core";
import { startTestService } from "../support/service.ts";

// The dashboard's policy, route by route: the least role that may use it. Every route the
// dashboard registers must be listed, so a new page cannot slip in without a decision.
const POLICY: Record<string, Role | "public"> = {
  "GET /admin/login": "public",
  "POST /admin/login": "public",
  "POST /admin/logout": "viewer",
  "GET /admin": "viewer",
  "GET /admin/issues/:id": "viewer",
  "GET /admin/issues/:id/preview/:tier": "viewer",
  "GET /admin/issues/:id/audience": "viewer",
  "POST /admin/issues/:id/send": "secretariat",
  "POST /admin/issues/:id/test-send": "secretariat",
  "POST /admin/issues/:id/masthead": "secretariat",
  "POST /admin/issues/:id/figures/:article{[0-9]{1,5}}/:figure{[0-9]{1,4}}": "secretariat",
  "POST /admin/issues/:id/figures/:article{[0-9]{1,5}}/:figure{[0-9]{1,4}}/remove": "secretariat",
  "POST /admin/issues/:id/ready": "secretariat",
  "POST /admin/issues/:id/public": "secretariat",
  "GET /admin/import": "secretariat",
  "POST /admin/import": "secretariat",
  "POST /admin/uploads": "secretariat",
  "GET /admin/assets/upload.js": "viewer",
  "GET /admin/sends/:id": "viewer",
  "POST /admin/sends/:id/pause": "secretariat",
  "POST /admin/sends/:id/resume": "secretariat",
  "POST /admin/sends/:id/cancel": "secretariat",
  "POST /admin/sends/:id/retry": "secretariat",
  "GET /admin/sends/:id/deliveries.csv": "viewer",
  "GET /admin/sends/:id/organisations": "viewer",
  "GET /admin/sends/:id/report.xlsx": "viewer",
  "GET /admin/recipients": "viewer",
  "POST /admin/recipients": "admin",
  "POST /admin/recipients/import": "admin",
  "GET /admin/recipients/:email": "viewer",
  "POST /admin/recipients/:email": "admin",
  "POST /admin/recipients/:email/delete": "admin",
  "GET /admin/suppressions": "viewer",
  "POST /admin/suppressions/lift": "admin",
  "GET /admin/tokens": "admin",
  "GET /admin/settings": "viewer",
  "POST /admin/settings": "admin",
  "POST /admin/tokens": "admin",
  "POST /admin/tokens/:id/revoke": "admin",
};
const PROTECTED = Object.entries(POLICY).filter((e): e is [string, Role] => e[1] !== "public");
const BELOW: Record<Role, Role | null> = { viewer: null, secretariat: "viewer", admin: "secretariat" };
const SUPPRESSED = "dashboard-auth@bounce.example.org";

let ctx: Awaited<ReturnType<typeof startTestService>>;
let issueId: string;
let scheduledSendId: string;
const sessions = {} as Record<Role, { cookie: string; csrf: string }>;

/** Signs in through the form, as a browser does; the CSRF token comes from the page's sign-out form. */
async function signIn(role: Role) {
  const res = await fetch(`${ctx.service.url}/admin/login`, {
    method: "POST",
    body: new URLSearchParams({ token: ctx.tokens[role] }),
    redirect: "manual",
  });
  expect(res.status).toBe(303);
  const cookie = res.headers.get("set-cookie")!.split(";")[0]!;
  const page = await (await fetch(`${ctx.service.url}/admin`, { headers: { cookie } })).text();
  return { cookie, csrf: /name="_csrf" value="([^"]+)"/.exec(page)![1]! };
}

function call(
  method: string,
  path: string,
  opts: { cookie?: string; form?: Record<string, string>; headers?: Record<string, string> } = {},
) {
  return fetch(`${ctx.service.url}${path}`, {
    method,
    redirect: "manual",
    headers: { ...(opts.cookie ? { cookie: opts.cookie } : {}), ...opts.headers },
    ...(method === "GET" ? {} : { body: new URLSearchParams(opts.form ?? {}) }),
  });
}

/** What a state-changing POST could touch: issues and their marks, the sends, the suppression list. */
async function snapshot() {
  const deps = ctx.service.deps;
  return JSON.stringify([
    (await deps.issues.list({ limit: 100 })).items,
    (await deps.sends.listByIssue(issueId, { limit: 100 })).items,
    (await deps.suppressions.list({ limit: 100 })).items,
    (await deps.tokens.list()).map((t) => ({ ...t, lastUsedAt: undefined })),
    (await deps.recipients.list({ limit: 100 })).items,
    await deps.settings.get(),
  ]);
}

beforeAll(async () => {
  ctx = await startTestService();
  issueId = (await ctx.service.deps.issues.list()).items[0]!.id;
  // A send far in the future: real ids for the controls, and nothing is mailed.
  const res = await ctx.api(`/api/issues/${issueId}/sends`, {
    role: "admin",
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ scheduledAt: "2099-01-01T00:00:00Z" }),
  });
  scheduledSendId = ((await res.json()) as { sendId: string }).sendId;
  await ctx.service.deps.suppressions.suppress({
    email: SUPPRESSED,
    reason: "bounce",
    detail: "General",
    at: new Date().toISOString(),
  });
  for (const role of ["viewer", "secretariat", "admin"] as const) sessions[role] = await signIn(role);
}, 60_000);
afterAll(async () => ctx?.service.stop());

describe("auth on every /admin route", () => {
  it("the policy covers exactly the routes the dashboard registers", () => {
    const routes = new Set(
      dashboardRoutes(ctx.service.deps)
        .routes.filter((r) => r.method !== "ALL")
        .map((r) => `${r.method} ${r.path}`),
    );
    expect([...routes].sort()).toEqual(Object.keys(POLICY).sort());
  });

  it.each(PROTECTED)("%s: 401 without a valid session, 403 below %s, allowed for it", async (route, least) => {
    const [method, template] = route.split(" ") as [string, string];
    // Ids that do not exist: the allowed role gets a 404 or a redirect, and nothing real changes.
    const path = template
      .replace(":id", "no-such-id")
      .replace(":article{[0-9]{1,5}}", "1")
      .replace(":figure{[0-9]{1,4}}", "0")
      .replace(":tier", "report")
      .replace(":email", "nobody%40example.org");
    const expired = `${SESSION_COOKIE}=${signSession(ctx.service.deps.sessionKey, hashToken(ctx.tokens[least]), new Date(Date.now() - 1000))}`;
    const forged = `${SESSION_COOKIE}=${signSession("not-our-key-".repeat(3), hashToken(ctx.tokens.admin), new Date(Date.now() + 3600_000))}`;
    const unknownToken = `${SESSION_COOKIE}=${signSession(ctx.service.deps.sessionKey, hashToken("blt_deleted-or-never-issued"), new Date(Date.now() + 3600_000))}`;
    const tampered = sessions.admin.cookie.replace(/\.(\d+)\./, (_, exp: string) => `.${Number(exp) + 3600}.`);
    for (const cookie of [undefined, expired, forged, unknownToken, tampered, `${SESSION_COOKIE}=garbage`]) {
      const res = await call(method, path, { ...(cookie ? { cookie } : {}), form: { _csrf: sessions.admin.csrf } });
      expect(res.status, `${route} with ${cookie ?? "no cookie"}`).toBe(401);
      const body = await res.text();
      // GET answers with the sign-in page, coming back here afterwards.
      if (method === "GET") expect(body).toContain('action="/admin/login"');
    }
    const below = BELOW[least];
    if (below) {
      const res = await call(method, path, { cookie: sessions[below].cookie, form: { _csrf: sessions[below].csrf } });
      expect(res.status).toBe(403);
    }
    const allowed = await call(method, path, { cookie: sessions[least].cookie, form: { _csrf: sessions[least].csrf } });
    expect([401, 403]).not.toContain(allowed.status);
    expect(allowed.headers.get("cache-control")).toBe("no-store");
  });

  it("refuses every POST without the session's _csrf, with a wrong one, or from another origin, and changes nothing", async () => {
    const before = await snapshot();
    const posts = PROTECTED.filter(([route]) => route.startsWith("POST "));
    for (const [route, least] of posts) {
      const path = route
        .slice(5)
        .replace(":id", route.includes("/sends/") ? scheduledSendId : issueId)
        .replace(":email", "leader1%40sxca.example.gov.cn");
      const { cookie, csrf } = sessions[least];
      const form = {
        confirm: "yes",
        ready: "yes",
        public: "yes",
        email: SUPPRESSED,
        text: "【协会消息】\n# 标题\n正文。",
      };
      const other = sessions[least === "admin" ? "secretariat" : "admin"].csrf;
      for (const attempt of [
        form,
        { ...form, _csrf: "" },
        { ...form, _csrf: `${csrf}x` },
        { ...form, _csrf: other },
      ] as Record<string, string>[]) {
        expect(
          (await call("POST", path, { cookie, form: attempt })).status,
          `${route} ${JSON.stringify(attempt._csrf)}`,
        ).toBe(403);
      }
      const crossSite = await call("POST", path, {
        cookie,
        form: { ...form, _csrf: csrf },
        headers: { origin: "https://evil.example" },
      });
      expect(crossSite.status, `${route} from another origin`).toBe(403);
    }
    expect(await snapshot()).toBe(before);
    // Still signed in: a refused POST does not end the session.
    expect((await call("GET", "/admin", { cookie: sessions.admin.cookie })).status).toBe(200);
  });

  it("a POST with the right _csrf and our own origin goes through", async () => {
    const { cookie, csrf } = sessions.secretariat;
    const res = await call("POST", `/admin/issues/${issueId}/ready`, {
      cookie,
      form: { _csrf: csrf, ready: "yes" },
      headers: { origin: ctx.service.url },
    });
    expect(res.status).toBe(303);
    expect((await ctx.service.deps.issues.get(issueId))!.readyAt).toBeDefined();
    await call("POST", `/admin/issues/${issueId}/ready`, { cookie, form: { _csrf: csrf, ready: "no" } });
    expect((await ctx.service.deps.issues.get(issueId))!.readyAt).toBeUndefined();
  });
});

describe("sign-in and sign-out", () => {
  it("sets an HttpOnly, SameSite=Strict cookie on /admin (not Secure over http), and only for a real token", async () => {
    const res = await call("POST", "/admin/login", {
      form: { token: ctx.tokens.viewer, next: "https://evil.example/" },
    });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/admin");
    const cookie = res.headers.get("set-cookie")!;
    expect(cookie).toMatch(new RegExp(`^${SESSION_COOKIE}=`));
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; SameSite=Strict/);
    expect(cookie).toMatch(/; Path=\/admin/);
    expect(cookie).not.toMatch(/; Secure/);
    // The cookie holds the token's hash, never the token.
    expect(cookie).not.toContain(ctx.tokens.viewer);

    const wrong = await call("POST", "/admin/login", { form: { token: "blt_not-a-real-token" } });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get("set-cookie")).toBeNull();
    expect(await wrong.text()).toContain("令牌无效");
  });

  it("refuses a sign-in posted from another site", async () => {
    const res = await call("POST", "/admin/login", {
      form: { token: ctx.tokens.admin },
      headers: { origin: "https://evil.example" },
    });
    expect(res.status).toBe(403);
    expect(res.headers.get("set-cookie")).toBeNull();
  });

  it("brings the user back to the page that asked, and only within /admin", async () => {
    const asked = await call("GET", "/admin/sends/abc?status=bounced");
    expect(await asked.text()).toContain('value="/admin/sends/abc?status=bounced"');
    for (const [next, to] of [
      ["/admin/sends/abc?status=bounced", "/admin/sends/abc?status=bounced"],
      ["//evil.example", "/admin"],
      ["/admin/../api", "/admin"],
      ["/adminx", "/admin"],
    ]) {
      const res = await call("POST", "/admin/login", { form: { token: ctx.tokens.viewer, next: next! } });
      expect(res.headers.get("location"), next).toBe(to);
    }
  });

  it("signs out: the cookie is cleared", async () => {
    const { cookie, csrf } = await signIn("viewer");
    const res = await call("POST", "/admin/logout", { cookie, form: { _csrf: csrf } });
    expect(res.status).toBe(303);
    expect(res.headers.get("set-cookie")).toMatch(new RegExp(`^${SESSION_COOKIE}=;.*Max-Age=0`));
  });
});
