import { ROLES } from "@bulletin/core";
import { describe, expect, it } from "vitest";
import { hashToken } from "../auth/tokens.ts";
import type { ApiDeps } from "../api-deps.ts";
import { loginRoutes, safeNext } from "./login-routes.tsx";
import { hasRole } from "./roles.ts";
import { checkCsrf, csrfToken, signSession, verifySession } from "./session.ts";

const KEY = "k".repeat(32);
const hash = hashToken("blt_secret");
const now = new Date("2026-03-01T08:00:00Z");
const later = new Date(now.getTime() + 3600_000);

describe("session cookies", () => {
  it("verify only what we signed, until it expires", () => {
    const cookie = signSession(KEY, hash, later);
    expect(verifySession(KEY, cookie, now)).toEqual({ tokenHash: hash, expiresAt: later });
    expect(verifySession(KEY, cookie, later)).toBeNull();
    expect(verifySession("x".repeat(32), cookie, now)).toBeNull();
    expect(
      verifySession(
        KEY,
        cookie.replace(/\.(\d+)\./, (_, e: string) => `.${Number(e) + 1}.`),
        now,
      ),
    ).toBeNull();
    expect(
      verifySession(
        KEY,
        cookie.replace(/^./, (c) => (c === "a" ? "b" : "a")),
        now,
      ),
    ).toBeNull();
    for (const junk of [undefined, "", "abc", `${cookie}x`, cookie.slice(0, -1)])
      expect(verifySession(KEY, junk, now)).toBeNull();
  });

  it("hold the token's hash, never the secret", () => {
    expect(signSession(KEY, hash, later)).not.toContain("blt_secret");
  });

  it("have a CSRF token bound to the exact cookie, which never passes as a session MAC", () => {
    const cookie = signSession(KEY, hash, later);
    const token = csrfToken(KEY, cookie);
    expect(checkCsrf(KEY, cookie, token)).toBe(true);
    expect(checkCsrf(KEY, signSession(KEY, hash, new Date(later.getTime() + 1000)), token)).toBe(false);
    for (const wrong of [undefined, "", `${token}x`, token.slice(1), 42])
      expect(checkCsrf(KEY, cookie, wrong)).toBe(false);
    expect(token).not.toBe(cookie.split(".")[2]);
  });
});

describe("roles and redirects", () => {
  it("rank the roles as the API does: viewer < secretariat < admin", () => {
    expect(ROLES).toEqual(["admin", "secretariat", "viewer"]);
    expect(hasRole("admin", "admin") && hasRole("admin", "viewer") && hasRole("secretariat", "secretariat")).toBe(true);
    expect(hasRole("viewer", "secretariat") || hasRole("secretariat", "admin")).toBe(false);
  });

  it("send a signed-in user back only into /admin", () => {
    expect(safeNext("/admin")).toBe("/admin");
    expect(safeNext("/admin/sends/x?status=bounced&q=%E5%B1%B1")).toBe("/admin/sends/x?status=bounced&q=%E5%B1%B1");
    for (const bad of [
      "https://evil.example/admin",
      "//evil.example",
      "/admin//evil.example",
      "/admin/../api",
      "/adminx",
      "/admin\\x",
      "/api",
      7,
      undefined,
    ]) {
      expect(safeNext(bad)).toBe("/admin");
    }
  });
});

describe("the sign-in cookie", () => {
  it("is Secure when the service is served over https", async () => {
    const token = { hash, role: "viewer" as const, label: "t", createdAt: now.toISOString() };
    const deps = {
      tokens: { findByHash: async (h: string) => (h === hash ? token : null) },
      publicUrl: "https://bulletin.example.org",
      sessionKey: KEY,
      clock: { now: () => now },
    } as unknown as ApiDeps;
    const res = await loginRoutes(deps).request("https://bulletin.example.org/admin/login", {
      method: "POST",
      body: new URLSearchParams({ token: "blt_secret" }),
    });
    expect(res.status).toBe(303);
    expect(res.headers.get("set-cookie")).toMatch(/; Path=\/admin; Expires=[^;]+; HttpOnly; Secure; SameSite=Strict$/);
  });
});
