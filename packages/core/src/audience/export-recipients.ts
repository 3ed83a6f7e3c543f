import { stringify } from "csv-stringify/sync";
import { guardFormula } from "./csv-formula.ts";
import type { Recipient } from "./recipient.ts";
import { IGNORED_CSV_COLUMNS, RECIPIENT_CSV_COLUMNS } from "./recipient-csv.ts";

/**
 * The export's columns: the five the import reads, then status and dates. `parseRecipientCsv`
 * accepts the last three and ignores them, so an export can be edited and imported back; a status
 * in the file never changes a stored one.
 */
export const RECIPIENT_EXPORT_COLUMNS = [...RECIPIENT_CSV_COLUMNS, ...IGNORED_CSV_COLUMNS] as const;

/**
 * Writes recipients as CSV for the secretariat's spreadsheet: a UTF-8 byte-order mark (without it
 * Excel on a Chinese Windows reads the file as GBK and garbles every name), CRLF line ends, and an
 * apostrophe before any formula-like field (see csv-formula.ts). Rows come in the given order.
 *
 * @example
 * recipientsToCsv(await repo.list().then((p) => p.items));
 * // "\uFEFFemail,name,organization,tier,role,status,createdAt,updatedAt\r\na@example.cn,张三,…"
 */
export function recipientsToCsv(recipients: Iterable<Recipient>): string {
  const rows: string[][] = [[...RECIPIENT_EXPORT_COLUMNS]];
  for (const r of recipients) rows.push(RECIPIENT_EXPORT_COLUMNS.map((c) => guardFormula(r[c])));
  return stringify(rows, {
    bom: true,
    record_delimiter: "windows",
    // csv-stringify quotes only fields holding the record delimiter itself ("\r\n"); a lone CR or LF
    // (possible in data that did not come through the import) would otherwise break the row.
    quoted_match: /[\r\n]/,
  });
}
