import { it } from "vitest";
import { ALL_FAULTS } from "../support/fault-proxy.ts";
import { expectSendSurvives } from "./harness.ts";

// The send queue's SQS failing 40% of its calls in every way, two seeds: enqueues duplicated or
// refused (the dispatch is run again by the sweeper), receives lost after SQS handed the batch out
// (hidden for the 30 s visibility timeout, then handed out again), deletes lost (a handled batch
// delivered again). A send to 228 recipients mails each exactly once.
it.each([22, 23])("SQS failing 40% of calls (seed %i): every recipient mailed once and accounted for", async (seed) => {
  await expectSendSurvives({
    name: `sqs 40% seed ${seed}`,
    seed,
    recipients: 200,
    faults: { sqs: { rate: 0.4, faults: ALL_FAULTS } },
  });
});
