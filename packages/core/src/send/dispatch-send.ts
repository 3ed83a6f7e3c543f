import { ConflictError, NotFoundError } from "../errors/errors.ts";
import type { Clock } from "../clock.ts";
import type { IssueRepo } from "../issue/issue-repo.ts";
import type { RecipientRepo } from "../audience/recipient-repo.ts";
import { forEachAudiencePage } from "./resolve-audience.ts";
import { enqueueQueued } from "./enqueue-queued.ts";
import { finishIfDone } from "./finish-send.ts";
import type { Delivery, Send, SendStatus } from "./send-model.ts";
import type { CopyLedger, DeliveryLedger, SendQueue, SendRepo } from "./send-ports.ts";

export interface DispatchDeps {
  sends: SendRepo;
  issues: IssueRepo;
  recipients: RecipientRepo;
  copies: CopyLedger;
  deliveries: DeliveryLedger;
  queue: SendQueue;
  clock: Clock;
  /** Addresses per queue message; default 50. */
  batchSize?: number;
  /** The account's suppression list, when known (see resolveAudience). */
  suppressed?: (emails: readonly string[]) => Promise<Set<string>>;
}

export interface DispatchResult {
  /** The send's status when dispatch ended: sending, finished, or whatever stopped it (paused, cancelled…). */
  status: SendStatus;
  /** Deliveries of the send (queued + skipped, and whatever they became), from the counters. */
  total: number;
  /** Addresses this run put on the queue. */
  enqueued: number;
}

/** The statuses dispatch may start from: a crashed dispatcher leaves "dispatching" behind. */
const DISPATCHABLE: readonly SendStatus[] = ["scheduled", "dispatching"];

/**
 * Turns a send into deliveries and queue messages:
 *
 * 1. scheduled | dispatching → dispatching (startedAt set the first time);
 * 2. resolve the audience and write every delivery — queued targets and skipped ones with their
 *    reason — through DeliveryLedger.add, which leaves existing deliveries as they are;
 * 3. enqueue, in batches, the deliveries that are queued *in the ledger now*;
 * 4. dispatching → sending with the total (→ finished at once when nothing is queued).
 *
 * Safe to run again after a crash at any step: step 1 accepts "dispatching", step 2 never
 * overwrites a delivery that has moved on (sent, failed…), and step 3 reads the ledger, so a
 * delivery that is no longer queued is never enqueued again. An address that is still queued may be
 * enqueued a second time — harmless, since the sender's claim (queued → sending) is conditional and
 * only one message can win it. Enqueuing comes before the last transition, so a crash can never
 * leave a "sending" send without its queue messages. A send already past dispatch (or cancelled) is
 * left alone.
 *
 * @example
 * const { status, total } = await dispatchSend(send.id, { sends, issues, recipients, copies, deliveries, queue, clock });
 */
export async function dispatchSend(sendId: string, deps: DispatchDeps): Promise<DispatchResult> {
  const send = await deps.sends.get(sendId);
  if (!send) throw new NotFoundError("send.not-found", `no send ${sendId}`);
  if (!DISPATCHABLE.includes(send.status)) return { status: send.status, total: send.total, enqueued: 0 };
  // Checked before any write, so a send whose issue is gone stays as it was instead of half-dispatched.
  if (!(await deps.issues.get(send.issueId)))
    throw new NotFoundError("issue.not-found", `send ${sendId} is for issue ${send.issueId}, which does not exist`);

  const now = deps.clock.now().toISOString();
  const started = await moveOrStop(deps.sends, send, DISPATCHABLE, "dispatching", { startedAt: send.startedAt ?? now });
  if (!started) return stopped(deps, sendId);

  // A page of recipients at a time: a long list is never held in memory whole.
  const base = { sendId, attempts: 0, createdAt: now, updatedAt: now };
  const audienceInput = {
    issueId: send.issueId,
    request: send,
    recipients: deps.recipients,
    copies: deps.copies,
    ...(deps.suppressed ? { suppressed: deps.suppressed } : {}),
  };
  await forEachAudiencePage(audienceInput, async (page) => {
    const deliveries: Delivery[] = [
      ...page.targets.map((t): Delivery => ({ ...base, email: t.email, tier: t.tier, status: "queued" })),
      ...page.skipped.map(
        (s): Delivery => ({ ...base, email: s.email, tier: s.tier, status: "skipped", reason: s.reason }),
      ),
    ];
    if (deliveries.length > 0) await deps.deliveries.add(deliveries);
  });

  const enqueued = await enqueueQueued(sendId, deps);

  // The counters, not the audience, give the total: on a re-run they also hold what the first run
  // wrote and what senders have done since.
  const { totals } = await deps.deliveries.totals(sendId);
  const total = Object.values(totals).reduce((a, b) => a + b, 0);
  const done = totals.queued + totals.sending === 0;
  const moved = await moveOrStop(
    deps.sends,
    { id: sendId },
    ["dispatching"],
    done ? "finished" : "sending",
    done ? { total, finishedAt: deps.clock.now().toISOString() } : { total },
  );
  if (!moved) {
    // Paused or cancelled while dispatching: keep that status, but record the total all the same.
    const current = await deps.sends.get(sendId);
    if (current && (current.status === "paused" || current.status === "cancelled")) {
      await moveOrStop(deps.sends, current, [current.status], current.status, { total });
    }
    return { ...(await stopped(deps, sendId)), enqueued };
  }
  // Senders may already have worked through every batch while the send was still "dispatching":
  // their finish check could not finish it then, so this one must.
  const finished = !done && (await finishIfDone(sendId, deps));
  return { status: done || finished ? "finished" : "sending", total, enqueued };
}

/** A conditional transition; false (not an error) when the send has moved on meanwhile. */
async function moveOrStop(
  sends: SendRepo,
  send: Pick<Send, "id">,
  from: readonly SendStatus[],
  to: SendStatus,
  patch: Partial<Pick<Send, "pauseReason" | "startedAt" | "finishedAt" | "total">>,
): Promise<boolean> {
  try {
    await sends.transition(send.id, from, to, patch);
    return true;
  } catch (error) {
    if (error instanceof ConflictError) return false;
    throw error;
  }
}

async function stopped(deps: DispatchDeps, sendId: string): Promise<DispatchResult> {
  const current = await deps.sends.get(sendId);
  if (!current) throw new NotFoundError("send.not-found", `no send ${sendId}`);
  return { status: current.status, total: current.total, enqueued: 0 };
}
