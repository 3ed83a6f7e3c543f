import { describe, expect, it } from "vitest";
import { createApp } from "./app.ts";
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
