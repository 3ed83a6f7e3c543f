import { describe, expect, it } from "vitest";
import { InvalidInputError } from "../errors/errors.ts";
import { envReader } from "./env.ts";

const refusal = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    if (e instanceof InvalidInputError) return { code: e.code, message: e.message, details: e.details };
    throw e;
  }
  throw new Error("expected a refusal");
};

describe("envReader", () => {
  it("reads a switch the same way for every value people write, in any case, and refuses anything else by name", () => {
    for (const on of ["on", "ON", "true", "True", "yes", "1", " on "])
      expect(envReader({ X: on }).bool("X", false)).toBe(true);
    for (const off of ["off", "Off", "false", "FALSE", "no", "0"])
      expect(envReader({ X: off }).bool("X", true)).toBe(false);
    expect(envReader({}).bool("X", true)).toBe(true);
    expect(envReader({ X: "" }).bool("X", false)).toBe(false);
    expect(envReader({}).bool("X")).toBeUndefined();
    expect(refusal(() => envReader({ TRACK_ENGAGEMENT: "nope" }).bool("TRACK_ENGAGEMENT", true))).toEqual({
      code: "config.invalid",
      message: 'TRACK_ENGAGEMENT must be on or off (or true/false, yes/no, 1/0), not "nope"',
      details: { variable: "TRACK_ENGAGEMENT", expected: "on or off (or true/false, yes/no, 1/0)" },
    });
  });

  it("reads URLs without their trailing slash, checks defaults too, and can insist on https", () => {
    expect(envReader({ U: "https://news.example.org/" }).url("U")).toBe("https://news.example.org");
    expect(envReader({}).url("U", { default: "http://localhost:3000" })).toBe("http://localhost:3000");
    expect(envReader({}).url("U")).toBeUndefined();
    for (const bad of ["javascript:alert(1)", "localhost:3000", "http://", "ftp://example.org", "http://a b"]) {
      expect(refusal(() => envReader({ U: bad }).url("U")).message).toBe(`U must be an http(s) URL, not "${bad}"`);
    }
    expect(refusal(() => envReader({ U: "http://example.org" }).url("U", { https: true })).message).toMatch(
      /^U must be an https URL/,
    );
    expect(refusal(() => envReader({}).url("U", { default: "http://localhost:x" })).code).toBe("config.invalid");
  });

  it("reads addresses, refusing what would break a header", () => {
    expect(envReader({ A: "bulletin@example.org" }).address("A")).toBe("bulletin@example.org");
    expect(envReader({}).address("A", { default: "x@example.org" })).toBe("x@example.org");
    for (const bad of ["bulletin", "a@b@c", "<a@b.org>", "a @b.org", "a@b.org\r\nBcc: x@y.org"])
      expect(refusal(() => envReader({ A: bad }).address("A")).code).toBe("config.invalid");
  });

  it("reads rates per second from a number or a number per unit", () => {
    const rate = (v: string) => envReader({ R: v }).rate("R");
    expect([rate("14"), rate("14/s"), rate("600/min"), rate("3600 / h"), rate("86400/d"), rate("0.5")]).toEqual([
      14, 14, 10, 1, 1, 0.5,
    ]);
    for (const bad of ["0", "-1", "fast", "14/week", "20000"])
      expect(refusal(() => rate(bad)).message).toMatch(/^R must be a rate per second, minute, hour or day/);
    expect(envReader({}).rate("R", { default: 14 })).toBe(14);
  });

  it("reads durations in seconds, bare or with a unit, within bounds", () => {
    const d = (v: string) => envReader({ D: v }).duration("D", { default: 10, min: 1, max: 43_200 });
    expect([
      d("90"),
      d("90s"),
      d("15min"),
      d("2h"),
      envReader({}).duration("D", { default: 10, min: 1, max: 60 }),
    ]).toEqual([90, 90, 900, 7200, 10]);
    for (const bad of ["0", "1.5", "2d", "soon"])
      expect(refusal(() => d(bad)).message).toMatch(/^D must be a duration from 1 to 43200 seconds/);
  });

  it("reads whole numbers and ports within their bounds", () => {
    expect(envReader({ N: "5" }).int("N", { default: 3, min: 1, max: 100 })).toBe(5);
    expect(envReader({}).int("N", { default: 3, min: 1, max: 100 })).toBe(3);
    for (const bad of ["0", "101", "2.5", "five", "1e2"])
      expect(refusal(() => envReader({ N: bad }).int("N", { default: 3, min: 1, max: 100 })).message).toBe(
        `N must be a whole number from 1 to 100, not "${bad}"`,
      );
    expect(envReader({ P: "0" }).port("P", 3000)).toBe(0);
    for (const bad of ["http", "65536", "-1"])
      expect(refusal(() => envReader({ P: bad }).port("P", 3000)).message).toMatch(/^P must be a port number/);
  });

  it("names a required variable that is missing, never repeats a secret, and points to the docs when asked", () => {
    expect(
      refusal(() =>
        envReader({}, { see: "docs/deploy.md" }).required("INBOUND_BUCKET", "the bucket SES receiving stores mail in"),
      ),
    ).toEqual({
      code: "config.missing",
      message: "INBOUND_BUCKET is not set: the bucket SES receiving stores mail in (see docs/deploy.md)",
      details: { variable: "INBOUND_BUCKET", expected: "the bucket SES receiving stores mail in" },
    });
    const leaked = refusal(() => envReader({ KEY: "short-secret" }).secret("KEY", 32)).message;
    expect(leaked).toBe("KEY must be at least 32 characters");
    expect(envReader({ KEY: "k".repeat(32) }).secret("KEY", 32)).toBe("k".repeat(32));
    expect(envReader({ M: "Manual" }).oneOf("M", ["route53", "manual"], "route53")).toBe("manual");
    expect(refusal(() => envReader({ M: "cloudflare" }).oneOf("M", ["route53", "manual"], "route53")).message).toBe(
      'M must be route53 or manual, not "cloudflare"',
    );
  });
});
