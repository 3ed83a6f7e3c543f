// `@bulletin/core/testing`: the in-memory fakes of core's ports and the test clocks, for unit tests of
// the packages that use core (the API's, the dashboard's). The port contracts are
// `@bulletin/core/testing/contracts`.
export { FakeMailer, type FakeMailerOptions, ACCOUNT_PAUSED_MESSAGE, REJECTED_MESSAGE } from "./fake-mailer.ts";
export { FakeRenderer } from "./fake-renderer.ts";
export { InMemoryDeliveryLedger } from "./in-memory-delivery-ledger.ts";
export { InMemoryFileStore } from "./in-memory-file-store.ts";
export { InMemoryIssueRepo } from "./in-memory-issue-repo.ts";
export { InMemoryQueue } from "./in-memory-queue.ts";
export { fixedClock, InMemoryRecipientRepo } from "./in-memory-recipient-repo.ts";
export { InMemorySendRepo } from "./in-memory-send-repo.ts";
export { InMemorySettingsRepo } from "./in-memory-settings-repo.ts";
export { InMemorySuppressionRepo } from "./in-memory-suppression-repo.ts";
export { InMemoryTokenRepo } from "./in-memory-token-repo.ts";
export { ManualClock, seededRandom } from "./manual-clock.ts";
