import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import type { Recipient } from "@bulletin/core";
import { type CsvCase, csvCase } from "../support/recipient-rows.ts";
import type { SharedService, TestService } from "../support/shared-service.ts";

// The recipient CSVs of tests/bad-input/recipients-csv.test.ts, through POST /api/recipients/import
// into DynamoDB: the same oracle (rejections by line and reason, exactly the good rows stored, none of
// a rejected row, idempotent), and files the import cannot read at all, refused whole.
const SEED = 20251202;

const details = (r: Pick<Recipient, "email" | "name" | "organization" | "tier" | "role">) => ({
  email: r.email,
  name: r.name,
  organization: r.organization,
  tier: r.tier,
  role: r.role,
});

let ctx: TestService;

const importCsv = (body: BodyInit) =>
  ctx.api("/api/recipients/import", { role: "admin", method: "POST", headers: { "content-type": "text/csv" }, body });

/** Every recipient the service holds, through the API, a page at a time. */
async function listAll(): Promise<Recipient[]> {
  const out: Recipient[] = [];
  let cursor: string | undefined;
  do {
    const res = await ctx.api(`/api/recipients?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`, {
      role: "viewer",
    });
    const page = (await res.json()) as { items: Recipient[]; cursor?: string };
    out.push(...page.items);
    cursor = page.cursor;
  } while (cursor);
  return out;
}

/** The suite, on the shared service (see tests/bad-input/service.test.ts). */
export function recipientsCsvApi(shared: SharedService) {
  beforeAll(() => {
    ctx = shared.ctx;
  });

  describe("POST /api/recipients/import on the real service, against the oracle", () => {
    it("reports every bad row with its line and reason, stores the good rows in DynamoDB, and a re-import changes nothing", async () => {
      const cases: CsvCase[] = fc.sample(csvCase("api", 30), { numRuns: 6, seed: SEED });
      for (const [i, c] of cases.entries()) {
        const before = new Map((await listAll()).map((r) => [r.email, r]));
        const res = await importCsv(c.text);
        expect(res.status, `file ${i}`).toBe(200);
        const report = (await res.json()) as { created: number; rejected: { line: number; reason: string }[] };
        expect(new Map(report.rejected.map((r) => [r.line, r.reason])), `file ${i}`).toEqual(c.rejected);
        expect(report.created).toBe(c.stored.size);

        const after = await listAll();
        const added = after.filter((r) => !before.has(r.email));
        expect(new Map(added.map((r) => [r.email, details(r)]))).toEqual(c.stored);
        for (const email of c.neverStored)
          expect(
            after.some((r) => r.email === email),
            email,
          ).toBe(false);

        const again = await importCsv(c.text);
        expect(await again.json()).toMatchObject({
          created: 0,
          updated: 0,
          unchanged: c.stored.size,
          rejected: report.rejected,
        });
        expect(await listAll()).toEqual(after);
      }
    });

    it("refuses a whole file it cannot read — unclosed quote, bad header, not UTF-8 — with a clear 400, storing none of its good rows", async () => {
      const good =
        "email,name,organization,tier,role\nwhole-file-1@example.cn,张三,协会,报,\nwhole-file-2@example.cn,李四,协会,发,\n";
      const gbk = Buffer.concat([
        Buffer.from("email,name,organization,tier,role\nwhole-file-3@example.cn,"),
        Buffer.from("d5c5c8fd", "hex"),
        Buffer.from(",协会,报,\n"),
      ]);
      const before = await listAll();
      const files: [BodyInit, RegExp][] = [
        [`${good}whole-file-4@example.cn,"王五,协会,送,\n`, /^line 4: .*quoted field is never closed/],
        [good.replace(",organization", ""), /header is missing the column "organization"/],
        [good.replace("role", "role,phone"), /unknown column "phone"/],
        ["", /empty/],
        [gbk, /UTF-8/],
      ];
      for (const [body, message] of files) {
        const res = await importCsv(body);
        expect(res.status).toBe(400);
        const error = (await res.json()) as { error: string; message: string };
        expect(error.message).toMatch(message);
        expect(error.error).toMatch(/^[a-z-]+(\.[a-z-]+)?$/);
      }
      expect(await listAll()).toEqual(before);
    });
  });
}
