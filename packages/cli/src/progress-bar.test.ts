import { describe, expect, it } from "vitest";
import { progressLine } from "./progress-bar.ts";

describe("progressLine", () => {
  it("shows the bar, counts, rate and ETA", () => {
    expect(
      progressLine(
        { status: "sending", total: 100, done: 50, sent: 48, failed: 1, skipped: 1, unknown: 0, rate: 14 },
        10,
      ),
    ).toBe("[#####.....]  50/100  sent 48  failed 1  skipped 1  14.0/s  ETA 4s");
    expect(
      progressLine(
        { status: "sending", total: 2000, done: 0, sent: 0, failed: 0, skipped: 0, unknown: 0, rate: 14 },
        4,
      ),
    ).toBe("[....]    0/2000  sent 0  failed 0  skipped 0  14.0/s  ETA 2m23s");
    expect(
      progressLine(
        { status: "finished", total: 3, done: 3, sent: 2, failed: 0, skipped: 0, unknown: 1, rate: 13.6 },
        3,
      ),
    ).toBe("[###] 3/3  sent 2  failed 0  skipped 0  unknown 1  finished, average 13.6/s");
  });

  it("starts empty while dispatch has not yet counted the recipients", () => {
    expect(
      progressLine(
        { status: "dispatching", total: 0, done: 0, sent: 0, failed: 0, skipped: 0, unknown: 0, rate: 0 },
        4,
      ),
    ).toBe("[....] 0/0  sent 0  failed 0  skipped 0  0.0/s  dispatching");
  });
});
