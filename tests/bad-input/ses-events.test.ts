import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fixture } from "../../packages/core/src/events/fixtures.test-support.ts";
import { type ParsedSesEvents, parseSesEventText, SES_EVENT_TYPES } from "@bulletin/core";
import { NASTY_CHARS } from "./support/arbitraries.ts";
import { maybeWrapped, snsWrap } from "./support/ses-items.ts";

// The SES event parser on what may arrive instead of SES events: any JSON value, documented events
// broken in one or two places, SNS envelopes around either, JSON lines with garbage between them.
// packages/core/src/events/ses-event.test.ts checks each documented event; here nothing may throw,
// every item is accounted for (an event, a confirmation, or `invalid` with its index and a reason),
// and what comes out as an event is normalised. service/ses-events.ts sends such garbage to POST /api/events.
const SEED = 20251203;

/** The fields each event type cannot do without; removing one must make the item invalid, naming it. */
const REQUIRED: Record<string, string[]> = {
  send: [],
  delivery: ["delivery.timestamp", "delivery.recipients"],
  "bounce-permanent": ["bounce.bounceType", "bounce.bounceSubType", "bounce.bouncedRecipients", "bounce.timestamp"],
  "bounce-transient": ["bounce.bounceType", "bounce.bouncedRecipients"],
  complaint: ["complaint.complainedRecipients", "complaint.timestamp"],
  reject: ["reject.reason"],
  "delivery-delay": ["deliveryDelay.delayType", "deliveryDelay.delayedRecipients", "deliveryDelay.timestamp"],
  "rendering-failure": ["failure.errorMessage"],
  open: ["open.timestamp"],
  click: ["click.timestamp", "click.link"],
  subscription: ["subscription"],
};
const COMMON = ["mail", "mail.messageId", "mail.timestamp", "mail.destination"];

/** Checks the accounting and the normal form; `expected` is how many items the text holds. */
function expectAccounted(parsed: ParsedSesEvents, expected: number) {
  expect(parsed.events.length + parsed.invalid.length + parsed.confirmations.length).toBeGreaterThanOrEqual(
    Math.min(expected, 1),
  );
  for (const bad of parsed.invalid) {
    expect(Number.isInteger(bad.index) && bad.index >= 0).toBe(true);
    expect(bad.reason.length).toBeGreaterThan(0);
  }
  for (const e of parsed.events) {
    expect(SES_EVENT_TYPES).toContain(e.type);
    expect(e.messageId.length).toBeGreaterThan(0);
    expect(new Date(e.at).toISOString()).toBe(e.at);
    for (const r of e.recipients) expect(r).toBe(r.toLowerCase().trim());
  }
}

