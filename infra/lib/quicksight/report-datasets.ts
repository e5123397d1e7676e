/**
 * The QuickSight datasets of the dashboard, from core's report catalogue: each is a catalogue report's Trino SQL
 * as QuickSight custom SQL, so the dashboard shows what `patchboard report <id> --engine athena` shows.
 *
 * Custom SQL has no bound parameters and no default database, so the compiled report is rendered with:
 * - every bound value as the literal Athena itself would receive (engine-athena `toExecutionParameter`);
 * - every instant relative to the evaluation time (`now`, the stale cut-off) as an offset from
 *   `current_timestamp`, so the dashboard evaluates at query time, not at synth time;
 * - every view name qualified with the Glue database.
 */
import {
  policySchema,
  REPORTS,
  sql,
  SqlFragment,
  trinoDialect,
  type Dialect,
  type SqlValue,
} from '@patchboard/core';
import { athenaSchema, toExecutionParameter } from '@patchboard/engine-athena';

/** QuickSight's column types for custom SQL (CloudFormation AWS::QuickSight::DataSet InputColumn Type). */
export type QuickSightColumnType = 'STRING' | 'INTEGER' | 'DECIMAL' | 'DATETIME';

export interface ReportDataset {
  /** The catalogue report. */
  readonly report: string;
  /** The report's result columns, in order, with the types QuickSight reads them as. */
  readonly columns: readonly { readonly name: string; readonly type: QuickSightColumnType }[];
}

const text = (...names: string[]) => names.map((name) => ({ name, type: 'STRING' as const }));
const integer = (...names: string[]) => names.map((name) => ({ name, type: 'INTEGER' as const }));
const instant = (name: string) => ({ name, type: 'DATETIME' as const });

/** The three reports the dashboard reads (their final SELECT lists; a test checks them against the SQL). */
export const DASHBOARD_DATASETS = {
  nodes: {
    report: 'node-compliance',
    columns: [
      ...text(
        'account_id',
        'region',
        'node_id',
        'name',
        'platform',
        'instance_status',
        'team',
        'environment',
      ),
      ...text('patch_group', 'baseline_id', 'status'),
      ...integer('missing_count', 'failed_count', 'pending_reboot_count', 'critical_noncompliant_count'),
      ...text('highest_severity'),
      instant('last_scan_time'),
    ],
  },
  missing: {
    report: 'missing-patches',
    columns: [
      ...text('patch_id', 'state', 'title', 'classification', 'severity', 'patch_severity'),
      ...integer('node_count'),
      ...text('cve_ids'),
    ],
  },
  overdue: {
    report: 'overdue-patches',
    columns: [
      ...text('account_id', 'region', 'node_id', 'name', 'team', 'environment', 'baseline_id', 'patch_id'),
      ...text('title', 'state', 'severity', 'classification', 'cve_ids'),
      instant('first_seen_noncompliant'),
      ...text('start_basis'),
      ...integer('days_outstanding'),
    ],
  },
} as const satisfies Record<string, ReportDataset>;

/** Any fixed instant: the report is compiled "as of" it and each instant becomes an offset from it. */
const COMPILED_AT = Date.UTC(2026, 0, 1);

/** Trino, with instants relative to the query's own `current_timestamp`. */
const liveDialect: Dialect = {
  ...trinoDialect,
  instant: (iso) => {
    const offset = Date.parse(iso) - COMPILED_AT;
    if (!Number.isSafeInteger(offset)) throw new Error(`The report instant ${iso} is not an ISO-8601 time.`);
    return sql.raw(`date_add('millisecond', ${offset}, current_timestamp)`);
  },
};

function inline(value: SqlValue | SqlFragment): string {
  if (!(value instanceof SqlFragment)) return toExecutionParameter(value);
  return value.strings
    .map((part, i) => part + (i < value.values.length ? inline(value.values[i] ?? null) : ''))
    .join('');
}

/** The report's SQL as QuickSight custom SQL on `database`, with the default policy (infra/README.md). */
export function reportCustomSql(report: string, database: string): string {
  const definition = REPORTS.find((r) => r.id === report);
  if (!definition) throw new Error(`core's catalogue has no report ${report}.`);
  const context = { policy: policySchema.parse({}), now: COMPILED_AT, dialect: liveDialect };
  const text = inline(definition.compile(definition.params.parse({}), context));
  // The views of engine-athena's schema (the location only shapes the physical tables, not the view names).
  const views = athenaSchema({ location: 's3://patchboard-views/inventory/', format: 'json' }).views.map(
    (v) => v.name,
  );
  const reference = new RegExp(`\\b(FROM|JOIN)(\\s+)(${views.join('|')})\\b`, 'g');
  return text.replace(reference, `$1$2${database}.$3`);
}
