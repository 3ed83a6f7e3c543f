import { describe, expect, it } from "vitest";
import { decodeSendBatch, encodeSendBatch } from "./batch-codec.ts";

describe("send batch message bodies", () => {
  it("carry a held-back call's booked slot there and back, and leave it out when there is none", () => {
    const booked = { sendId: "s-1", emails: ["ann@qq.com"], slot: { group: "qq.com", at: 1_764_900_000_123 } };
    expect(decodeSendBatch(encodeSendBatch(booked))).toEqual(booked);
    expect(encodeSendBatch({ sendId: "s-1", emails: [] })).toBe('{"sendId":"s-1","emails":[]}');
  });

  it("refuse a slot that is not { group, at }", () => {
    for (const slot of [null, 5, { group: "qq.com" }, { group: 1, at: 2 }, { group: "qq.com", at: "soon" }]) {
      expect(() => decodeSendBatch(JSON.stringify({ sendId: "s-1", emails: [], slot }))).toThrow(/slot/);
    }
  });
});
