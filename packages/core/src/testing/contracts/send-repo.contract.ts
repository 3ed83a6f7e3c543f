import { describe, expect, it } from "vitest";
import { ConflictError, NotFoundError } from "../../errors/errors.ts";
import type { Send } from "../../send/send-model.ts";
import type { SendRepo } from "../../send/send-ports.ts";

const send = (id: string, over: Partial<Send> = {}): Send => ({
  id,
  issueId: "i1",
  status: "scheduled",
  tiers: ["report"],
  test: false,
  resend: false,
  createdAt: "2025-05-20T08:00:00.000Z",
  total: 0,
  ...over,
});

/** The SendRepo contract; `make` gives an empty repository. */
export function sendRepoContract(name: string, make: () => Promise<SendRepo>) {
  describe(`${name}: the SendRepo contract`, () => {
    it("transitions conditionally, and drops the pause reason when leaving 'paused'", async () => {
      const repo = await make();
      await repo.create(send("s1", { includeMaybeReceived: true }));
      await expect(repo.create(send("s1"))).rejects.toBeInstanceOf(ConflictError);
      await expect(repo.transition("s1", ["sending"], "paused")).rejects.toBeInstanceOf(ConflictError);
      await expect(repo.transition("nope", ["sending"], "paused")).rejects.toBeInstanceOf(NotFoundError);
      await repo.transition("s1", ["scheduled"], "sending", { total: 3, startedAt: "2025-05-20T08:01:00.000Z" });
      expect(await repo.transition("s1", ["sending"], "paused", { pauseReason: "quota" })).toMatchObject({
        status: "paused",
        pauseReason: "quota",
        total: 3,
      });
      expect(await repo.transition("s1", ["paused"], "paused", { total: 4 })).toMatchObject({
        pauseReason: "quota",
        total: 4,
      });
      const resumed = await repo.transition("s1", ["paused"], "sending");
      expect(resumed.pauseReason).toBeUndefined();
      expect(resumed).toMatchObject({ startedAt: "2025-05-20T08:01:00.000Z", includeMaybeReceived: true });
      expect(await repo.get("s1")).toEqual(resumed);
      expect(await repo.get("nope")).toBeNull();
    });

    it("lists an issue's sends newest first, and the due ones", async () => {
      const repo = await make();
      await repo.create(send("a", { createdAt: "2025-05-01T00:00:00.000Z" }));
      await repo.create(send("b", { createdAt: "2025-05-02T00:00:00.000Z", scheduledAt: "2025-06-01T00:00:00.000Z" }));
      await repo.create(send("c", { createdAt: "2025-05-03T00:00:00.000Z", status: "finished" }));
      await repo.create(send("d", { issueId: "i2", createdAt: "2025-05-04T00:00:00.000Z" }));
      const page = await repo.listByIssue("i1", { limit: 2 });
      expect(page.items.map((s) => s.id)).toEqual(["c", "b"]);
      expect(
        (await repo.listByIssue("i1", { ...(page.cursor ? { cursor: page.cursor } : {}) })).items.map((s) => s.id),
      ).toEqual(["a"]);
      expect((await repo.listDue("2025-05-20T00:00:00.000Z")).map((s) => s.id).sort()).toEqual(["a", "d"]);
      expect((await repo.listDue("2025-06-02T00:00:00.000Z")).map((s) => s.id).sort()).toEqual(["a", "b", "d"]);
    });
  });
}
