import type { Clock } from "../clock.ts";
import type { Send, SendRequest } from "./send-model.ts";
import type { SendRepo } from "./send-ports.ts";

/**
 * Creates a send of an issue and starts it: "scheduled" when `scheduledAt` is in the future (the
 * scheduler dispatches it then), otherwise "dispatching", handed to the dispatcher at once. What
 * POST /api/issues/:id/sends and the dashboard's send button both do; the audience is resolved by
 * the dispatcher.
 *
 * @example
 * const send = await startSend("issue-1", { tiers: ["report"], test: false, resend: false }, { sends, clock, newId, dispatch });
 */
export async function startSend(
  issueId: string,
  request: SendRequest,
  deps: { sends: SendRepo; clock: Clock; newId(): string; dispatch(sendId: string): Promise<void> | void },
): Promise<Send> {
  const now = deps.clock.now();
  const future = request.scheduledAt !== undefined && Date.parse(request.scheduledAt) > now.getTime();
  const send: Send = {
    id: deps.newId(),
    issueId,
    ...request,
    status: future ? "scheduled" : "dispatching",
    createdAt: now.toISOString(),
    total: 0,
  };
  await deps.sends.create(send);
  if (!future) await deps.dispatch(send.id);
  return send;
}
