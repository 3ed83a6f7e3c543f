import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { importRecipients, RecipientSchema, parseRecipientCsv, InvalidInputError } from "@bulletin/core";
import { fixedClock, InMemoryRecipientRepo } from "@bulletin/core/testing";

// A copy of the shared generator lives in the project: tests must not reach outside the repository.
const GENERATOR = fileURLToPath(new URL("./support/gen-recipients.mjs", import.meta.url));
const HEADER = "email,name,organization,tier,role";
const ROWS = 10_000;
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/u;
const clock = fixedClock("2025-05-20T08:00:00.000Z");

function generate(count: number, ...args: string[]): string {
  const run = spawnSync(process.execPath, [GENERATOR, String(count), ...args], {
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  expect(run.status, run.stderr).toBe(0);
  return run.stdout;
}

/**
 * What the generator broke on purpose, found without the importer: the generator writes one record
 * per line, except the header-injection case whose quoted name holds a CRLF and so spans two lines.
 * Returns, per start line, the reason the importer must give.
 */
function expectedRejections(text: string): { bad: Map<number, string>; good: number; records: Map<number, string> } {
  const lines = text.split("\n");
  const bad = new Map<number, string>();
  const records = new Map<number, string>();
  const firstLine = new Map<string, number>();
  let good = 0;
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i] ?? "";
    if (line === "") continue;
    const at = i + 1;
    if (line.endsWith("\r")) {
      records.set(at, `${line}\n${lines[i + 1]}`);
      bad.set(at, "name contains a line break");
      i++;
      continue;
    }
    records.set(at, line);
    const [email = "", name = "", , tier = "", role] = line.split(",");
    const reason =
      role === undefined
        ? `too few fields (${line.split(",").length}, expected 5)`
        : !email.includes("@")
          ? "email has no @"
          : tier === "vip"
            ? 'unknown tier "vip" (expected report, distribute, copy, 报, 发 or 送)'
            : name.length > 100
              ? `name is too long (${name.length} characters, at most 100)`
              : firstLine.has(email)
                ? `duplicate of line ${firstLine.get(email)}`
                : undefined;
    if (reason) bad.set(at, reason);
    else {
      firstLine.set(email, at);
      good++;
    }
  }
  return { bad, good, records };
}

describe("importing a large generated recipient list (10,000 rows, 2% broken, seed 7)", () => {
  it("creates every good row, rejects every broken one at its own line, and stores no injected line break", async () => {
    const text = generate(ROWS, "--bad", "0.02", "--seed", "7");
    const oracle = expectedRejections(text);
    expect(oracle.records.size).toBe(ROWS);
    expect(oracle.bad.size).toBeGreaterThan(100); // the seed really produced broken rows of each kind
    expect(new Set([...oracle.bad.values()].map((r) => r.replace(/\d+/g, "#"))).size).toBe(6);

    const recipients = new InMemoryRecipientRepo();
    const report = await importRecipients(text, { recipients, clock });
    expect(report.created + report.updated + report.unchanged + report.skipped.length + report.rejected.length).toBe(
      ROWS,
    );
    expect(report).toMatchObject({ created: oracle.good, updated: 0, unchanged: 0, skipped: [] });
    expect(new Map(report.rejected.map((r) => [r.line, r.reason]))).toEqual(oracle.bad);

    // Re-validate each rejected record on its own: the line really holds a row bad for that reason.
    for (const { line, reason } of report.rejected) {
      const record = oracle.records.get(line) ?? "";
      const dup = /^duplicate of line (\d+)$/.exec(reason);
      const alone = dup ? `${HEADER}\n${oracle.records.get(Number(dup[1]))}\n${record}\n` : `${HEADER}\n${record}\n`;
      const again = parseRecipientCsv(alone).rejected;
      expect(
        again.map((r) => r.reason),
        `line ${line}`,
      ).toEqual([dup ? "duplicate of line 2" : reason]);
    }

    const stored = recipients.all();
    expect(stored).toHaveLength(oracle.good);
    expect(stored.some((r) => /[\r\n]/.test(r.name) || r.name.includes("Bcc:"))).toBe(false);
    expect(stored.every((r) => RecipientSchema.safeParse(r).success)).toBe(true);

    const again = await importRecipients(text, { recipients, clock: fixedClock("2025-06-01T00:00:00.000Z") });
    expect(again).toMatchObject({ created: 0, updated: 0, unchanged: oracle.good });
    expect(recipients.all()).toEqual(stored);
  });
});

