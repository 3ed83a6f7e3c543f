import { dispatchSend, InvalidInputError } from "@bulletin/core";
import { container } from "../container.ts";

// Invoked asynchronously (by the api, or the scheduler) with { sendId }: resolves the audience,
// writes the deliveries and enqueues the batches. Safe to run twice for one send.
export const handler = async (event: { sendId?: unknown }) => {
  if (typeof event?.sendId !== "string" || event.sendId === "")
    throw new InvalidInputError("dispatch.event", "the dispatcher needs { sendId }");
  const rt = container();
  const result = await dispatchSend(event.sendId, {
    ...rt.stores,
    queue: rt.queue,
    clock: rt.clock,
    suppressed: (emails) => rt.stores.suppressions.suppressed(emails),
  });
  console.log(JSON.stringify({ msg: "dispatched", sendId: event.sendId, ...result }));
  return result;
};
