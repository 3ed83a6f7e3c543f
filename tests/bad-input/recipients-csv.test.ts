import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { importRecipients, type Recipient } from "@bulletin/core";
import { fixedClock, InMemoryRecipientRepo } from "@bulletin/core/testing";
import { csvCase } from "./support/recipient-rows.ts";

// Recipient CSV files with rows broken in one known way each (CR/LF and control characters in any
// column, formula prefixes, non-ASCII local parts, IDN domains, duplicates, missing or extra fields,
// unknown tiers, over-long fields), checked against an oracle written independently of the importer:
// tests/recipients-csv.test.ts fuzzes the parser for crashes and a 10,000-row file; this checks that
// each bad row is rejected at its own line for its own reason, the good rows are stored exactly,
// a rejected row leaves no record, and a second import changes nothing. The same files go through
// POST /api/recipients/import in service/recipients-csv.ts.
const SEED = 20251202;
const T0 = "2025-05-01T00:00:00.000Z";
const T1 = "2025-06-01T00:00:00.000Z";

const details = (r: Pick<Recipient, "email" | "name" | "organization" | "tier" | "role">) => ({
  email: r.email,
  name: r.name,
  organization: r.organization,
  tier: r.tier,
  role: r.role,
});

describe("importRecipients (core, in-memory store) against the oracle", () => {
  it("rejects every bad row at its line with its reason, stores exactly the good ones, and is idempotent", async () => {
    await fc.assert(
      fc.asyncProperty(csvCase("c", 25), async (c) => {
        const recipients = new InMemoryRecipientRepo();
        const report = await importRecipients(c.text, { recipients, clock: fixedClock(T0) });
        expect(new Map(report.rejected.map((r) => [r.line, r.reason]))).toEqual(c.rejected);
        expect([...report.rejected.map((r) => r.line)]).toEqual([...c.rejected.keys()]);
        expect(report).toMatchObject({ created: c.stored.size, updated: 0, unchanged: 0, skipped: [] });

        const all = recipients.all();
        expect(new Map(all.map((r) => [r.email, details(r)]))).toEqual(c.stored);
        expect(all.every((r) => r.status === "active" && r.createdAt === T0 && r.updatedAt === T0)).toBe(true);
        // Nothing half-way: no record for an address that only bad rows carry.
        for (const email of c.neverStored) expect(await recipients.get(email)).toBeNull();

        const again = await importRecipients(c.text, { recipients, clock: fixedClock(T1) });
        expect(again).toEqual({
          created: 0,
          updated: 0,
          unchanged: c.stored.size,
          skipped: [],
          rejected: report.rejected,
        });
        expect(recipients.all()).toEqual(all);
      }),
      { numRuns: 200, seed: SEED },
    );
  });

  it("non-ASCII local parts are refused with the reason; IDN domains are kept, in NFC and lower case", async () => {
    const recipients = new InMemoryRecipientRepo();
    const text = [
      "email,name,organization,tier,role",
      "张三@example.cn,张三,协会,报,",
      "Zhang.San@例子.公司,张三,协会,报,",
      "li@MÜNCHEN.de,李,协会,发,",
      "wang@cafe\u0301.fr,王,协会,送,",
      "zhao@xn--fsqu00a.xn--55qx5d,赵,协会,送,",
    ].join("\n");
    const report = await importRecipients(text, { recipients, clock: fixedClock(T0) });
    expect(report.rejected).toEqual([
      {
        line: 2,
        email: "张三@example.cn",
        reason: "email has non-ASCII characters before @ (SES cannot send to them)",
        code: "email.local-non-ascii",
      },
    ]);
    // The Unicode and the punycode (ACE) spelling of a domain are different keys: the import does not
    // convert between them, so the same mailbox written both ways would be two recipients.
    expect(
      recipients
        .all()
        .map((r) => r.email)
        .sort(),
    ).toEqual(["li@münchen.de", "wang@café.fr", "zhang.san@例子.公司", "zhao@xn--fsqu00a.xn--55qx5d"]);
  });
});
