import { deliveryCopyLedger } from "@bulletin/core";
import { FakeRenderer } from "@bulletin/core/testing/fake-renderer";
import { InMemoryDeliveryLedger } from "@bulletin/core/testing/in-memory-delivery-ledger";
import { InMemoryFileStore } from "@bulletin/core/testing/in-memory-file-store";
import { InMemoryIssueRepo } from "@bulletin/core/testing/in-memory-issue-repo";
import { InMemoryQueue } from "@bulletin/core/testing/in-memory-queue";
import { InMemoryRecipientRepo } from "@bulletin/core/testing/in-memory-recipient-repo";
import { InMemorySendRepo } from "@bulletin/core/testing/in-memory-send-repo";
import { InMemorySettingsRepo } from "@bulletin/core/testing/in-memory-settings-repo";
import { InMemorySuppressionRepo } from "@bulletin/core/testing/in-memory-suppression-repo";
import { InMemoryTokenRepo } from "@bulletin/core/testing/in-memory-token-repo";
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
    unsubscribeKey: "k".repeat(32),
    sessionKey: "s".repeat(32),
    suppressions: new InMemorySuppressionRepo(),
    unsubscribeMailto: "unsubscribe@example.org",
    ready: async () => true,
    newId: () => `id-${++ids}`,
    ...overrides,
  };
}
