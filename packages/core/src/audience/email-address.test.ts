import { describe, expect, it } from "vitest";
import { checkEmail } from "./email-address.ts";

describe("checkEmail", () => {
  it("accepts ordinary, plus-tagged, hyphenated and IDN addresses, normalised", () => {
    expect(checkEmail(" Office@CACE.Example.org ")).toEqual({ ok: true, email: "office@cace.example.org" });
    expect(checkEmail("zhang.san+news@sx-mobile.example.com")).toEqual({
      ok: true,
      email: "zhang.san+news@sx-mobile.example.com",
    });
    expect(checkEmail("o'brien@example.ie")).toEqual({ ok: true, email: "o'brien@example.ie" });
    expect(checkEmail("a@中国移动.中国")).toEqual({ ok: true, email: "a@中国移动.中国" });
    // NFD "ü" (u + combining diaeresis) and NFC "ü" are one domain.
    expect(checkEmail("a@bu\u0308cher.de")).toEqual({ ok: true, email: "a@b\u00fccher.de" });
  });

  it("says what is wrong", () => {
    const reason = (s: string) => {
      const r = checkEmail(s);
      return r.ok ? "ok" : r.reason;
    };
    expect(reason("")).toBe("missing email");
    expect(reason("张三@example.com")).toMatch(/non-ASCII characters before @/);
    expect(reason("a　b@example.com")).toBe("email contains spaces");
    expect(reason(`${"a".repeat(65)}@example.com`)).toBe("email has more than 64 characters before @");
    expect(reason("a.@example.com")).toBe("email has a dot at the start or end of the part before @");
    expect(reason("a@example.com.")).toBe("email has a dot at the start or end of the part after @");
    expect(reason("a@1.2.3.4")).toBe("email domain is not valid (numeric top-level)");
    expect(reason(`a@${"x".repeat(64)}.cn`)).toMatch(/^email domain is not valid/);
    expect(reason("a@ex_ample.cn")).toMatch(/^email domain is not valid/);
    expect(reason('"a b"@example.com')).toBe("email contains spaces");
  });
});
