import { ConflictError, InvalidInputError, NotFoundError } from "../errors/errors.ts";
import { SEND_STATUSES, type Send, type SendStatus } from "../send/send-model.ts";
import type { SendRepo } from "../send/send-ports.ts";
import type { Page, PageQuery } from "../paging.ts";
import { pageAfter } from "./paging.ts";

const PATCHABLE = ["pauseReason", "startedAt", "finishedAt", "total"] as const;

/**
 * A SendRepo in a Map, keeping the DynamoDB adapter's semantics: `transition` is conditional on the
 * current status (ConflictError when it is not in `from`, NotFoundError when the send is missing),
 * patch fields left undefined are not written, and `pauseReason` is removed whenever the send goes
 * anywhere but "paused" unless the patch gives one. Records are copied in and out.
 *
 * @example
 * const sends = new InMemorySendRepo();
 * await sends.create(send);
 * await sends.transition(send.id, ["scheduled"], "dispatching");
 */
export class InMemorySendRepo implements SendRepo {
  private readonly byId = new Map<string, Send>();
  /** Every transition made, in order: for asserting what happened. */
  readonly transitions: { id: string; from: SendStatus; to: SendStatus }[] = [];

  async create(send: Send): Promise<void> {
    if (!SEND_STATUSES.includes(send.status))
      throw new InvalidInputError("send.invalid", `unknown send status ${String(send.status)}`);
    if (this.byId.has(send.id)) throw new ConflictError("send.exists", `send ${send.id} already exists`);
    this.byId.set(send.id, copy(send));
  }

  async get(id: string): Promise<Send | null> {
    const found = this.byId.get(id);
    return found ? copy(found) : null;
  }

  async transition(
    id: string,
    from: readonly SendStatus[],
    to: SendStatus,
    patch: Partial<Pick<Send, "pauseReason" | "startedAt" | "finishedAt" | "total">> = {},
  ): Promise<Send> {
    if (from.length === 0) throw new InvalidInputError("send.invalid", `invalid send transition → ${to}`);
    const found = this.byId.get(id);
    if (!found) throw new NotFoundError("send.not-found", `no send ${id}`);
    if (!from.includes(found.status)) {
      throw new ConflictError(
        "send.conflict",
        `send ${id} is ${found.status}, not ${from.join(" or ")}; it cannot become ${to}`,
      );
    }
    const next: Send = { ...found, status: to };
    for (const field of PATCHABLE) {
      const value = patch[field];
      if (value !== undefined) (next as unknown as Record<string, unknown>)[field] = value;
    }
    if (to !== "paused" && patch.pauseReason === undefined) delete next.pauseReason;
    this.transitions.push({ id, from: found.status, to });
    this.byId.set(id, next);
    return copy(next);
  }

  async listByIssue(issueId: string, query: PageQuery = {}): Promise<Page<Send>> {
    const sorted = [...this.byId.values()]
      .filter((s) => s.issueId === issueId)
      .sort((a, b) => (sortKey(a) < sortKey(b) ? 1 : -1));
    const page = pageAfter(sorted, sortKey, query, true);
    return { ...page, items: page.items.map(copy) };
  }

  async noteReceiverPushback(id: string, group: string): Promise<void> {
    const found = this.byId.get(id);
    if (!found || found.throttledGroups?.includes(group)) return;
    this.byId.set(id, { ...found, throttledGroups: [...(found.throttledGroups ?? []), group] });
  }

  async listDue(now: string): Promise<Send[]> {
    const at = Date.parse(now);
    return [...this.byId.values()]
      .filter((s) => s.status === "scheduled" && Date.parse(s.scheduledAt ?? s.createdAt) <= at)
      .sort(
        (a, b) =>
          Date.parse(a.scheduledAt ?? a.createdAt) - Date.parse(b.scheduledAt ?? b.createdAt) || (a.id < b.id ? -1 : 1),
      )
      .map(copy);
  }
}

/** Newest first: createdAt, then id to break ties. */
function sortKey(s: Send): string {
  return `${s.createdAt}\u0000${s.id}`;
}

function copy(send: Send): Send {
  return {
    ...send,
    tiers: [...send.tiers],
    ...(send.only ? { only: [...send.only] } : {}),
    ...(send.throttledGroups ? { throttledGroups: [...send.throttledGroups] } : {}),
  };
}
