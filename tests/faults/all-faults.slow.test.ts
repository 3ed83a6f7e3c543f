import { it } from "vitest";
import { ALL_FAULTS } from "../support/fault-proxy.ts";
import { expectSendSurvives } from "./harness.ts";

// All three failing at once (SES 40% of its SendBulkEmail calls, a handful in all; SQS 30%; DynamoDB
// 5%; every kind of fault), a send to 228
// recipients: nobody mailed twice, nobody lost, counters equal to the records (send-evidence.ts). A send
// stuck by DynamoDB calls whose retries ran out is recovered by a restart, at most twice.
it("SES, SQS and DynamoDB failing together: every recipient mailed at most once and accounted for", async () => {
  await expectSendSurvives({
    name: "all at once",
    seed: 26,
    recipients: 200,
    faults: {
      // Only about five SendBulkEmail calls, and the other SES calls draw from the same random, so
      // the first is made to fail: the scenario always has an SES fault in it.
      ses: { rate: 0.4, faults: ALL_FAULTS, operations: ["SendBulkEmail"], atLeast: 1 },
      sqs: { rate: 0.3, faults: ALL_FAULTS },
      dynamodb: { rate: 0.05, faults: ALL_FAULTS },
    },
    // SES's held calls are dropped after 2 s here; ses-faults.slow.test.ts waits out the client's own 10 s timeout.
    sesHoldMs: 2_000,
    restartsAllowed: 2,
  });
});
