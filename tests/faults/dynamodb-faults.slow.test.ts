import { it } from "vitest";
import { ALL_FAULTS } from "../support/fault-proxy.ts";
import { expectSendSurvives } from "./harness.ts";

// DynamoDB failing 8% of the calls of a send to 228 recipients in every way, two seeds, lost answers
// to transactions included (their retries carry the same ClientRequestToken). When a settlement's
// retries are all used up, its deliveries stay "sending" (the unknown window), which locally the
// next start resolves (as "unknown", never resent): the scenario then restarts the service on the
// same DATA_DIR, as an operator would, at most twice.
it.each([24, 25])(
  "DynamoDB failing 8% of calls (seed %i): every recipient mailed at most once and accounted for",
  async (seed) => {
    await expectSendSurvives({
      name: `dynamodb 8% seed ${seed}`,
      seed,
      recipients: 200,
      faults: { dynamodb: { rate: 0.08, faults: ALL_FAULTS } },
      holdMs: 800,
      restartsAllowed: 2,
    });
  },
);
