/**
 * A result value as the text of one cell, the same in every output (terminal, CSV, HTML, the Lambda's pack),
 * and the rows of a CSV that is safe to open in a spreadsheet.
 */
import type { QueryResult, ResultValue } from './engine.js';

/** `null` is an empty cell; a list is its items joined with `, `. */
export function cellText(value: ResultValue): string {
  if (value === null) return '';
  if (Array.isArray(value)) return value.map(cellText).join(', ');
  return String(value);
}

/**
 * A cell a spreadsheet would read as a formula (`=`, `+`, `-`, `@`, tab, CR) gets a leading apostrophe, so
 * `=HYPERLINK(...)` in a tag value stays text. Numbers are data, not formulas, and are left alone.
 */
export function neutraliseFormula(value: ResultValue): ResultValue {
  return typeof value === 'string' && /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** The header and the rows of `result` as CSV cells, for a CSV writer (RFC 4180 quoting is the writer's). */
export function csvRows(result: QueryResult): string[][] {
  const header = result.columns.map((c) => c.name);
  return [
    header,
    ...result.rows.map((row) => header.map((name) => cellText(neutraliseFormula(row[name] ?? null)))),
  ];
}
