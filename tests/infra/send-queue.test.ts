import { afterEach, describe, expect, it, vi } from "vitest";
import { tokenOf } from "./sst-stubs.ts";
import { DEPLOY_ENV, evaluate, seconds } from "./graph.ts";

afterEach(() => {
  vi.unstubAllEnvs();
});

describe("the send queue", () => {
  it("has a dead-letter queue, a visibility timeout of six sender timeouts, and pacing by concurrency", async () => {
    const { graph } = await evaluate("production", { ...DEPLOY_ENV, BULLETIN_SEND_CONCURRENCY: "7" });
    const queue = graph.byName("SendQueue");
    const dlq = graph.byName("SendDlq");
    expect(dlq.type).toBe("sst.aws.Queue");
    const redrive = queue.args.dlq as { queue: unknown; retry: number };
    expect(tokenOf(redrive.queue)).toBe("SendDlq.arn");
    expect(redrive.retry).toBe(5);
    const sender = graph.fn("sender");
    expect(seconds(queue.args.visibilityTimeout)).toBeGreaterThanOrEqual(6 * seconds(sender.args.timeout));
    const subscription = sender.extra as {
      batch: { partialResponses: boolean };
      transform: { eventSourceMapping: { scalingConfig: { maximumConcurrency: number } } };
    };
    expect(subscription.batch.partialResponses).toBe(true);
    expect(subscription.transform.eventSourceMapping.scalingConfig.maximumConcurrency).toBe(7);
    expect(sender.args.environment?.SEND_CONCURRENCY).toBe("7");
  });
});
