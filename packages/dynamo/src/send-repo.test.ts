import { ConflictError, InvalidInputError, NotFoundError, type Send } from "@bulletin/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestTable, type TestTable } from "./test-table.test-support.ts";
import { DynamoSendRepo } from "./send-repo.ts";

let t: TestTable;
let repo: DynamoSendRepo;

beforeAll(async () => {
  t = await startTestTable();
  repo = new DynamoSendRepo({ client: t.client, tableName: t.tableName });
});
afterAll(() => t?.close());

function send(id: string, over: Partial<Send> = {}): Send {
  return {
    id,
    issueId: "issue-1",
    status: "dispatching",
    tiers: ["report", "distribute"],
    test: false,
    resend: false,
    createdAt: "2025-09-01T08:00:00.000Z",
    total: 0,
    ...over,
  };
}

describe("DynamoSendRepo", () => {
  it("creates and reads back exactly the send; a second create is a ConflictError", async () => {
    const s = send("s-create", { only: ["a@example.cn"], test: true, scheduledAt: "2025-09-02T00:00:00.000Z" });
    await repo.create(s);
    expect(await repo.get("s-create")).toEqual(s);
    expect(await repo.get("missing")).toBeNull();
    await expect(repo.create({ ...s, total: 9 })).rejects.toBeInstanceOf(ConflictError);
    expect((await repo.get("s-create"))?.total).toBe(0);
  });

  it("transitions conditionally, returning the updated send", async () => {
    await repo.create(send("s-tr"));
    const started = await repo.transition("s-tr", ["dispatching"], "sending", {
      startedAt: "2025-09-01T08:01:00.000Z",
      total: 12,
    });
    expect(started).toEqual(send("s-tr", { status: "sending", startedAt: "2025-09-01T08:01:00.000Z", total: 12 }));
    const paused = await repo.transition("s-tr", ["sending", "dispatching"], "paused", {
      pauseReason: "SES quota reached",
    });
    expect(paused.pauseReason).toBe("SES quota reached");
    // pauseReason explains a pause only: it goes when the send moves on.
    const resumed = await repo.transition("s-tr", ["paused"], "sending");
    expect(resumed.pauseReason).toBeUndefined();
    expect(await repo.get("s-tr")).toEqual(resumed);
  });

  it("refuses a transition from another status (ConflictError) and of a missing send (NotFoundError)", async () => {
    await repo.create(send("s-conf", { status: "finished" }));
    await expect(repo.transition("s-conf", ["sending", "paused"], "cancelled")).rejects.toBeInstanceOf(ConflictError);
    expect((await repo.get("s-conf"))?.status).toBe("finished");
    await expect(repo.transition("nope", ["sending"], "paused")).rejects.toBeInstanceOf(NotFoundError);
    await expect(repo.transition("s-conf", [], "paused")).rejects.toBeInstanceOf(InvalidInputError);
  });

  it("lists the sends of an issue newest first, with a cursor", async () => {
    for (let i = 0; i < 5; i++) {
      await repo.create(send(`s-list-${i}`, { issueId: "issue-list", createdAt: `2025-09-0${i + 1}T00:00:00.000Z` }));
    }
    await repo.create(send("s-other", { issueId: "issue-other" }));
    const first = await repo.listByIssue("issue-list", { limit: 3 });
    expect(first.items.map((s) => s.id)).toEqual(["s-list-4", "s-list-3", "s-list-2"]);
    expect(first.cursor).toBeDefined();
    const second = await repo.listByIssue("issue-list", { limit: 3, cursor: first.cursor });
    expect(second.items.map((s) => s.id)).toEqual(["s-list-1", "s-list-0"]);
    expect(second.cursor).toBeUndefined();
    await expect(repo.listByIssue("issue-other", { cursor: first.cursor })).rejects.toBeInstanceOf(InvalidInputError);
  });

  it("lists due scheduled sends only, and forgets them once they leave 'scheduled'", async () => {
    const now = "2025-10-01T09:00:00.000Z";
    await repo.create(send("due-past", { status: "scheduled", scheduledAt: "2025-10-01T08:59:59.999Z" }));
    await repo.create(send("due-now", { status: "scheduled", scheduledAt: now }));
    await repo.create(send("due-later", { status: "scheduled", scheduledAt: "2025-10-01T09:00:00.001Z" }));
    await repo.create(send("due-unset", { status: "scheduled", createdAt: "2025-10-01T07:00:00.000Z" }));
    await repo.create(send("not-scheduled", { status: "sending", scheduledAt: "2025-09-01T00:00:00.000Z" }));
    const due = await repo.listDue(now);
    expect(due.map((s) => s.id)).toEqual(["due-unset", "due-past", "due-now"]);
    expect(due[1]).toEqual(send("due-past", { status: "scheduled", scheduledAt: "2025-10-01T08:59:59.999Z" }));

    await repo.transition("due-past", ["scheduled"], "dispatching");
    await repo.transition("due-unset", ["scheduled"], "cancelled");
    expect((await repo.listDue(now)).map((s) => s.id)).toEqual(["due-now"]);
    expect((await repo.listDue("2025-10-02T00:00:00.000Z")).map((s) => s.id)).toEqual(["due-now", "due-later"]);
    // Re-entering "scheduled" puts it back in the index under its original time.
    await repo.transition("due-past", ["dispatching"], "scheduled");
    expect((await repo.listDue(now)).map((s) => s.id)).toEqual(["due-past", "due-now"]);
  });
});
