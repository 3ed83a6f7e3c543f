import { expect, it } from "vitest";
import { expectSendSurvives } from "./harness.ts";

// The send queue's SQS acting on the dispatch's enqueue but losing its answer, three times: the SDK
// sends the batches again each time, so every batch is on the queue three times, and then gives up,
// so the dispatch fails and leaves the send "dispatching". The claims let one copy of each address
// through, and the local watchdog dispatches the send again, which finishes it: a send to 68
// recipients mails each exactly once and finishes without a restart. (Regression: a failed dispatch
// used to wait for the next start.) Random SQS faults at a rate, with lost receives, are in
// sqs-faults.slow.test.ts.
it("SQS losing the answers to the dispatch's enqueue: batches on the queue three times, every recipient mailed once", async () => {
  const { evidence, stats } = await expectSendSurvives({
    name: "sqs lost enqueue answers",
    seed: 12,
    recipients: 40,
    faults: { sqs: { rate: 1, faults: ["reset-after"], operations: ["SendMessageBatch"], budget: 3 } },
  });
  expect(evidence.recount.totals.sent).toBe(68);
  expect(stats.sqs.byOperation.SendMessageBatch).toEqual({ requests: 3, faults: 3 });
}, 60_000);
