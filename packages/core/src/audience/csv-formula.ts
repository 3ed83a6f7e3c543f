/**
 * CSV formula injection: a spreadsheet runs a cell that starts with = + - @ (or a tab/CR, which
 * some of them skip before looking) as a formula, so a name like `=HYPERLINK(...)` typed into the
 * API would become live code in the secretariat's Excel. The export puts an apostrophe in front,
 * which spreadsheets read as "this is text", and the import takes exactly one such apostrophe off.
 *
 * Fields that already start with apostrophes before such a character get one more on export, so
 * that export → import gives back exactly what was stored.
 */
const NEEDS_GUARD = /^'*[=+\-@\t\r]/;

/**
 * Prefixes an apostrophe when a spreadsheet would otherwise read the field as a formula.
 *
 * @example
 * guardFormula("=1+1"); // "'=1+1"
 * guardFormula("张三"); // "张三"
 */
export function guardFormula(field: string): string {
  return NEEDS_GUARD.test(field) ? `'${field}` : field;
}

/**
 * Removes the apostrophe `guardFormula` (or a careful secretary) put in front of a formula-like field.
 *
 * @example
 * unguardFormula("'=1+1"); // "=1+1"
 * unguardFormula("'张三"); // "'张三" (not formula-like: the apostrophe is data)
 */
export function unguardFormula(field: string): string {
  return field.startsWith("'") && NEEDS_GUARD.test(field.slice(1)) ? field.slice(1) : field;
}