/** Text that looks enough like a recipient CSV to reach the row checks, with every awkward character. */
const token = fc.oneof(
  fc.constantFrom(
    ",",
    '"',
    "\n",
    "\r",
    "\r\n",
    "'",
    "=",
    "@",
    " ",
    "\t",
    "\u0000",
    "\u0085",
    "\u2028",
    "\u2029",
    "\uFEFF",
    "\uD800",
    "＠",
  ),
  fc.constantFrom(
    "a@example.cn",
    "Zhang.San@例子.公司",
    "报",
    "发",
    "送",
    "REPORT",
    "copy",
    "vip",
    "张三",
    "..",
    "名".repeat(101),
  ),
  fc.string({ unit: "binary", maxLength: 6 }),
);
const body = fc.array(token, { maxLength: 80 }).map((parts) => parts.join(""));
const header = fc.constantFrom(
  HEADER,
  "role,tier,organization,name,email",
  `${HEADER},status,createdAt,updatedAt`,
  "\uFEFFEmail,Name,Organization,Tier,Role\r",
  "",
);

/** Mostly good values, sometimes replaced or followed by awkward characters, sometimes quoted. */
const spoilt = (good: fc.Arbitrary<string>) =>
  fc
    .tuple(
      fc.oneof(
        { weight: 6, arbitrary: good },
        { weight: 1, arbitrary: fc.array(token, { minLength: 1, maxLength: 3 }).map((p) => p.join("")) },
        { weight: 1, arbitrary: fc.tuple(good, token).map(([g, t]) => g + t) },
      ),
      fc.boolean(),
    )
    .map(([v, quoted]) => (quoted ? `"${v.replace(/"/g, '""')}"` : v));
const text = spoilt(
  fc.oneof(fc.string({ unit: "grapheme", maxLength: 12 }), fc.constantFrom("张三", "山西移动", "'=1+1", "-", "")),
);
const row = fc
  .tuple(
    spoilt(fc.oneof(fc.emailAddress(), fc.constantFrom("A@Example.CN", "zs@例子.公司", "'-x@example.cn"))),
    text,
    text,
    spoilt(fc.constantFrom("report", "distribute", "copy", "报", "发", "送", "Copy", "vip")),
    text,
  )
  .map((fields) => fields.join(","));
const rows = fc
  .tuple(fc.array(row, { maxLength: 12 }), fc.constantFrom("\n", "\r\n", "\r"))
  .map(([r, eol]) => [`\uFEFF${HEADER}`, ...r].join(eol));
const csvText = fc.oneof(
  fc.string({ unit: "binary" }),
  fc.tuple(header, body).map(([h, b]) => `${h}\n${b}`),
  { weight: 3, arbitrary: rows },
);

function fieldsAreClean(row: Record<string, unknown>): boolean {
  return Object.values(row).every((v) => typeof v !== "string" || !CONTROL.test(v));
}

describe("parseRecipientCsv on arbitrary text", () => {
  it("throws nothing but InvalidInputError, and every valid row fits the model with no control character", () => {
    fc.assert(
      fc.property(csvText, (text) => {
        let parsed: ReturnType<typeof parseRecipientCsv>;
        try {
          parsed = parseRecipientCsv(text);
        } catch (e) {
          if (e instanceof InvalidInputError) return;
          throw e;
        }
        for (const { line, ...row } of parsed.rows) {
          expect(line).toBeGreaterThanOrEqual(2);
          expect(fieldsAreClean(row)).toBe(true);
          expect(row.email).toBe(row.email.toLowerCase());
          const recipient = { ...row, status: "active", createdAt: "x", updatedAt: "x" };
          expect(RecipientSchema.safeParse(recipient).success).toBe(true);
        }
        for (const r of parsed.rejected) expect(r.email === undefined || !CONTROL.test(r.email)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it("stores only control-free fields when such text is imported", async () => {
    await fc.assert(
      fc.asyncProperty(csvText, async (text) => {
        const recipients = new InMemoryRecipientRepo();
        try {
          await importRecipients(text, { recipients, clock });
        } catch (e) {
          if (e instanceof InvalidInputError) return;
          throw e;
        }
        expect(recipients.all().every(fieldsAreClean)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});
