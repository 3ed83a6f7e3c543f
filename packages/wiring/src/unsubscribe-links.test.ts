import { describe, expect, it } from "vitest";
import { signUnsubscribe, verifyUnsubscribe } from "./unsubscribe-links.ts";

describe("unsubscribe tokens", () => {
  const key = "k".repeat(32);
  it("verify for the send and address they were made for", () => {
    const token = signUnsubscribe(key, "send-1", "leader1@sxca.example.gov.cn");
    expect(verifyUnsubscribe(key, token)).toEqual({ sendId: "send-1", email: "leader1@sxca.example.gov.cn" });
  });
  it("refuse a tampered token, another key, or garbage", () => {
    const token = signUnsubscribe(key, "send-1", "a@example.com");
    const [payload, sig] = token.split(".") as [string, string];
    const other = Buffer.from("send-1\nb@example.com").toString("base64url");
    expect(verifyUnsubscribe(key, `${other}.${sig}`)).toBeNull();
    expect(verifyUnsubscribe(key, `${payload}.${sig.slice(0, -1)}A`)).toBeNull();
    expect(verifyUnsubscribe("another-key-another-key-another", token)).toBeNull();
    for (const junk of ["", ".", "a.b.c", "x", `${payload}.`]) expect(verifyUnsubscribe(key, junk)).toBeNull();
  });
});
