import { guardFormula } from "@bulletin/core";
import { stringify } from "csv-stringify/sync";
import type { DeliveryRow } from "./delivery-rows.ts";

/** The columns of the delivery export, in order. */
export const DELIVERY_CSV_COLUMNS = [
  "email",
  "name",
  "organization",
  "tier",
  "status",
  "reason",
  "sesMessageId",
  "updatedAt",
] as const;

/**
 * The recipient table as CSV for Excel: a UTF-8 BOM (else Excel on a Chinese Windows reads GBK and
 * garbles every name), CRLF, and formula-like fields defused with core's guardFormula — a name or
 * an SES bounce reason is outside text and must not run in the secretariat's spreadsheet.
 *
 * @example
 * deliveriesToCsv(rows); // "\uFEFFemail,name,organization,tier,status,reason,sesMessageId,updatedAt\r\n…"
 */
export function deliveriesToCsv(rows: Iterable<DeliveryRow>): string {
  const records: string[][] = [[...DELIVERY_CSV_COLUMNS]];
  for (const r of rows) records.push(DELIVERY_CSV_COLUMNS.map((c) => guardFormula(r[c] ?? "")));
  // quoted_match: csv-stringify quotes only fields holding "\r\n" itself; a lone CR or LF must be quoted too.
  return stringify(records, { bom: true, record_delimiter: "windows", quoted_match: /[\r\n]/ });
}
