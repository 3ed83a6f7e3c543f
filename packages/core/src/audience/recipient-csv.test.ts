import { describe, expect, it } from "vitest";
import { InvalidInputError } from "../errors/errors.ts";
import { parseRecipientCsv } from "./recipient-csv.ts";

const HEADER = "email,name,organization,tier,role";
const csv = (...lines: string[]) => `${[HEADER, ...lines].join("\n")}\n`;
const reasons = (text: string) => parseRecipientCsv(text).rejected.map((r) => `${r.line}: ${r.reason}`);

function parseError(text: string): InvalidInputError {
  try {
    parseRecipientCsv(text);
  } catch (e) {
    if (e instanceof InvalidInputError) return e;
    throw e;
  }
  throw new Error("expected an InvalidInputError");
}

describe("parseRecipientCsv: the header", () => {
  it("takes the columns in any order, in any case, with a BOM and CRLF", () => {
    const { rows } = parseRecipientCsv(
      "\uFEFFTier,Role,EMAIL,Name,organization\r\n报,秘书长,Office@CACE.example.org,张三,协会\r\n",
    );
    expect(rows).toEqual([
      { line: 2, email: "office@cace.example.org", name: "张三", organization: "协会", tier: "report", role: "秘书长" },
    ]);
  });

  it("names a missing column", () => {
    const e = parseError("email,name,organization,role\na@example.cn,张三,协会,秘书长\n");
    expect(e.code).toBe("recipients-csv.header");
    expect(e.message).toMatch(/missing the column "tier"/);
  });

  it("refuses an unknown column, an unnamed one and a repeated one", () => {
    expect(parseError(`${HEADER},phone\n`).message).toMatch(/unknown column "phone"/);
    expect(parseError(`${HEADER},\n`).message).toMatch(/unnamed column \(column 6\)/);
    expect(parseError(`${HEADER},Email\n`).message).toMatch(/the column "email" twice/);
  });

  it("accepts status, createdAt and updatedAt, and ignores their values", () => {
    const { rows, rejected } = parseRecipientCsv(
      `${HEADER},status,createdAt,updatedAt\na@example.cn,张三,协会,发,会员,bounced,junk,\n`,
    );
    expect(rejected).toEqual([]);
    expect(rows[0]).toEqual({
      line: 2,
      email: "a@example.cn",
      name: "张三",
      organization: "协会",
      tier: "distribute",
      role: "会员",
    });
  });

  it("refuses an empty file and an unclosed quote, naming the line where the record starts", () => {
    expect(parseError("").code).toBe("recipients-csv.empty");
    expect(parseError("\uFEFF\n\n").code).toBe("recipients-csv.empty");
    const e = parseError(
      csv("a@example.cn,张三,协会,报,r", "", 'b@example.cn,"李四,协会,报,r', "c@example.cn,王五,协会,报,r"),
    );
    expect(e.code).toBe("recipients-csv.malformed");
    expect(e.message).toMatch(/^line 4: .*never closed/);
  });

  it("accepts a file with only the header", () => {
    expect(parseRecipientCsv(HEADER)).toEqual({ rows: [], rejected: [] });
  });
});

