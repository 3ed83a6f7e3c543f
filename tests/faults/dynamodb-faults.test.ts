import { it } from "vitest";
import { ALL_FAULTS } from "../support/fault-proxy.ts";
import { expectSendSurvives } from "./harness.ts";

// DynamoDB failing 4% of calls in every way, including answers lost after a conditional write was
// applied (the SDK then retries it and finds its own write): a send to 68 recipients mails each
// once, and the counters still equal the records.
it("DynamoDB failing 4% of calls: every recipient mailed at most once and accounted for", async () => {
  await expectSendSurvives({ name: "dynamodb 4%", seed: 13, recipients: 40, faults: { dynamodb: { rate: 0.04, faults: ALL_FAULTS } }, holdMs: 300 });
}, 60_000);
