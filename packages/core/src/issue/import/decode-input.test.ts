import { describe, expect, it } from "vitest";
import { ImportError } from "../../errors/errors.ts";
import { decodeInput } from "./decode-input.ts";

const utf8 = (s: string) => new TextEncoder().encode(s);

describe("decodeInput", () => {
  it("decodes UTF-8, and UTF-16 with a byte-order mark", () => {
    expect(decodeInput(utf8("【协会消息】"))).toBe("【协会消息】");
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from("报：各中心", "utf16le")]);
    expect(decodeInput(le)).toBe("报：各中心");
  });

  it("decodes GB18030 when asked, and refuses an unknown encoding", () => {
    expect(decodeInput(Buffer.from("d6d0cec4", "hex"), { encoding: "gb18030" })).toBe("中文");
    expect(() => decodeInput(utf8("x"), { encoding: "latin-9" })).toThrow(/unknown encoding "latin-9"/);
  });

  it("says where UTF-8 breaks", () => {
    const bytes = Buffer.concat([utf8("第一行\n第二行"), Buffer.from([0xd6, 0xd0])]);
    const err = (() => {
      try {
        decodeInput(bytes);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(ImportError);
    expect((err as ImportError).message).toMatch(/byte 19, line 2/);
    expect((err as ImportError).code).toBe("text.undetectable");
  });

  it.each([
    ["empty", new Uint8Array(), /empty/],
    ["a PDF", utf8("%PDF-1.4\n"), /PDF/],
    ["a .docx", new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2]), /Word/],
    ["NUL bytes", utf8("abc\u0000def"), /binary/],
    ["control characters", utf8("abc\u0007def"), /control characters/],
  ])("refuses %s", (_what, bytes, message) => {
    expect(() => decodeInput(bytes)).toThrow(message);
  });
});
