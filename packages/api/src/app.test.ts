import type { Clock, IssueRepo } from "@bulletin/core";
import { DEFAULT_RENDER_SETTINGS, deliveryCopyLedger } from "@bulletin/core";
import { InMemoryDeliveryLedger, InMemoryFileStore, InMemoryQueue, InMemoryRecipientRepo, InMemorySendRepo, InMemorySuppressionRepo, InMemorySettingsRepo, InMemoryTokenRepo } from "@bulletin/core/testing";
import { MjmlRenderer } from "@bulletin/mjml";
import { describe, expect, it } from "vitest";
import type { ApiDeps } from "./api-deps.ts";
import { createApp } from "./app.ts";

// Unit tests of the HTTP layer alone, with in-memory fakes; the routes against the real stack are in tests/api.
const noIssues: IssueRepo = {
  create: async () => {},
  get: async () => null,
  list: async () => ({ items: [] }),
  setReady: async () => Promise.reject(new Error("no issues")),
  setPublished: async () => Promise.reject(new Error("no issues")),
  setMasthead: async () => Promise.reject(new Error("no issues")),
  setSections: async () => Promise.reject(new Error("no issues")),
};
const clock: Clock = { now: () => new Date("2026-11-22T00:00:00Z") };

function deps(ready: () => Promise<boolean>): ApiDeps {
  const sends = new InMemorySendRepo();
  const deliveries = new InMemoryDeliveryLedger();
  return {
    issues: noIssues,
    files: new InMemoryFileStore(),
    pdf: { read: () => Promise.reject(new Error("no PDFs here")) },
    recipients: new InMemoryRecipientRepo(),
    tokens: new InMemoryTokenRepo(),
    settings: new InMemorySettingsRepo(),
    renderer: new MjmlRenderer(DEFAULT_RENDER_SETTINGS),
    sends,
    deliveries,
    copies: deliveryCopyLedger({ sends, deliveries }),
    queue: new InMemoryQueue(),
    dispatch: () => {},
    applyEvent: async () => ({ outcome: "ignored" as const, recipients: [] }),
    clock,
    publicUrl: "http://localhost:3000",
    sender: { fromEmail: "bulletin@example.org", identity: { dkim: async () => ({ status: "local" }) }, localStack: true },
    unsubscribeKey: "k".repeat(32),
    sessionKey: "s".repeat(32),
    suppressions: new InMemorySuppressionRepo(),
    unsubscribeMailto: "unsubscribe@example.org",
    ready,
    newId: () => "id",
  };
}

describe("GET /healthz", () => {
  it("answers 503 until the stack is ready, 200 once it is", async () => {
    expect((await createApp(deps(async () => false)).request("/healthz")).status).toBe(503);
    expect((await createApp(deps(async () => Promise.reject(new Error("ECONNREFUSED")))).request("/healthz")).status).toBe(503);
    const up = await createApp(deps(async () => true)).request("/healthz");
    expect(up.status).toBe(200);
    expect(await up.json()).toEqual({ status: "ok" });
  });
});