describe("parseRecipientCsv: rows", () => {
  it("reads 报/发/送 and the English tiers in any case", () => {
    const { rows } = parseRecipientCsv(
      csv(
        "a@example.cn,,,报,",
        "b@example.cn,,,发,",
        "c@example.cn,,,送,",
        "d@example.cn,,,REPORT,",
        "e@example.cn,,,Distribute,",
        "f@example.cn,,,copy,",
      ),
    );
    expect(rows.map((r) => r.tier)).toEqual(["report", "distribute", "copy", "report", "distribute", "copy"]);
  });

  it("rejects an unknown or missing tier, and does not take Object's keys for tiers", () => {
    expect(
      reasons(csv("a@example.cn,张三,协会,vip,r", "b@example.cn,张三,协会,,r", "c@example.cn,张三,协会,constructor,r")),
    ).toEqual([
      '2: unknown tier "vip" (expected report, distribute, copy, 报, 发 or 送)',
      "3: missing tier (expected report, distribute, copy, 报, 发 or 送)",
      '4: unknown tier "constructor" (expected report, distribute, copy, 报, 发 or 送)',
    ]);
  });

  it("rejects an address with a non-ASCII local part, but takes an IDN domain lower-cased", () => {
    const { rows, rejected } = parseRecipientCsv(
      csv("张三@example.cn,张三,协会,报,r", "ZS@例子.公司,张三,协会,报,r", "ZS@BÜCHER.Example,a,b,报,r"),
    );
    expect(rejected).toEqual([
      {
        line: 2,
        email: "张三@example.cn",
        reason: "email has non-ASCII characters before @ (SES cannot send to them)",
        code: "email.local-non-ascii",
      },
    ]);
    expect(rows.map((r) => r.email)).toEqual(["zs@例子.公司", "zs@bücher.example"]);
  });

  it("rejects malformed addresses with a reason each", () => {
    const bad = [
      "a b@example.cn",
      "example.cn",
      "a@b@example.cn",
      "a..b@example.cn",
      "a@example..cn",
      ".a@example.cn",
      "a@localhost",
      "@example.cn",
      "a@",
      "a@-x.cn",
      "a(b)@example.cn",
      "a＠example.cn",
    ];
    const { rows, rejected } = parseRecipientCsv(csv(...bad.map((e) => `${e},n,o,报,r`)));
    expect(rows).toEqual([]);
    expect(rejected.map((r) => r.reason)).toEqual([
      "email contains spaces",
      "email has no @",
      "email has more than one @",
      "email has consecutive dots",
      "email has consecutive dots",
      "email has a dot at the start or end of the part before @",
      "email domain has no dot",
      "email has nothing before @",
      "email has nothing after @",
      'email domain is not valid ("-x")',
      'email has a character not allowed before @ ("(")',
      "email has no @ (＠ is a full-width character)",
    ]);
  });

  it("rejects CR/LF inside a quoted field, reporting the line where the record starts", () => {
    const text = `${HEADER}\r\nok@example.cn,a,b,报,r\r\nx@example.cn,"注入\r\nBcc: victim@example.net",协会,报,r\r\nlast@example.cn,a,b,报,r\r\n`;
    const { rows, rejected } = parseRecipientCsv(text);
    expect(rejected).toEqual([
      {
        line: 3,
        email: "x@example.cn",
        reason: "name contains a line break",
        code: "row.line-break",
        details: { column: "name" },
      },
    ]);
    expect(rows.map((r) => [r.line, r.email])).toEqual([
      [2, "ok@example.cn"],
      [5, "last@example.cn"],
    ]);
  });

  it("counts lines right across blank lines, multi-line fields, mixed and old-Mac line ends", () => {
    const text = `${HEADER}\n\n"a@example.cn","1\n2\n3",o,报,r\r\n\r\nb@example.cn,n,o,报,r\rc@example.cn,"x\ry",o,报,r\nd@example.cn,n,o,报,r`;
    const { rows, rejected } = parseRecipientCsv(text);
    expect(rejected.map((r) => [r.line, r.email])).toEqual([
      [3, "a@example.cn"],
      [8, "c@example.cn"],
    ]);
    expect(rows.map((r) => [r.line, r.email])).toEqual([
      [7, "b@example.cn"],
      [10, "d@example.cn"],
    ]);
  });

  it("rejects control characters (C0, DEL, C1, U+2028/2029) in any field", () => {
    const lines = [
      "a\u0000@example.cn,n,o,报,r",
      "b@example.cn,n\u007f,o,报,r",
      "c@example.cn,n,o\u0085,报,r",
      "d@example.cn,n,o,报,r\u2028",
      "e@example.cn,n\u2029,o,报,r",
      "f@example.cn,\tn,o,报,r",
      "g@example.cn,n,o\u009b,报,r",
    ];
    expect(reasons(csv(...lines))).toEqual([
      "2: email contains a control character (U+0000)",
      "3: name contains a control character (U+007F)",
      "4: organization contains a line break",
      "5: role contains a line break",
      "6: name contains a line break",
      "7: name contains a control character (U+0009)",
      "8: organization contains a control character (U+009B)",
    ]);
  });

  it("rejects over-long fields by the RECIPIENT_LIMITS", () => {
    const long = "名".repeat(600);
    expect(
      reasons(
        csv(
          `a@example.cn,${long},o,报,r`,
          `b@example.cn,n,${"o".repeat(201)},报,r`,
          `c@example.cn,n,o,报,${"r".repeat(101)}`,
        ),
      ),
    ).toEqual([
      "2: name is too long (600 characters, at most 100)",
      "3: organization is too long (201 characters, at most 200)",
      "4: role is too long (101 characters, at most 100)",
    ]);
    expect(reasons(csv(`${"x".repeat(64)}@${"d".repeat(63)}.${"e".repeat(63)}.${"f".repeat(59)}.cn,n,o,报,r`))).toEqual(
      ["2: email is too long (255 characters, at most 254)"],
    );
    expect(parseRecipientCsv(csv(`a@example.cn,${"名".repeat(100)},o,报,r`)).rows).toHaveLength(1);
  });

  it("rejects a row with too few or too many fields instead of failing", () => {
    expect(
      reasons(csv("a@example.cn,张三,协会", "b@example.cn,张三,协会,报,r,extra", "c@example.cn,张三,协会,报,r")),
    ).toEqual(["2: too few fields (3, expected 5)", "3: too many fields (6, expected 5)"]);
  });

  it("rejects the later of two rows for one address, naming the line of the first", () => {
    const { rows, rejected } = parseRecipientCsv(
      csv("a@example.cn,张三,协会,报,r", "b@example.cn,李四,协会,报,r", "A@Example.CN ,王五,协会,发,r"),
    );
    expect(rows.map((r) => r.line)).toEqual([2, 3]);
    expect(rejected).toEqual([
      { line: 4, email: "a@example.cn", reason: "duplicate of line 2", code: "row.duplicate", details: { first: 2 } },
    ]);
  });

  it("trims fields, lower-cases the address, skips blank rows and Excel's empty ,,,, rows", () => {
    const { rows, rejected } = parseRecipientCsv(csv("  A@Example.CN  , 张三 , 协会 ,报 , 秘书长 ", ",,,,", "   "));
    expect(rejected).toEqual([]);
    expect(rows).toEqual([
      { line: 2, email: "a@example.cn", name: "张三", organization: "协会", tier: "report", role: "秘书长" },
    ]);
  });

  it("takes one guarding apostrophe off a formula-like field, and keeps other apostrophes", () => {
    const { rows } = parseRecipientCsv(
      csv("'-x@example.cn,'=HYPERLINK(\"http://x\"),'+86,报,''@r", "y@example.cn,O'Brien,'协会,报,r"),
    );
    expect(rows.map(({ email, name, organization, role }) => [email, name, organization, role])).toEqual([
      ["-x@example.cn", '=HYPERLINK("http://x")', "+86", "'@r"],
      ["y@example.cn", "O'Brien", "'协会", "r"],
    ]);
  });
});
