import { describe, expect, it } from "vitest";
import { InvalidInputError } from "../errors/errors.ts";
import { fixedClock } from "./in-memory-recipient-repo.ts";

const T0 = "2025-05-01T00:00:00.000Z";
describe("fixedClock", () => {
  it("always says the same time, and refuses a non-date", () => {
    const clock = fixedClock(T0);
    expect(clock.now().toISOString()).toBe(T0);
    expect(clock.now()).not.toBe(clock.now());
    expect(() => fixedClock("yesterday")).toThrow(InvalidInputError);
  });
});
