import { parse } from "csv-parse/sync";
import { InvalidInputError } from "../errors/errors.ts";
import type { Tier } from "../issue/issue-schema.ts";
import { unguardFormula } from "./csv-formula.ts";
import { checkEmail } from "./email-address.ts";
import { RECIPIENT_LIMITS, TIER_ALIASES } from "./recipient.ts";

/** The columns a recipient CSV must have, in any order. */
export const RECIPIENT_CSV_COLUMNS = ["email", "name", "organization", "tier", "role"] as const;
export type RecipientCsvColumn = (typeof RECIPIENT_CSV_COLUMNS)[number];

/**
 * Columns that `recipientsToCsv` adds. The import accepts them so that an export can be imported
 * again, and ignores their values: status and dates belong to the service, never to a file.
 */
export const IGNORED_CSV_COLUMNS = ["status", "createdAt", "updatedAt"] as const;

/** A data row that passed every check; `line` is where its record starts (1-based). */
export interface ValidRow {
  line: number;
  email: string;
  name: string;
  organization: string;
  tier: Tier;
  role: string;
}

/** A data row that did not; `email` is given when the row has a printable one. */
export interface RejectedRow {
  line: number;
  /** In English, for the CLI and the API's readers. */
  reason: string;
  /** The same as a code (row.*, email.*), with `details`, for a message in the user's language. */
  code: string;
  details?: Record<string, string | number>;
  email?: string;
}

interface CsvRecord {
  line: number;
  fields: string[];
}

interface Layout {
  index: Record<RecipientCsvColumn, number>;
  width: number;
}

/** C0, DEL, C1 and the Unicode line/paragraph separators: none belongs in a name or an address. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/u;
const LINE_BREAK = /[\n\r\u2028\u2029\u0085]/u;
const TEXT_LIMITS = {
  name: RECIPIENT_LIMITS.name,
  organization: RECIPIENT_LIMITS.organization,
  role: RECIPIENT_LIMITS.role,
};

/**
 * Reads a recipient list. The file itself must be sound (a header with the five columns, quotes
 * closed), else InvalidInputError; each data row is then checked on its own, and a bad row is
 * rejected with its line number and a short reason instead of failing the file. Blank rows (also
 * Excel's `,,,,`) are skipped silently. Name, organization and role may be empty; email and tier not.
 *
 * @example
 * const { rows, rejected } = parseRecipientCsv("email,name,organization,tier,role\na@example.cn,张三,协会,报,秘书长\n");
 * // rows: [{ line: 2, email: "a@example.cn", name: "张三", organization: "协会", tier: "report", role: "秘书长" }]
 */
export function parseRecipientCsv(text: string): { rows: ValidRow[]; rejected: RejectedRow[] } {
  const [header, ...records] = readRecords(text);
  if (!header) throw new InvalidInputError("recipients-csv.empty", "the file is empty (no header line)");
  const layout = readHeader(header.fields);
  const rows: ValidRow[] = [];
  const rejected: RejectedRow[] = [];
  const firstLine = new Map<string, number>();
  for (const record of records) {
    if (record.fields.every((f) => f.trim() === "")) continue;
    const row = readRow(record, layout);
    if ("reason" in row) {
      rejected.push(row);
      continue;
    }
    const first = firstLine.get(row.email);
    if (first !== undefined) {
      rejected.push({
        line: row.line,
        email: row.email,
        reason: `duplicate of line ${first}`,
        code: "row.duplicate",
        details: { first },
      });
      continue;
    }
    firstLine.set(row.email, row.line);
    rows.push(row);
  }
  return { rows, rejected };
}

/**
 * Splits the text into records, each with the line it starts on. Line ends are made "\n" first:
 * csv-parse takes its record delimiter from the first line it sees, so a file mixing CRLF and LF
 * (rows pasted from elsewhere) would otherwise run records together; a CR inside a quoted field
 * becomes LF, which the row check rejects all the same.
 */
function readRecords(text: string): CsvRecord[] {
  const normalised = text.replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n");
  const records: CsvRecord[] = [];
  try {
    parse(normalised, {
      record_delimiter: "\n",
      // Too few/many fields are a row's problem, reported per row, not the file's.
      relax_column_count: true,
      // A stray quote inside an unquoted field (Bob "the builder") is taken literally.
      relax_quotes: true,
      skip_empty_lines: true,
      on_record: (fields: string[], context) => {
        // csv-parse counts the line a record ends on; newlines inside quoted fields say how far back it began.
        const inside = fields.reduce((n, f) => n + countNewlines(f), 0);
        records.push({ line: context.lines - inside, fields });
        return null;
      },
    });
  } catch (e) {
    const line = nextRecordLine(normalised, records.at(-1));
    const unclosed = (e as { code?: unknown }).code === "CSV_QUOTE_NOT_CLOSED";
    const what = unclosed ? "a quoted field is never closed" : e instanceof Error ? e.message : String(e);
    throw new InvalidInputError("recipients-csv.malformed", `line ${line}: the CSV is malformed: ${what}`, {
      cause: e,
    });
  }
  return records;
}

