import { readFileSync } from "node:fs";
import { describe, expect, it, vi } from "vitest";
import { ConflictError } from "../errors/errors.ts";
import { fixedClock, InMemoryRecipientRepo } from "../testing/in-memory-recipient-repo.ts";
import { importRecipients } from "./import-recipients.ts";
import type { Recipient } from "./recipient.ts";

const SAMPLE = readFileSync(new URL("../../../../samples/recipients.csv", import.meta.url), "utf8");
const HEADER = "email,name,organization,tier,role";
const csv = (...lines: string[]) => `${[HEADER, ...lines].join("\n")}\n`;
const T0 = "2025-05-01T00:00:00.000Z";
const T1 = "2025-06-01T00:00:00.000Z";

function stored(email: string, over: Partial<Recipient> = {}): Recipient {
  return {
    email,
    name: "张三",
    organization: "协会",
    tier: "report",
    role: "秘书长",
    status: "active",
    createdAt: T0,
    updatedAt: T0,
    ...over,
  };
}

describe("importRecipients", () => {
  it("imports the whole sample file, and a second import changes nothing", async () => {
    const dataRows = SAMPLE.split("\n").filter((l) => l.trim() !== "").length - 1;
    expect(dataRows).toBe(28);
    const recipients = new InMemoryRecipientRepo();
    const first = await importRecipients(SAMPLE, { recipients, clock: fixedClock(T0) });
    expect(first).toEqual({ created: dataRows, updated: 0, unchanged: 0, skipped: [], rejected: [] });
    const before = recipients.all();
    expect(before).toHaveLength(dataRows);
    expect(before.every((r) => r.status === "active" && r.createdAt === T0 && r.updatedAt === T0)).toBe(true);
    expect(before.find((r) => r.email === "office@cace.example.org")).toMatchObject({
      name: "协会办公室",
      tier: "report",
      role: "上级协会",
    });

    const second = await importRecipients(SAMPLE, { recipients, clock: fixedClock(T1) });
    expect(second).toEqual({ created: 0, updated: 0, unchanged: dataRows, skipped: [], rejected: [] });
    expect(recipients.all()).toEqual(before);
  });

  it("looks the rows of a short file up with one getMany call, never a read per row", async () => {
    const recipients = new InMemoryRecipientRepo();
    const getMany = vi.spyOn(recipients, "getMany");
    const get = vi.spyOn(recipients, "get");
    await importRecipients(SAMPLE, { recipients, clock: fixedClock(T0) });
    expect(getMany).toHaveBeenCalledTimes(1);
    expect(getMany.mock.calls[0]?.[0]).toHaveLength(28);
    expect(get).not.toHaveBeenCalled();
  });

  it("reads a long file a slice of 1,000 rows at a time, with the same report as for one slice", async () => {
    const lines = Array.from(
      { length: 2_500 },
      (_, i) => `p${i}@example.cn,联系人${i},会员单位,${["report", "distribute", "copy"][i % 3]},`,
    );
    const recipients = new InMemoryRecipientRepo([
      stored("p1500@example.cn", { status: "unsubscribed" }),
      stored("p2400@example.cn", { tier: "copy" }),
    ]);
    const getMany = vi.spyOn(recipients, "getMany");
    const report = await importRecipients(csv(...lines), { recipients, clock: fixedClock(T1) });
    expect(getMany.mock.calls.map(([emails]) => emails.length)).toEqual([1_000, 1_000, 500]);
    expect(report).toEqual({
      created: 2_498,
      updated: 1,
      unchanged: 0,
      skipped: [{ line: 1_502, email: "p1500@example.cn", reason: "unsubscribed" }],
      rejected: [],
    });
    expect(recipients.all()).toHaveLength(2_500);
    expect((await recipients.get("p1500@example.cn"))?.status).toBe("unsubscribed");
  });

  it("updates the details of an active recipient, keeping createdAt and status", async () => {
    const recipients = new InMemoryRecipientRepo([stored("a@example.cn"), stored("b@example.cn")]);
    const report = await importRecipients(csv("a@example.cn,张三,协会,送,会员", "b@example.cn,张三,协会,报,秘书长"), {
      recipients,
      clock: fixedClock(T1),
    });
    expect(report).toMatchObject({ created: 0, updated: 1, unchanged: 1 });
    expect(await recipients.get("a@example.cn")).toEqual(
      stored("a@example.cn", { tier: "copy", role: "会员", updatedAt: T1 }),
    );
    expect(await recipients.get("b@example.cn")).toEqual(stored("b@example.cn"));
  });

  it("never resurrects or changes an unsubscribed, bounced or complained address", async () => {
    const gone = [
      stored("u@example.cn", { status: "unsubscribed" }),
      stored("b@example.cn", { status: "bounced" }),
      stored("c@example.cn", { status: "complained" }),
    ];
    const recipients = new InMemoryRecipientRepo(gone);
    const report = await importRecipients(
      csv("u@example.cn,新名字,新协会,发,会员", "b@example.cn,张三,协会,报,秘书长", "c@example.cn,x,y,送,z"),
      {
        recipients,
        clock: fixedClock(T1),
      },
    );
    expect(report).toEqual({
      created: 0,
      updated: 0,
      unchanged: 0,
      skipped: [
        { line: 2, email: "u@example.cn", reason: "unsubscribed" },
        { line: 3, email: "b@example.cn", reason: "bounced" },
        { line: 4, email: "c@example.cn", reason: "complained" },
      ],
      rejected: [],
    });
    expect(recipients.all()).toEqual(gone.sort((x, y) => (x.email < y.email ? -1 : 1)));
  });

  it("lists every rejected row next to what it imported", async () => {
    const recipients = new InMemoryRecipientRepo();
    const report = await importRecipients(
      csv("a@example.cn,张三,协会,报,r", "bad,张三,协会,报,r", "c@example.cn,张三,协会,vip,r", "A@example.cn,x,y,发,z"),
      {
        recipients,
        clock: fixedClock(T0),
      },
    );
    expect(report.created).toBe(1);
    expect(report.rejected).toEqual([
      { line: 3, email: "bad", reason: "email has no @", code: "email.no-at" },
      {
        line: 4,
        email: "c@example.cn",
        reason: expect.stringMatching(/^unknown tier "vip"/),
        code: "row.tier-unknown",
        details: { value: "vip" },
      },
      { line: 5, email: "a@example.cn", reason: "duplicate of line 2", code: "row.duplicate", details: { first: 2 } },
    ]);
  });

  it("treats a ConflictError from create (a race) as present and applies the same rules", async () => {
    const recipients = new InMemoryRecipientRepo();
    // Another import created these between our getMany and our create.
    const create = recipients.create.bind(recipients);
    vi.spyOn(recipients, "create").mockImplementation(async (r) => {
      if (r.email === "same@example.cn")
        await create(stored("same@example.cn", { tier: "copy", role: "r", name: "n", organization: "o" }));
      if (r.email === "unsub@example.cn") await create(stored("unsub@example.cn", { status: "unsubscribed" }));
      if (r.email === "diff@example.cn") await create(stored("diff@example.cn"));
      return create(r);
    });
    const report = await importRecipients(
      csv("same@example.cn,n,o,送,r", "unsub@example.cn,n,o,送,r", "diff@example.cn,n,o,送,r"),
      {
        recipients,
        clock: fixedClock(T1),
      },
    );
    expect(report).toMatchObject({
      created: 0,
      updated: 1,
      unchanged: 1,
      skipped: [{ line: 3, email: "unsub@example.cn", reason: "unsubscribed" }],
    });
    expect(await recipients.get("unsub@example.cn")).toEqual(stored("unsub@example.cn", { status: "unsubscribed" }));
    expect(await recipients.get("diff@example.cn")).toMatchObject({
      name: "n",
      tier: "copy",
      createdAt: T0,
      updatedAt: T1,
    });
  });

  it("creates a row again when its address was deleted between the read and the update", async () => {
    const recipients = new InMemoryRecipientRepo([stored("a@example.cn")]);
    const getMany = recipients.getMany.bind(recipients);
    vi.spyOn(recipients, "getMany").mockImplementation(async (emails) => {
      const found = await getMany(emails);
      await recipients.delete("a@example.cn");
      return found;
    });
    const report = await importRecipients(csv("a@example.cn,李四,协会,报,秘书长"), {
      recipients,
      clock: fixedClock(T1),
    });
    expect(report).toMatchObject({ created: 1, updated: 0 });
    expect(await recipients.get("a@example.cn")).toMatchObject({ name: "李四", status: "active", createdAt: T1 });
  });

  it("lets other repository errors through", async () => {
    const recipients = new InMemoryRecipientRepo();
    vi.spyOn(recipients, "create").mockRejectedValue(new Error("store down"));
    await expect(importRecipients(csv("a@example.cn,n,o,报,r"), { recipients, clock: fixedClock(T0) })).rejects.toThrow(
      "store down",
    );
    vi.spyOn(recipients, "create").mockRejectedValue(new ConflictError("x", "always"));
    vi.spyOn(recipients, "get").mockResolvedValue(null);
    await expect(importRecipients(csv("a@example.cn,n,o,报,r"), { recipients, clock: fixedClock(T0) })).rejects.toThrow(
      /kept changing/,
    );
  });

  it("does not call the repository for a file with no valid rows", async () => {
    const recipients = new InMemoryRecipientRepo();
    const getMany = vi.spyOn(recipients, "getMany");
    const report = await importRecipients(csv("bad,n,o,报,r"), { recipients, clock: fixedClock(T0) });
    expect(report).toMatchObject({ created: 0, rejected: [{ line: 2 }] });
    expect(getMany).not.toHaveBeenCalled();
  });
});
