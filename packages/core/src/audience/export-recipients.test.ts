import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { fixedClock, InMemoryRecipientRepo } from "../testing/in-memory-recipient-repo.ts";
import { guardFormula, unguardFormula } from "./csv-formula.ts";
import { recipientsToCsv } from "./export-recipients.ts";
import { importRecipients } from "./import-recipients.ts";
import type { Recipient } from "./recipient.ts";
import { parseRecipientCsv } from "./recipient-csv.ts";

const T0 = "2025-05-01T00:00:00.000Z";
const base: Recipient = {
  email: "a@example.cn",
  name: "张三",
  organization: "协会",
  tier: "report",
  role: "秘书长",
  status: "active",
  createdAt: T0,
  updatedAt: T0,
};

describe("recipientsToCsv", () => {
  it("writes a BOM, the header and one CRLF row per recipient, quoting what needs it", () => {
    const text = recipientsToCsv([
      base,
      { ...base, email: "b@example.cn", name: '李"四', organization: "山西, 太原", status: "bounced" },
    ]);
    expect(text).toBe(
      "\uFEFFemail,name,organization,tier,role,status,createdAt,updatedAt\r\n" +
        `a@example.cn,张三,协会,report,秘书长,active,${T0},${T0}\r\n` +
        `b@example.cn,"李""四","山西, 太原",report,秘书长,bounced,${T0},${T0}\r\n`,
    );
  });

  it("quotes a lone CR or LF so a row never breaks", () => {
    const text = recipientsToCsv([{ ...base, name: "a\nb", role: "c\rd" }]);
    expect(parse(text, { bom: true, from_line: 2 })).toEqual([
      ["a@example.cn", "a\nb", "协会", "report", "c\rd", "active", T0, T0],
    ]);
  });

  it("guards formula-like fields with an apostrophe", () => {
    const text = recipientsToCsv([
      {
        ...base,
        email: "-x@example.cn",
        name: '=HYPERLINK("http://evil")',
        organization: "+86 协会",
        role: "@SUM(A1)",
      },
    ]);
    const [, row] = parse(text, { bom: true }) as string[][];
    expect(row?.slice(0, 5)).toEqual([
      "'-x@example.cn",
      '\'=HYPERLINK("http://evil")',
      "'+86 协会",
      "report",
      "'@SUM(A1)",
    ]);
  });

  it("round-trips formula-like fields through export and import, status and dates ignored", async () => {
    const tricky: Recipient[] = [
      { ...base, email: "=1@example.cn", name: "=1+1", organization: "-协会", role: "+r" },
      { ...base, email: "b@example.cn", name: "'=already guarded", organization: "''@twice", role: "'plain" },
      { ...base, email: "c@example.cn", status: "unsubscribed", createdAt: "2020-01-01T00:00:00.000Z" },
    ];
    const { rows, rejected } = parseRecipientCsv(recipientsToCsv(tricky));
    expect(rejected).toEqual([]);
    expect(rows.map(({ line: _line, ...r }) => r)).toEqual(
      tricky.map(({ email, name, organization, tier, role }) => ({ email, name, organization, tier, role })),
    );

    const recipients = new InMemoryRecipientRepo(tricky);
    const report = await importRecipients(recipientsToCsv(tricky), {
      recipients,
      clock: fixedClock("2026-01-01T00:00:00.000Z"),
    });
    expect(report).toMatchObject({
      created: 0,
      updated: 0,
      unchanged: 2,
      skipped: [{ email: "c@example.cn", reason: "unsubscribed" }],
    });
    expect(recipients.all()).toEqual([...tricky].sort((a, b) => (a.email < b.email ? -1 : 1)));
  });

  it("guardFormula and unguardFormula are inverse on every string", () => {
    for (const s of ["", "=", "'", "'=", "''=", "\t1", "\r", "a=b", "'a", "@", "-1", "+", "正常"]) {
      expect(unguardFormula(guardFormula(s))).toBe(s);
    }
  });
});
