import fc from "fast-check";
import type { Recipient } from "@bulletin/core";

/**
 * Recipient CSV files with an oracle: rows that are good, and rows broken in exactly one way whose
 * rejection (line and reason) is known before the importer sees them. Line numbers are counted here,
 * independently: a record spans one line plus the line breaks inside its quoted fields.
 */

export const COLUMNS = ["email", "name", "organization", "tier", "role"] as const;
type Column = (typeof COLUMNS)[number];
type Fields = Record<Column, string>;

export interface CsvCase {
  text: string;
  /** The rows that must be stored, by address, as the import stores them (status, dates aside). */
  stored: Map<string, Pick<Recipient, "email" | "name" | "organization" | "tier" | "role">>;
  /** Every rejected row: line → reason, in file order. */
  rejected: Map<number, string>;
  /** Addresses of rejected rows that no good row has: none of them may be stored. */
  neverStored: Set<string>;
}

const TIERS = {
  report: "report",
  distribute: "distribute",
  copy: "copy",
  报: "report",
  发: "distribute",
  送: "copy",
  Report: "report",
  COPY: "copy",
  " 发 ": "distribute",
} as const;
const TEXTS = [
  "张三",
  "李四",
  "山西移动",
  '=HYPERLINK("http://x")',
  "'=1+1",
  "+86 138",
  "-1",
  "@home",
  "<b>x</b>",
  "O'Brien",
  "a,b",
  '"引号"',
  "  spaced  ",
  "",
  "'张三",
  "\u202E右到左",
  "名".repeat(100),
];
const DOMAINS = ["example.cn", "EXAMPLE.org", "例子.公司", "münchen.de", "cafe\u0301.fr", "mail.例子.中国"];

/** What the import stores for a text field: trimmed, and one formula guard (') taken off. */
function storedText(raw: string): string {
  const t = raw.trim();
  return t.startsWith("'") && /^'*[=+\-@\t\r]/.test(t.slice(1)) ? t.slice(1) : t;
}

function storedEmail(raw: string): string {
  const [local = "", domain = ""] = raw.trim().split("@");
  return `${local.toLowerCase()}@${domain.normalize("NFC").toLowerCase()}`;
}

const CONTROLS: [string, string][] = [
  ["\u0000", "a control character (U+0000)"],
  ["\u0007", "a control character (U+0007)"],
  ["\t", "a control character (U+0009)"],
  ["\u001B", "a control character (U+001B)"],
  ["\u007F", "a control character (U+007F)"],
  ["\u009F", "a control character (U+009F)"],
  ["\u0085", "a line break"],
  ["\u2028", "a line break"],
  ["\u2029", "a line break"],
  ["\n", "a line break"],
  ["\r\n", "a line break"],
  ["\r", "a line break"],
];

/** One way to break a row, with the reason the import must give (or null: the row stays good). */
type Fault =
  | { kind: "none" }
  | { kind: "control"; column: Column; char: string; reason: string }
  | { kind: "email"; email: string; reason: string }
  | { kind: "tier"; tier: string; reason: string }
  | { kind: "long"; column: "name" | "organization" | "role"; length: number }
  | { kind: "width"; delta: number }
  | { kind: "duplicate" }
  | { kind: "blank"; fill: string };

const badEmails: [string, string][] = [
  ["张三@example.cn", "email has non-ASCII characters before @ (SES cannot send to them)"],
  ["zhāng@example.cn", "email has non-ASCII characters before @ (SES cannot send to them)"],
  ["ｚｓ@example.cn", "email has non-ASCII characters before @ (SES cannot send to them)"],
  ["zs＠example.cn", "email has no @ (＠ is a full-width character)"],
  ["zs.example.cn", "email has no @"],
  ["a@b@example.cn", "email has more than one @"],
  ["", "missing email"],
  ["zs @example.cn", "email contains spaces"],
  ["zs@localhost", "email domain has no dot"],
  ["zs..x@example.cn", "email has consecutive dots"],
  ["zs@example.123", "email domain is not valid (numeric top-level)"],
  ['"zs"@example.cn', 'email has a character not allowed before @ ("\\"")'],
];

const fault: fc.Arbitrary<Fault> = fc.oneof(
  { weight: 8, arbitrary: fc.constant({ kind: "none" as const }) },
  {
    weight: 3,
    arbitrary: fc.tuple(fc.constantFrom(...COLUMNS), fc.constantFrom(...CONTROLS)).map(([column, [char, what]]) => ({
      kind: "control" as const,
      column,
      char,
      reason: `${column} contains ${what}`,
    })),
  },
  {
    weight: 3,
    arbitrary: fc.constantFrom(...badEmails).map(([email, reason]) => ({ kind: "email" as const, email, reason })),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      {
        kind: "tier" as const,
        tier: "vip",
        reason: 'unknown tier "vip" (expected report, distribute, copy, 报, 发 or 送)',
      },
      { kind: "tier" as const, tier: "", reason: "missing tier (expected report, distribute, copy, 报, 发 or 送)" },
      {
        kind: "tier" as const,
        tier: "constructor",
        reason: 'unknown tier "constructor" (expected report, distribute, copy, 报, 发 or 送)',
      },
    ),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom("name", "organization", "role").map((column) => ({
      kind: "long" as const,
      column,
      length: { name: 101, organization: 201, role: 101 }[column],
    })),
  },
  { weight: 1, arbitrary: fc.constantFrom(-1, -4, 1).map((delta) => ({ kind: "width" as const, delta })) },
  { weight: 2, arbitrary: fc.constant({ kind: "duplicate" as const }) },
  { weight: 1, arbitrary: fc.constantFrom("", " ").map((fill) => ({ kind: "blank" as const, fill })) },
);

