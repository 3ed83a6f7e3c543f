import { deliveryCopyLedger } from "@bulletin/core";
import {
  FakeRenderer,
  InMemoryDeliveryLedger,
  InMemoryFileStore,
  InMemoryIssueRepo,
  InMemoryQueue,
  InMemoryRecipientRepo,
  InMemorySendRepo,
  InMemorySettingsRepo,
  InMemorySuppressionRepo,
  InMemoryTokenRepo,
} from "@bulletin/core/testing";
import type { ApiDeps } from "../api-deps.ts";

/**
 * The API's dependencies as in-memory fakes, no emulator and no network: for unit tests of the HTTP
 * layer and for reading the OpenAPI document off the app (npm run lint:openapi).
 *
 * @example
 * const app = createApp(inMemoryApiDeps({ ready: async () => false }));
 */
export function inMemoryApiDeps(overrides: Partial<ApiDeps> = {}): ApiDeps {
  const sends = new InMemorySendRepo();
  const deliveries = new InMemoryDeliveryLedger();
  let ids = 0;
  return {
    issues: new InMemoryIssueRepo(),
    files: new InMemoryFileStore(),
    pdf: { read: () => Promise.reject(new Error("no PDFs here")) },
    recipients: new InMemoryRecipientRepo(),
    tokens: new InMemoryTokenRepo(),
    settings: new InMemorySettingsRepo(),
    renderer: new FakeRenderer(),
    sends,
    deliveries,
    copies: deliveryCopyLedger({ sends, deliveries }),
    queue: new InMemoryQueue(),
    dispatch: () => {},
    applyEvent: async () => ({ outcome: "ignored" as const, recipients: [] }),
    clock: { now: () => new Date() },
    publicUrl: "http://localhost:3000",
    sender: {
      fromEmail: "bulletin@example.org",
      identity: { dkim: async () => ({ status: "local" }) },
      localStack: true,
    },
    unsubscribeKey: "k".repeat(32),
    sessionKey: "s".repeat(32),
    suppressions: new InMemorySuppressionRepo(),
    unsubscribeMailto: "unsubscribe@example.org",
    ready: async () => true,
    newId: () => `id-${++ids}`,
    ...overrides,
  };
}
