/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import { tokenUsable } from "@bulletin/core";
import { Hono } from "hono";
import { deleteCookie, setCookie } from "hono/cookie";
import type { ApiDeps } from "../api-deps.ts";
import { hashToken } from "../auth/tokens.ts";
import { type DashboardEnv, LOGIN_PATH } from "./auth.tsx";
import { Layout, sendPage } from "./layout.tsx";
import { LoginForm } from "./login-form.tsx";
import { SESSION_COOKIE, SESSION_TTL_MS, signSession } from "./session.ts";

/**
 * Where to go after signing in: only back into the dashboard, never to another site (an open
 * redirect would make our sign-in page a phishing tool).
 *
 * @example
 * safeNext("/admin/sends/1?status=bounced"); // "/admin/sends/1?status=bounced"
 * safeNext("https://evil.example"); // "/admin"
 */
export function safeNext(next: unknown): string {
  return typeof next === "string" &&
    /^\/admin(?:[/?][^\\\s]*)?$/.test(next) &&
    !next.includes("..") &&
    !next.startsWith("/admin//")
    ? next
    : "/admin";
}

/**
 * GET/POST /admin/login (public) and POST /admin/logout (signed in, CSRF-checked by the guard).
 * The cookie holds no secret: the token hash, expiry and HMAC (see session.ts).
 */
export function loginRoutes(deps: ApiDeps) {
  const app = new Hono<DashboardEnv>();
  const cookieOptions = {
    path: "/admin",
    httpOnly: true,
    sameSite: "Strict",
    secure: deps.publicUrl.startsWith("https:"),
  } as const;

  app.get(LOGIN_PATH, (c) =>
    sendPage(
      c,
      <Layout title="登录">
        <LoginForm next={safeNext(c.req.query("next"))} />
      </Layout>,
    ),
  );

  app.post(LOGIN_PATH, async (c) => {
    const form = await c.req.parseBody();
    const secret = typeof form.token === "string" ? form.token.trim() : "";
    const next = safeNext(form.next);
    const token = secret ? await deps.tokens.findByHash(hashToken(secret)) : null;
    const now = deps.clock.now();
    if (!tokenUsable(token, now))
      return sendPage(
        c,
        <Layout title="登录">
          <LoginForm next={next} error="令牌无效、已被撤销或已过期。" />
        </Layout>,
        401,
      );
    // Never past the token's own expiry.
    const expiresAt = new Date(
      Math.min(now.getTime() + SESSION_TTL_MS, token.expiresAt ? Date.parse(token.expiresAt) : Infinity),
    );
    setCookie(c, SESSION_COOKIE, signSession(deps.sessionKey, token.hash, expiresAt), {
      ...cookieOptions,
      expires: expiresAt,
    });
    return c.redirect(next, 303);
  });

  app.post("/admin/logout", (c) => {
    deleteCookie(c, SESSION_COOKIE, cookieOptions);
    return c.redirect(LOGIN_PATH, 303);
  });
  return app;
}
