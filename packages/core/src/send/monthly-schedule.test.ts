import { describe, expect, it } from "vitest";
import { InMemoryIssueRepo } from "../testing/in-memory-issue-repo.ts";
import { InMemorySendRepo } from "../testing/in-memory-send-repo.ts";
import { ManualClock } from "../testing/manual-clock.ts";
import { lastSlot, parseMonthlySchedule, runMonthlySchedule } from "./monthly-schedule.ts";

const issue = (id: string, createdAt: string) => ({
  id,
  label: id,
  format: "json" as const,
  createdAt,
  issue: {
    sections: [{ name: null, articles: [{ title: "t", authors: [], paragraphs: ["p"] }] }],
    distribution: { report: [], distribute: [], copy: [] },
  },
});

describe("the monthly schedule", () => {
  it("parses DAY HH:MM ±HH:MM and refuses anything else", () => {
    expect(parseMonthlySchedule("1 09:00 +08:00")).toEqual({ day: 1, hour: 9, minute: 0, offsetMinutes: 480 });
    expect(parseMonthlySchedule("15 18:30")).toEqual({ day: 15, hour: 18, minute: 30, offsetMinutes: 0 });
    for (const bad of ["", "31 09:00", "1 25:00", "monthly", "1 09:00 +15:00"])
      expect(() => parseMonthlySchedule(bad)).toThrow(/monthly schedule/);
  });

  it("finds the latest slot in the schedule's own time zone", () => {
    const s = parseMonthlySchedule("1 09:00 +08:00");
    expect(lastSlot(s, new Date("2026-12-01T00:59:00Z")).toISOString()).toBe("2026-11-01T01:00:00.000Z");
    expect(lastSlot(s, new Date("2026-12-01T01:00:00Z")).toISOString()).toBe("2026-12-01T01:00:00.000Z");
    expect(lastSlot(s, new Date("2027-01-15T00:00:00Z")).toISOString()).toBe("2027-01-01T01:00:00.000Z");
  });

  it("sends the newest issue marked ready, once, when the slot comes", async () => {
    const issues = new InMemoryIssueRepo([
      issue("old", "2026-10-20T00:00:00Z"),
      issue("new", "2026-11-20T00:00:00Z"),
      issue("draft", "2026-11-25T00:00:00Z"),
    ]);
    await issues.setReady("old", "2026-10-21T00:00:00Z");
    await issues.setReady("new", "2026-11-21T00:00:00Z");
    const sends = new InMemorySendRepo();
    const dispatched: string[] = [];
    const clock = new ManualClock("2026-12-01T00:30:00Z");
    const deps = { issues, sends, clock, dispatch: (id: string) => void dispatched.push(id) };
    const schedule = parseMonthlySchedule("1 09:00 +08:00");

    // Before the slot (09:00 in UTC+8 is 01:00Z), the last slot was a month ago: too late to catch up.
    expect(await runMonthlySchedule(schedule, deps)).toBeNull();
    clock.advance(35 * 60_000 + 5_000);
    expect(await runMonthlySchedule(schedule, deps)).toBe("monthly-new");
    expect(await runMonthlySchedule(schedule, deps)).toBeNull();
    expect(dispatched).toEqual(["monthly-new"]);
    expect(await sends.get("monthly-new")).toMatchObject({
      issueId: "new",
      tiers: ["report", "distribute", "copy"],
      test: false,
    });
  });
});
