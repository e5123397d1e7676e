/**
 * `patchboard check`: thresholds over catalogue reports, judged here so the rule is tested without a database.
 */
import type { CheckRule } from './config.js';
import type { QueryResult, ResultRow } from './engine.js';
import { PatchboardError } from './errors.js';

export interface CheckOutcome {
  readonly rule: string;
  readonly passed: boolean;
  /** What was measured: the worst value of the column, or the row count. */
  readonly observed: number | null;
  readonly threshold: string;
  /** The rows that broke the rule, named by their text columns (`team=payments, environment=prod: 82.5`). */
  readonly detail: string;
}

export const ruleName = (rule: CheckRule) =>
  rule.name ??
  `${rule.report}${rule.column ? ` ${rule.column}` : ''}${
    Object.keys(rule.params).length > 0
      ? ` (${Object.entries(rule.params)
          .map(([k, v]) => `${k}=${String(v)}`)
          .join(', ')})`
      : ''
  }`;

/** The columns that point at a row, best first: who owns it, then what it is. */
const NAMING_COLUMNS = ['team', 'environment', 'account_id', 'region', 'baseline_id', 'node_id', 'patch_id'];

/** A row named the way a person would point at it: by up to four naming columns, else its text columns. */
function rowLabel(row: ResultRow, result: QueryResult, column: string | undefined): string {
  const present = new Set(result.columns.map((c) => c.name));
  let names = NAMING_COLUMNS.filter((name) => present.has(name) && name !== column);
  if (names.includes('node_id')) names = names.filter((n) => n !== 'account_id' && n !== 'region');
  if (names.length === 0) {
    names = result.columns.filter((c) => c.name !== column && c.type === 'string').map((c) => c.name);
  }
  return names.length > 0
    ? names
        .slice(0, 4)
        .map((name) => `${name}=${String(row[name] ?? '')}`)
        .join(', ')
    : 'all';
}

const MAX_LISTED = 10;

export function judge(rule: CheckRule, result: QueryResult): CheckOutcome {
  const rule_ = ruleName(rule);
  if (rule.maxRows !== undefined && rule.column === undefined) {
    const rows = result.rows.length;
    const passed = rows <= rule.maxRows;
    return {
      rule: rule_,
      passed,
      observed: rows,
      threshold: `rows <= ${rule.maxRows}`,
      detail: passed
        ? ''
        : result.rows
            .slice(0, MAX_LISTED)
            .map((row) => rowLabel(row, result, undefined))
            .join('; ') + (rows > MAX_LISTED ? `; … ${rows - MAX_LISTED} more` : ''),
    };
  }
  const column = rule.column!;
  if (!result.columns.some((c) => c.name === column)) {
    throw new PatchboardError(
      'CONFIG',
      `check rule "${rule_}": report ${rule.report} has no column ${column}; it has ${result.columns.map((c) => c.name).join(', ')}.`,
    );
  }
  const failing: string[] = [];
  let worst: number | null = null;
  for (const row of result.rows) {
    const value = row[column];
    // No value (e.g. compliance % of a group with no active node) breaks no threshold.
    if (typeof value !== 'number') continue;
    const low = rule.min !== undefined && value < rule.min;
    const high = rule.max !== undefined && value > rule.max;
    if (worst === null || (rule.min !== undefined ? value < worst : value > worst)) worst = value;
    if (low || high) failing.push(`${rowLabel(row, result, column)}: ${value}`);
  }
  const rowsOk = rule.maxRows === undefined || result.rows.length <= rule.maxRows;
  const bounds = [
    rule.min !== undefined ? `${column} >= ${rule.min}` : '',
    rule.max !== undefined ? `${column} <= ${rule.max}` : '',
    rule.maxRows !== undefined ? `rows <= ${rule.maxRows}` : '',
  ].filter(Boolean);
  return {
    rule: rule_,
    passed: failing.length === 0 && rowsOk,
    observed: worst,
    threshold: bounds.join(' and '),
    detail:
      failing.slice(0, MAX_LISTED).join('; ') +
      (failing.length > MAX_LISTED ? `; … ${failing.length - MAX_LISTED} more` : '') +
      (rowsOk ? '' : `${failing.length > 0 ? '; ' : ''}${result.rows.length} rows`),
  };
}
