/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import { type Role, tokenUsable } from "@bulletin/core";
import type { Context } from "hono";
import { getCookie } from "hono/cookie";
import { createMiddleware } from "hono/factory";
import type { ApiDeps } from "../api-deps.ts";
import { Layout, sendPage, type Viewer } from "./layout.tsx";
import { ROLE_LABELS } from "./labels.ts";
import { LoginForm } from "./login-form.tsx";
import { hasRole } from "./roles.ts";
import { checkCsrf, csrfToken, SESSION_COOKIE, verifySession } from "./session.ts";

export type DashboardEnv = { Variables: { viewer: Viewer } };

/** The only dashboard path that answers without a session. */
export const LOGIN_PATH = "/admin/login";

// Pages hold recipients' addresses: never cached, never framed, nothing loaded from elsewhere.
// Inline styles only; the preview's sandboxed srcdoc iframe inherits this policy, images aside. The
// one script is our own (the PDF upload), and it may talk to us and PUT to S3's presigned URLs.
const SECURITY_HEADERS: Record<string, string> = {
  "Cache-Control": "no-store",
  "Content-Security-Policy":
    "default-src 'none'; script-src 'self'; connect-src 'self' https://*.amazonaws.com; style-src 'unsafe-inline'; img-src 'self' data: https:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "same-origin",
};

/**
 * The guard in front of every /admin route: security headers; for a state-changing request an
 * Origin that is not ours is refused (403); then, except on the sign-in page, a valid session of
 * a token that still exists (401 otherwise: the sign-in page for GET) and, for anything but
 * GET/HEAD, the session's CSRF token in the `_csrf` form field (403 otherwise).
 *
 * @example
 * app.use("/admin", dashboardGuard(deps)).use("/admin/*", dashboardGuard(deps));
 */
export function dashboardGuard(deps: ApiDeps) {
  const ownOrigins = (c: Context) => [new URL(c.req.url).origin, new URL(deps.publicUrl).origin];
  return createMiddleware<DashboardEnv>(async (c, next) => {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) c.header(name, value);
    const changes = c.req.method !== "GET" && c.req.method !== "HEAD";
    const origin = c.req.header("origin");
    // Browsers send Origin on every cross-site POST; a form on another site cannot forge it.
    if (changes && origin !== undefined && !ownOrigins(c).includes(origin))
      return forbidden(c, "请求来源不符，未做任何更改。");
    if (c.req.path === LOGIN_PATH) return next();
    const cookie = getCookie(c, SESSION_COOKIE);
    const now = deps.clock.now();
    const session = verifySession(deps.sessionKey, cookie, now);
    // The role is the stored token's, read every time: a revoked or expired token signs its sessions out.
    const token = session ? await deps.tokens.findByHash(session.tokenHash) : null;
    if (!tokenUsable(token, now) || !cookie) return unauthorized(c, changes);
    const viewer = { token, csrf: csrfToken(deps.sessionKey, cookie) };
    if (changes) {
      const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
      if (!checkCsrf(deps.sessionKey, cookie, form._csrf))
        return forbidden(c, "表单已失效（CSRF 校验失败），请刷新页面后重试，未做任何更改。", viewer);
    }
    c.set("viewer", viewer);
    await next();
  });
}

/**
 * 403 unless the signed-in token has at least `role` (viewer < secretariat < admin).
 *
 * @example
 * app.post("/admin/sends/:id/pause", needs("secretariat"), handler);
 */
export function needs(role: Role) {
  return createMiddleware<DashboardEnv>(async (c, next) => {
    const viewer = c.get("viewer");
    if (!hasRole(viewer.token.role, role))
      return forbidden(c, `此操作需要${ROLE_LABELS[role]}权限，当前令牌为${ROLE_LABELS[viewer.token.role]}。`, viewer);
    await next();
  });
}

function unauthorized(c: Context, changes: boolean): Promise<Response> {
  if (changes) {
    return sendPage(
      c,
      <Layout title="未登录" error="未登录或登录已过期，未做任何更改。">
        <p>
          <a href={LOGIN_PATH}>登录</a>
        </p>
      </Layout>,
      401,
    );
  }
  const next = new URL(c.req.url);
  return sendPage(
    c,
    <Layout title="登录">
      <LoginForm next={next.pathname + next.search} />
    </Layout>,
    401,
  );
}

function forbidden(c: Context, message: string, viewer?: Viewer): Promise<Response> {
  return sendPage(
    c,
    <Layout title="无权操作" viewer={viewer} error={message}>
      <p>
        <a href="/admin">返回概览</a>
      </p>
    </Layout>,
    403,
  );
}