describe("parseSesEventText on garbage", () => {
  it("a JSON array: every item is an event, a confirmation, or invalid at its index — never a throw", () => {
    fc.assert(
      fc.property(fc.array(maybeWrapped, { maxLength: 8 }), (items) => {
        const parsed = parseSesEventText(JSON.stringify(items));
        expect(parsed.events.length + parsed.invalid.length + parsed.confirmations.length).toBe(items.length);
        expect(new Set([...parsed.invalid, ...parsed.confirmations].map((x) => x.index)).size).toBe(
          parsed.invalid.length + parsed.confirmations.length,
        );
        expectAccounted(parsed, items.length);
        for (const bad of parsed.invalid) expect(bad.index).toBeLessThan(items.length);
      }),
      { numRuns: 200, seed: SEED },
    );
  });

  it("JSON lines with garbage lines: each bad line is invalid with its line number, the others still parse", () => {
    const garbageLine = fc.oneof(
      fc.string({
        unit: fc.constantFrom(
          "{",
          "}",
          "[",
          "]",
          '"',
          ":",
          ",",
          "a",
          "1",
          " ",
          ...NASTY_CHARS.filter((c) => !/[\r\n]/.test(c)),
        ),
        maxLength: 20,
      }),
      fc.constantFrom("{not json", "]", '{"eventType":', "\u0000", "null", "42", '"text"'),
    );
    const line = fc.oneof(
      maybeWrapped.map((v) => JSON.stringify(v)),
      garbageLine,
    );
    fc.assert(
      fc.property(fc.array(line, { minLength: 2, maxLength: 10 }), fc.constantFrom("\n", "\r\n"), (lines, eol) => {
        const text = lines.join(eol);
        const parsed = parseSesEventText(text);
        // Some soups are one JSON document after all (e.g. "[" … "]" on two lines): then items, not lines.
        let whole = true;
        try {
          JSON.parse(text.trim());
        } catch {
          whole = false;
        }
        expectAccounted(parsed, lines.length);
        if (whole) return;
        const badLines = new Set(
          lines.flatMap((l, i) => {
            if (l.trim() === "") return [];
            try {
              JSON.parse(l);
              return [];
            } catch {
              return [i + 1];
            }
          }),
        );
        const notJson = parsed.invalid.filter((x) => x.reason.startsWith("line is not JSON"));
        expect(new Set(notJson.map((x) => x.index))).toEqual(badLines);
        for (const bad of parsed.invalid) expect(bad.index).toBeLessThanOrEqual(lines.length);
        for (const bad of notJson) expect(bad.reason).not.toMatch(/[\r\n]/);
      }),
      { numRuns: 200, seed: SEED },
    );
  });

  it("a documented event without one of its required fields is invalid, and the reason names the field", () => {
    const cases = Object.entries(REQUIRED).flatMap(([name, paths]) =>
      [...COMMON, ...paths].map((path) => [name, path] as const),
    );
    fc.assert(
      fc.property(
        fc.constantFrom(...cases),
        fc.constantFrom("delete", "null", "number", "nasty"),
        fc.boolean(),
        ([name, path], how, wrap) => {
          const raw = fixture(name);
          const keys = path.split(".");
          const parent = keys
            .slice(0, -1)
            .reduce<Record<string, unknown>>((o, k) => o[k] as Record<string, unknown>, raw);
          const key = keys.at(-1)!;
          if (how === "delete") delete parent[key];
          else parent[key] = how === "null" ? null : how === "number" ? 7 : "\u0000\r\n";
          // A string where an object or list belongs is wrong, but a string timestamp or reason may be fine.
          if (
            how === "nasty" &&
            (key === "timestamp"
              ? false
              : ["reason", "bounceSubType", "delayType", "errorMessage", "link", "messageId"].includes(key))
          )
            return;
          const parsed = parseSesEventText(JSON.stringify(wrap ? snsWrap(raw) : raw));
          expect(parsed.events, `${name} with ${path} ${how}`).toEqual([]);
          expect(parsed.invalid).toHaveLength(1);
          expect(
            parsed.invalid[0]!.reason.startsWith(`${path}:`) || parsed.invalid[0]!.reason.startsWith(`${keys[0]}`),
            parsed.invalid[0]!.reason,
          ).toBe(true);
        },
      ),
      { numRuns: 300, seed: SEED },
    );
  });

  it("an address, send tag or message id longer than SES ever sends is invalid (they become DynamoDB keys)", () => {
    const bounce = fixture("bounce-permanent") as {
      mail: { messageId: string; tags: Record<string, string[]> };
      bounce: { bouncedRecipients: { emailAddress: string }[] };
    };
    const long = structuredClone(bounce);
    long.bounce.bouncedRecipients = [{ emailAddress: `${"x".repeat(250)}@example.cn` }];
    const tag = structuredClone(bounce);
    tag.mail.tags.send = ["s".repeat(257)];
    const id = structuredClone(bounce);
    id.mail.messageId = "m".repeat(257);
    const parsed = parseSesEventText(JSON.stringify([long, tag, id, fixture("bounce-permanent")]));
    expect(parsed.invalid.map((x) => [x.index, x.reason])).toEqual([
      [0, "a recipient address is longer than 254 characters"],
      [1, "the send tag is longer than 256 characters"],
      [2, "the messageId is longer than 256 characters"],
    ]);
    expect(parsed.events).toHaveLength(1);
  });

  it("never throws on deep nesting, huge documents or huge strings", () => {
    for (const text of [
      "[".repeat(100_000),
      `${"[".repeat(50_000)}${"]".repeat(50_000)}`,
      `{"eventType":"Send","mail":${'{"a":'.repeat(10_000)}1${"}".repeat(10_000)}}`,
      JSON.stringify({ ...fixture("send"), eventType: "x".repeat(1_000_000) }),
      "\n".repeat(100_000),
    ]) {
      const parsed = parseSesEventText(text);
      expect(parsed.events).toEqual([]);
      for (const bad of parsed.invalid) expect(bad.reason.length).toBeLessThan(2_000);
    }
  });
});
