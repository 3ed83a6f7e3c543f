import { describe, expect, it } from "vitest";
import { fromHeader } from "./from-header.ts";

/** The display name back from the encoded-words, as a mail client reads it (RFC 2047). */
function decodeWords(header: string): string {
  const name = header.slice(0, header.lastIndexOf(" <"));
  return name
    .split(" ")
    .map((w) => /^=\?UTF-8\?B\?([A-Za-z0-9+/=]+)\?=$/.exec(w)![1]!)
    .map((b) => Buffer.from(b, "base64"))
    .reduce((a, b) => Buffer.concat([a, b]), Buffer.alloc(0))
    .toString("utf8");
}

describe("fromHeader", () => {
  it("encodes a Chinese sender's name as UTF-8 encoded-words, each under 76 characters and whole characters", () => {
    const header = fromHeader("山西省通信行业协会秘书处", "bulletin@example.org");
    expect(header).toBe("=?UTF-8?B?5bGx6KW/55yB6YCa5L+h6KGM5Lia5Y2P5Lya56eY5Lmm5aSE?= <bulletin@example.org>");
    expect(decodeWords(header)).toBe("山西省通信行业协会秘书处");
    const long = "中国通信企业协会山西省通信行业协会秘书处信息宣传部（简报编辑组）".repeat(2);
    const words = fromHeader(long, "bulletin@example.org");
    expect(decodeWords(words)).toBe(long);
    for (const w of words.split(" <")[0]!.split(" ")) expect(w.length).toBeLessThanOrEqual(75);
    expect(words).toMatch(/^[\x21-\x7e ]+$/);
  });

  it("writes an ASCII name as a phrase, quoted when it holds specials; no name gives the bare address", () => {
    expect(fromHeader("SX Telecom Assoc", "a@example.org")).toBe("SX Telecom Assoc <a@example.org>");
    expect(fromHeader('Assoc, "News"', "a@example.org")).toBe('"Assoc, \\"News\\"" <a@example.org>');
    expect(fromHeader(undefined, "a@example.org")).toBe("a@example.org");
    expect(fromHeader("  ", "a@example.org")).toBe("a@example.org");
    expect(fromHeader("新名字", "旧名 <a@example.org>")).toMatch(/^=\?UTF-8\?B\?[^ ]+\?= <a@example\.org>$/);
  });

  it("refuses a line break or control character in the name or address", () => {
    expect(() => fromHeader("秘书处\r\nBcc: victim@example.net", "a@example.org")).toThrow(/line breaks/);
    expect(() => fromHeader("秘书处\u0085", "a@example.org")).toThrow(/line breaks/);
    expect(() => fromHeader("秘书处", "a@example.org\r\nBcc: x@y.z")).toThrow(/line breaks/);
    expect(() => fromHeader("秘书处", "not an address")).toThrow(/cannot go into a header/);
  });
});
