import { expect, it } from "vitest";
import { ALL_FAULTS } from "../support/fault-proxy.ts";
import { expectSendSurvives } from "./harness.ts";

// SES failing 12% of the calls of a send to 228 recipients, in every way; timeouts end at the SES
// client's own 10 s timeout (TimeoutError), as on AWS. Nobody mailed twice, nobody lost, counters
// equal to the records, and every address SES accepted recorded sent or unknown (send-evidence.ts).
it("SES failing 12% of calls, real client timeouts: every recipient mailed at most once and accounted for", async () => {
  const { evidence, stats } = await expectSendSurvives({
    name: "ses 12%",
    seed: 21,
    recipients: 200,
    faults: { ses: { rate: 0.12, faults: ALL_FAULTS } },
  });
  expect(stats.ses.faults.timeout + stats.ses.faults["timeout-after"]).toBeGreaterThan(0);
  // Certainly refused calls (throttling, 5xx, resets before SES) are retried and end sent; the rest are unknown.
  expect(evidence.recount.totals.unknown).toBeGreaterThan(0);
  expect(evidence.recount.totals.failed).toBe(0);
});
