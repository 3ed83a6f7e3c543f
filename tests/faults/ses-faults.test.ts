import { expect, it } from "vitest";
import { ALL_FAULTS } from "../support/fault-proxy.ts";
import { expectSendSurvives } from "./harness.ts";

// SES answering 20% of calls with a fault of every kind (throttling, 500, 503, resets and held
// answers before and after SES accepted the message; held ones dropped after 0.3 s): a send to
// 68 recipients mails nobody twice and accounts for everyone (see violations() in harness.ts).
// Longer and harsher runs: *.slow.test.ts (npm run test:faults).
it("SES failing 20% of calls: every recipient mailed at most once and accounted for", async () => {
  const { evidence } = await expectSendSurvives({ name: "ses 20%", seed: 11, recipients: 40, faults: { ses: { rate: 0.2, faults: ALL_FAULTS } }, sesHoldMs: 300 });
  // The resets and held answers after SES accepted a message: those recipients are "unknown".
  expect(evidence.recount.totals.unknown).toBeGreaterThan(0);
}, 60_000);