const rowSpec = fc.record({
  local: fc.stringMatching(/^[a-z][a-z0-9._+-]{0,8}[a-z0-9]$/).filter((s) => !s.includes("..")),
  domain: fc.constantFrom(...DOMAINS),
  name: fc.constantFrom(...TEXTS),
  organization: fc.constantFrom(...TEXTS),
  role: fc.constantFrom(...TEXTS),
  tier: fc.constantFrom(...Object.keys(TIERS)),
  shout: fc.boolean(),
  fault,
  quoteAll: fc.boolean(),
  eol: fc.constantFrom("\n", "\r\n", "\r"),
});

function quote(field: string, always: boolean): string {
  return always || /[",\r\n]/.test(field) ? `"${field.replace(/"/g, '""')}"` : field;
}

/** Line breaks a field adds to its record, as the import counts them (CRLF and CR are one each). */
function breaksIn(field: string): number {
  return (field.match(/\r\n|\r|\n/g) ?? []).length;
}

/**
 * A CSV file of up to `maxRows` rows with its oracle. Addresses are made unique per file with `tag`,
 * so several files can go into one store without meeting.
 *
 * @example
 * fc.sample(csvCase("t1", 20), { numRuns: 1, seed: 1 })[0].rejected;
 */
export function csvCase(tag: string, maxRows: number): fc.Arbitrary<CsvCase> {
  return fc
    .tuple(
      fc.array(rowSpec, { maxLength: maxRows }),
      fc.shuffledSubarray([...COLUMNS], { minLength: 5, maxLength: 5 }),
      fc.subarray(["status", "createdAt", "updatedAt"]),
      fc.boolean(),
    )
    .map(([specs, order, ignored, bom]) => {
      const header = [...order, ...ignored];
      const stored: CsvCase["stored"] = new Map();
      const rejected = new Map<number, string>();
      const neverStored = new Set<string>();
      const firstLine = new Map<string, number>();
      const goodRaw: string[] = [];
      let line = 2;
      const lines: string[] = [];
      specs.forEach((spec, i) => {
        const f = spec.fault;
        const local = `${spec.local}.${tag}${i}`;
        const fields: Fields = {
          email: `${spec.shout ? local.toUpperCase() : local}@${spec.domain}`,
          name: spec.name,
          organization: spec.organization,
          tier: spec.tier,
          role: spec.role,
        };
        let reason: string | undefined;
        if (f.kind === "duplicate" && goodRaw.length > 0) {
          const first = goodRaw[i % goodRaw.length]!;
          fields.email = ` ${first.toUpperCase()} `;
          reason = `duplicate of line ${firstLine.get(storedEmail(first))}`;
        } else if (f.kind === "control") {
          fields[f.column] = f.column === "email" ? `${fields.email}${f.char}` : `${fields[f.column]}${f.char}x`;
          reason = f.reason;
        } else if (f.kind === "email") {
          fields.email = f.email;
          reason = f.reason;
        } else if (f.kind === "tier") {
          fields.tier = f.tier;
          reason = f.reason;
        } else if (f.kind === "long") {
          fields[f.column] = "长".repeat(f.length);
          reason = `${f.column} is too long (${f.length} characters, at most ${f.length - 1})`;
        }
        let cells = header.map((c) =>
          (COLUMNS as readonly string[]).includes(c)
            ? fields[c as Column]
            : c === "status"
              ? "unsubscribed"
              : "2020-01-01",
        );
        if (f.kind === "width") {
          cells = f.delta > 0 ? [...cells, "多余"] : cells.slice(0, Math.max(1, cells.length + f.delta));
          reason = `${f.delta > 0 ? "too many" : "too few"} fields (${cells.length}, expected ${header.length})`;
        }
        if (f.kind === "blank") cells = cells.map(() => f.fill);
        // A row of empty fields (Excel's ",,,,", or a short row with nothing in it) is skipped silently.
        const blank = cells.every((c) => c.trim() === "");
        lines.push(cells.map((c) => quote(c, spec.quoteAll)).join(",") + spec.eol);
        if (!blank) {
          if (reason !== undefined) {
            rejected.set(line, reason);
            if (!fields.email.includes("\u0000")) neverStored.add(storedEmail(fields.email));
          } else {
            const email = storedEmail(fields.email);
            goodRaw.push(fields.email);
            firstLine.set(email, line);
            stored.set(email, {
              email,
              name: storedText(fields.name),
              organization: storedText(fields.organization),
              tier: TIERS[fields.tier.trim() as keyof typeof TIERS] ?? TIERS[fields.tier as keyof typeof TIERS],
              role: storedText(fields.role),
            });
          }
        }
        line += 1 + cells.reduce((n, c) => n + breaksIn(c), 0);
      });
      for (const email of stored.keys()) neverStored.delete(email);
      return { text: `${bom ? "\uFEFF" : ""}${header.join(",")}\n${lines.join("")}`, stored, rejected, neverStored };
    });
}
