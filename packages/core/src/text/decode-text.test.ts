import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { InvalidInputError } from "../errors/errors.ts";
import { charsetOf, decodeText } from "./decode-text.ts";
import { encodeGbk } from "./gbk.test-support.ts";

const SAMPLE = readFileSync(new URL("../../../../samples/recipients.csv", import.meta.url), "utf8");
const BULLETIN = readFileSync(
  new URL("../../../../samples/bulletins/004_c6f4c6a81dc11ba8.txt", import.meta.url),
  "utf8",
);
const utf8 = (s: string) => new TextEncoder().encode(s);
const gbk = encodeGbk;

function refusal(bytes: Uint8Array, charset?: string): InvalidInputError {
  try {
    decodeText(bytes, { charset });
  } catch (e) {
    if (e instanceof InvalidInputError) return e;
    throw e;
  }
  throw new Error("expected a refusal");
}

describe("decodeText", () => {
  it("reads UTF-8 with and without a BOM, and UTF-16 with a BOM", () => {
    expect(decodeText(utf8("张三,协会"))).toEqual({ text: "张三,协会", encoding: "utf-8", how: "detected" });
    expect(decodeText(utf8("\uFEFF张三"))).toEqual({ text: "张三", encoding: "utf-8", how: "bom" });
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from("报：各中心", "utf16le")]);
    expect(decodeText(le)).toEqual({ text: "报：各中心", encoding: "utf-16le", how: "bom" });
    const be = Buffer.from(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from("发：会员", "utf16le")]).swap16());
    expect(decodeText(be)).toEqual({ text: "发：会员", encoding: "utf-16be", how: "bom" });
  });

  it("recognises GBK by its bytes: the sample recipients and a whole bulletin as Excel on Chinese Windows saves them", () => {
    expect(decodeText(gbk(SAMPLE))).toEqual({ text: SAMPLE, encoding: "gb18030", how: "detected" });
    expect(decodeText(gbk(BULLETIN)).text).toBe(BULLETIN);
    expect(decodeText(Buffer.from("d6d0cec4", "hex")).text).toBe("中文");
  });

  it("uses a declared charset first, under any of its names", () => {
    expect(decodeText(gbk("山西省通信管理局"), { charset: "GBK" })).toMatchObject({
      text: "山西省通信管理局",
      how: "declared",
    });
    expect(decodeText(gbk("山西"), { charset: "gb2312" }).text).toBe("山西");
    expect(decodeText(utf8("山西"), { charset: "UTF-8" }).text).toBe("山西");
    // Declared UTF-8 but GBK bytes: refused, never decoded with U+FFFD.
    const e = refusal(Buffer.concat([utf8("email,name\na@x.cn,"), gbk("张三")]), "utf-8");
    expect(e.code).toBe("text.invalid");
    expect(e.details).toMatchObject({ encoding: "utf-8", line: 2 });
  });

  it("refuses what is neither UTF-8 nor GBK Chinese, saying where", () => {
    // Latin-1 "José Müller": valid GBK byte pairs, but nothing a Chinese file holds.
    const latin1 = Buffer.from("name\nJos\xe9 M\xfcller\n", "latin1");
    const e = refusal(latin1);
    expect(e.code).toBe("text.undetectable");
    expect(e.details).toMatchObject({ line: 2, byte: 8 });
    // UTF-8 and GBK mixed in one file (rows pasted from two sources).
    expect(refusal(Buffer.concat([utf8("第一行\n第二行"), gbk("中文")])).code).toBe("text.undetectable");
    expect(refusal(Buffer.from([0xff, 0x41, 0x42])).code).toBe("text.undetectable");
  });

  it("never passes on U+FFFD: text garbled before it reached us is refused with its line", () => {
    const e = refusal(utf8("email,name\na@x.cn,\uFFFD\uFFFD\n"));
    expect(e.code).toBe("text.replacement-char");
    expect(e.details).toEqual({ line: 2 });
  });

  it("refuses an unknown charset and a byte-order mark that contradicts the declared one", () => {
    expect(refusal(utf8("x"), "latin-9").code).toBe("text.charset-unknown");
    expect(refusal(utf8("\uFEFFx"), "gbk").code).toBe("text.bom-mismatch");
    expect(
      decodeText(Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from("\u4e2d", "utf16le").swap16()]), {
        charset: "utf-16",
      }).text,
    ).toBe("中");
  });

  it("reads the charset of a Content-Type", () => {
    expect(charsetOf("text/csv; charset=GBK")).toBe("GBK");
    expect(charsetOf('text/plain;charset="utf-8"')).toBe("utf-8");
    expect(charsetOf("text/csv")).toBeUndefined();
    expect(charsetOf(undefined)).toBeUndefined();
  });
});
