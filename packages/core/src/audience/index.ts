export * from "./recipient.ts";
export * from "./recipient-repo.ts";
export { checkEmail, type EmailCheck } from "./email-address.ts";
export { guardFormula, unguardFormula } from "./csv-formula.ts";
export {
  IGNORED_CSV_COLUMNS,
  parseRecipientCsv,
  RECIPIENT_CSV_COLUMNS,
  type RecipientCsvColumn,
  type RejectedRow,
  type ValidRow,
} from "./recipient-csv.ts";
export { importRecipients, type ImportRecipientsDeps, type ImportReport } from "./import-recipients.ts";
export { RECIPIENT_EXPORT_COLUMNS, recipientsToCsv } from "./export-recipients.ts";
