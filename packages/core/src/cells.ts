/**
 * A result value as the text of one cell, the same in every output (terminal, CSV, HTML, the Lambda's pack),
 * and the rows of a CSV that is safe to open in a spreadsheet.
 */
import { stringify } from 'csv-stringify/sync';
import type { QueryResult, ResultValue } from './engine.js';

/** `null` is an empty cell; a list is its items joined with `, `. */
export function cellText(value: ResultValue): string {
  if (value === null) return '';
  if (Array.isArray(value)) return value.map(cellText).join(', ');
  return String(value);
}

/**
 * What may make a spreadsheet read a cell as a formula. OWASP's CSV Injection page (owasp.org/www-community/
 * attacks/CSV_Injection) lists a leading `=`, `+`, `-`, `@`, tab and carriage return; ASVS 5.0 requirement
 * 1.2.10 adds NUL. Beyond that list: a formula character after leading white space (a space, NBSP, an
 * ideographic space: some importers trim it), its full-width form (`＝`, `＋`, `－`, `＠`, which Unicode NFKC
 * normalisation turns into the ASCII one) and one at the start of any line of a multi-line value (an importer that splits
 * lines sees it as a cell's start). Mainstream spreadsheets do not run those, but guarding them costs nothing.
 */
const FORMULA_START = /^[\t\r\n\0]|(?:^|[\r\n])\s*[=+\-@\uff1d\uff0b\uff0d\uff20]/;

/**
 * A cell a spreadsheet could read as a formula gets a leading apostrophe, so `=HYPERLINK(...)` in a tag value
 * stays text. Numbers are data, not formulas, and are left alone.
 */
export function neutraliseFormula(value: ResultValue): ResultValue {
  return typeof value === 'string' && FORMULA_START.test(value) ? `'${value}` : value;
}

/** The header and the rows of `result` as CSV cells, for a CSV writer (RFC 4180 quoting is the writer's). */
export function csvRows(result: QueryResult): string[][] {
  const header = result.columns.map((c) => c.name);
  return [
    header,
    ...result.rows.map((row) => header.map((name) => cellText(neutraliseFormula(row[name] ?? null)))),
  ];
}

/** `result` as RFC 4180 CSV (CRLF line ends), formula-looking cells neutralised: every CSV Patchboard writes. */
export function renderCsv(result: QueryResult): string {
  return stringify(csvRows(result), { record_delimiter: '\r\n' });
}
