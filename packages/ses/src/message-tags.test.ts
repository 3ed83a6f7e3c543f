import { InvalidInputError } from "@bulletin/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeTagValue, encodeTagValue, toEmailTags } from "./message-tags.ts";

const SES_TAG = /^[A-Za-z0-9_-]{1,256}$/;

describe("SES message tags", () => {
  it("leaves ordinary ids alone and escapes everything outside SES's alphabet", () => {
    expect(encodeTagValue("2025-05")).toBe("2025-05");
    expect(encodeTagValue("ann@example.org")).toBe("ann_40example_2Eorg");
    expect(encodeTagValue("a_b")).toBe("a_5Fb");
    expect(encodeTagValue("会员")).toBe("_E4_BC_9A_E5_91_98");
  });

  it("round-trips any string, always within SES's alphabet", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", minLength: 1, maxLength: 40 }), (value) => {
        const encoded = encodeTagValue(value);
        expect(encoded).toMatch(/^[A-Za-z0-9_-]+$/);
        expect(decodeTagValue(encoded)).toBe(value);
      }),
    );
  });

  it("builds EmailTags that SES accepts", () => {
    const tags = toEmailTags({
      issue: "2025-05",
      send: "s_1",
      tier: "members",
      recipient: "Ann.O'Neil+news@example.org",
    });
    for (const tag of tags) {
      expect(tag.Name).toMatch(SES_TAG);
      expect(tag.Value).toMatch(SES_TAG);
    }
    expect(decodeTagValue(tags.find((t) => t.Name === "recipient")!.Value!)).toBe("Ann.O'Neil+news@example.org");
  });

  it("refuses names SES would refuse, empty values and values too long once encoded", () => {
    expect(() => toEmailTags({ "send.id": "x" })).toThrow(InvalidInputError);
    expect(() => toEmailTags({ "ses:tier": "x" })).toThrow(/tag name/);
    expect(() => toEmailTags({ send: "" })).toThrow(/1-256/);
    expect(() => toEmailTags({ recipient: `${"a.".repeat(90)}@x.org` })).toThrow(/1-256/);
    expect(() => decodeTagValue("a_zz")).toThrow(InvalidInputError);
  });
});
