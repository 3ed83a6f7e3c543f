import { describe, expect, it } from "vitest";
import { createApp } from "./app.ts";
import { InMemoryTokenRepo } from "@bulletin/core/testing";
import { hashToken } from "./auth/tokens.ts";
import { csrfToken, SESSION_COOKIE, signSession } from "./dashboard/session.ts";
import { inMemoryApiDeps } from "./testing/in-memory-api-deps.ts";

// Unit tests of the HTTP layer alone, with in-memory fakes; the routes against the real stack are in tests/api.
const appWith = (ready: () => Promise<boolean>) => createApp(inMemoryApiDeps({ ready }));

describe("GET /healthz", () => {
  it("answers 503 until the stack is ready, 200 once it is", async () => {
    expect((await appWith(async () => false).request("/healthz")).status).toBe(503);
    expect((await appWith(async () => Promise.reject(new Error("ECONNREFUSED"))).request("/healthz")).status).toBe(503);
    const up = await appWith(async () => true).request("/healthz");
    expect(up.status).toBe(200);
    expect(await up.json()).toEqual({ status: "ok" });
  });
});

describe("errors: one mapper, one code per case, {error, message}", () => {
  const at = new Date().toISOString();
  const tokens = new InMemoryTokenRepo([
    { hash: hashToken("viewer-secret"), role: "viewer", label: "v", createdAt: at },
    { hash: hashToken("secretariat-secret"), role: "secretariat", label: "s", createdAt: at },
  ]);
  const app = createApp(inMemoryApiDeps({ tokens }));
  const call = (path: string, init: RequestInit & { as?: string } = {}) =>
    app.request(path, {
      ...init,
      headers: {
        authorization: `Bearer ${init.as ?? "secretariat"}-secret`,
        ...(init.headers as Record<string, string>),
      },
    });
  const answer = async (res: Response) => ({
    status: res.status,
    body: (await res.json()) as { error: string; message: string },
  });
  const postJson = (body: string) => ({ method: "POST", headers: { "content-type": "application/json" }, body });

  it("answers each missing thing 404 with its own code, never the bare not-found", async () => {
    const cases: [string, RequestInit, string][] = [
      ["/api/issues/nope", {}, "issue.not-found"],
      ["/api/issues/nope/preview/report", {}, "issue.not-found"],
      ["/api/issues/nope/sends", postJson("{}"), "issue.not-found"],
      ["/api/sends/nope", {}, "send.not-found"],
      ["/api/sends/nope/pause", { method: "POST" }, "send.not-found"],
      ["/api/sends/nope/organisations", {}, "send.not-found"],
      ["/api/suppressions/never%40example.cn", {}, "suppression.not-found"],
    ];
    for (const [path, init, code] of cases) {
      const { status, body } = await answer(await call(path, init));
      expect({ path, status, error: body.error }).toEqual({ path, status: 404, error: code });
      expect(Object.keys(body).sort()).toEqual(["error", "message"]);
      expect(body.message).not.toBe("");
    }
  });

  it("answers a missing token 401 with WWW-Authenticate, a low role 403, from the same mapper", async () => {
    const anonymous = await app.request("/api/issues");
    expect(anonymous.headers.get("www-authenticate")).toBe('Bearer realm="bulletin"');
    expect(await answer(anonymous)).toEqual({
      status: 401,
      body: { error: "unauthorized", message: "a valid bearer token is required" },
    });
    const { status, body } = await answer(
      await call("/api/uploads", { as: "viewer", ...postJson('{"contentType":"application/pdf","size":1}') }),
    );
    expect({ status, error: body.error }).toEqual({ status: 403, error: "forbidden" });
  });

  it("answers HTTP-level refusals with their codes: 415, a body not UTF-8, a body too large (closing the connection), a bad field", async () => {
    expect(
      (await answer(await call("/api/issues", { method: "POST", headers: { "content-type": "image/png" }, body: "x" })))
        .body.error,
    ).toBe("unsupported-media-type");
    const latin1 = await call("/api/suppressions", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: new Uint8Array([0x7b, 0xe9, 0x7d]),
    });
    expect({ status: latin1.status, error: (await latin1.json()).error }).toEqual({
      status: 400,
      error: "invalid-encoding",
    });
    const huge = await call("/api/suppressions", {
      method: "POST",
      headers: { "content-type": "application/json", "content-length": String(20 * 1024 * 1024) },
      body: "{}",
    });
    expect({
      status: huge.status,
      connection: huge.headers.get("connection"),
      error: (await huge.json()).error,
    }).toEqual({ status: 413, connection: "close", error: "too-large" });
    const bad = await answer(await call("/api/uploads", postJson('{"contentType":"text/plain","size":1}')));
    expect({ status: bad.status, error: bad.body.error }).toEqual({ status: 400, error: "invalid-request" });
  });
});

describe("POST /admin/uploads: the import page's script asks where to put a PDF", () => {
  const tokens = new InMemoryTokenRepo([
    { hash: hashToken("secretariat-secret"), role: "secretariat", label: "s", createdAt: new Date().toISOString() },
  ]);
  const deps = inMemoryApiDeps({ tokens });
  const app = createApp(deps);
  const session = signSession(deps.sessionKey, hashToken("secretariat-secret"), new Date(Date.now() + 3600_000));
  const ask = async (size: string) => {
    const res = await app.request("/admin/uploads", {
      method: "POST",
      headers: { cookie: `${SESSION_COOKIE}=${session}` },
      body: new URLSearchParams({ _csrf: csrfToken(deps.sessionKey, session), size, name: "简报.pdf" }),
    });
    return { status: res.status, type: res.headers.get("content-type"), body: await res.json() };
  };

  // The script shows `message` after "无法导入：", so it must be the clerk's words, not the API's English.
  it("refuses a size that is not a whole number of bytes: 400, in Chinese", async () => {
    for (const size of ["", "0", "-5", "1.5", "abc"])
      expect({ size, ...(await ask(size)) }).toEqual({
        size,
        status: 400,
        type: "application/json",
        body: { error: "upload.size-invalid", message: "文件大小无效，请重新选择文件。" },
      });
  });

  it("refuses a PDF over 30 MB with the API's code: 413, in Chinese", async () => {
    expect(await ask(String(30 * 1024 * 1024 + 1))).toEqual({
      status: 413,
      type: "application/json",
      body: { error: "import.too-large", message: "PDF 超过 30 MB，无法导入。请压缩其中的图片后重新导出。" },
    });
  });

  it("gives a PDF within the limit its key and signed URL: 201", async () => {
    const { status, body } = await ask(String(30 * 1024 * 1024));
    expect({ status, keys: Object.keys(body).sort() }).toEqual({ status: 201, keys: ["headers", "key", "url"] });
  });
});