/** Where the record after `last` starts (the one csv-parse failed on): the next non-empty line. */
function nextRecordLine(text: string, last: CsvRecord | undefined): number {
  const lines = text.split("\n");
  let i = last ? last.line + last.fields.reduce((n, f) => n + countNewlines(f), 0) : 0;
  while (i < lines.length - 1 && lines[i] === "") i++;
  return i + 1;
}

function countNewlines(s: string): number {
  let n = 0;
  for (let i = s.indexOf("\n"); i >= 0; i = s.indexOf("\n", i + 1)) n++;
  return n;
}

function readHeader(fields: string[]): Layout {
  const found = new Map<string, number>();
  const ignored = new Set<string>(IGNORED_CSV_COLUMNS.map((c) => c.toLowerCase()));
  fields.forEach((raw, i) => {
    const name = raw.trim().toLowerCase();
    const known = (RECIPIENT_CSV_COLUMNS as readonly string[]).includes(name) || ignored.has(name);
    if (!known) {
      const what =
        name === ""
          ? `an unnamed column (column ${i + 1})`
          : `the unknown column ${JSON.stringify(raw.trim().slice(0, 40))}`;
      throw new InvalidInputError(
        "recipients-csv.header",
        `the header has ${what} (expected ${RECIPIENT_CSV_COLUMNS.join(",")}; ${IGNORED_CSV_COLUMNS.join(", ")} are accepted and ignored)`,
      );
    }
    if (found.has(name))
      throw new InvalidInputError("recipients-csv.header", `the header has the column "${name}" twice`);
    found.set(name, i);
  });
  const missing = RECIPIENT_CSV_COLUMNS.filter((c) => !found.has(c));
  if (missing.length > 0) {
    const list = missing.map((c) => `"${c}"`).join(", ");
    throw new InvalidInputError(
      "recipients-csv.header",
      `the header is missing the column${missing.length > 1 ? "s" : ""} ${list} (expected ${RECIPIENT_CSV_COLUMNS.join(",")})`,
    );
  }
  const index = Object.fromEntries(RECIPIENT_CSV_COLUMNS.map((c) => [c, found.get(c) ?? 0])) as Layout["index"];
  return { index, width: fields.length };
}

function readRow({ line, fields }: CsvRecord, layout: Layout): ValidRow | RejectedRow {
  const emailField = fields[layout.index.email];
  // The address, when printable, helps the secretariat find the row; a control character could forge report lines.
  const printable = emailField !== undefined && !CONTROL.test(emailField) && emailField.trim() !== "";
  const shown = printable ? emailField.trim().toLowerCase().slice(0, RECIPIENT_LIMITS.email) : undefined;
  const reject = (reason: string, code: string, details?: Record<string, string | number>): RejectedRow => ({
    line,
    reason,
    code,
    ...(details ? { details } : {}),
    ...(shown === undefined ? {} : { email: shown }),
  });
  if (fields.length !== layout.width) {
    const which = fields.length < layout.width ? "too few" : "too many";
    return reject(
      `${which} fields (${fields.length}, expected ${layout.width})`,
      fields.length < layout.width ? "row.too-few-fields" : "row.too-many-fields",
      { count: fields.length, expected: layout.width },
    );
  }
  const value = {} as Record<RecipientCsvColumn, string>;
  for (const column of RECIPIENT_CSV_COLUMNS) {
    const raw = fields[layout.index[column]] ?? "";
    const control = raw.match(CONTROL)?.[0];
    if (control !== undefined) {
      const code = `U+${control.codePointAt(0)?.toString(16).toUpperCase().padStart(4, "0")}`;
      return LINE_BREAK.test(control)
        ? reject(`${column} contains a line break`, "row.line-break", { column })
        : reject(`${column} contains a control character (${code})`, "row.control-char", { column, char: code });
    }
    value[column] = unguardFormula(raw.trim());
  }
  const email = checkEmail(value.email);
  if (!email.ok) return reject(email.reason, email.code);
  const tier = parseTier(value.tier);
  if (tier === undefined) {
    const what = value.tier === "" ? "missing tier" : `unknown tier ${JSON.stringify(value.tier.slice(0, 20))}`;
    return reject(
      `${what} (expected report, distribute, copy, 报, 发 or 送)`,
      value.tier === "" ? "row.tier-missing" : "row.tier-unknown",
      { value: value.tier.slice(0, 20) },
    );
  }
  for (const [column, limit] of Object.entries(TEXT_LIMITS) as [keyof typeof TEXT_LIMITS, number][]) {
    const length = value[column].length;
    if (length > limit)
      return reject(`${column} is too long (${length} characters, at most ${limit})`, "row.too-long", {
        column,
        length,
        max: limit,
      });
  }
  return { line, email: email.email, name: value.name, organization: value.organization, tier, role: value.role };
}

/**
 * The tier from how the secretariat writes it. `Object.hasOwn`, because TIER_ALIASES is a plain
 * object and "constructor" must not be a tier.
 */
function parseTier(text: string): Tier | undefined {
  const key = text.toLowerCase();
  return Object.hasOwn(TIER_ALIASES, key) ? TIER_ALIASES[key] : undefined;
}
