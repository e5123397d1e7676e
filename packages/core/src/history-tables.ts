/**
 * The history tables as data: what the DuckDB store keeps beside each inventory table (engine-duckdb
 * history.ts says how it fills them), for the engines and exports that carry history elsewhere — `compact`
 * writes them as Parquet and the Athena schema reads them there, so `--as-of`, `cve` and `overdue-patches`
 * work at organisation scale.
 */
import { INVENTORY_TYPES, tableColumns, type ColumnKind } from './inventory-types.js';

export interface HistoryTableSpec {
  readonly name: string;
  readonly columns: readonly { readonly name: string; readonly kind: ColumnKind }[];
}

/**
 * The run ids history leaves empty: ExecutionId and SnapshotId name the agent run that reported a row, differ at
 * every run, and cost more than all else in history; the interval keeps the run's times. Only volatile columns
 * of these names are left out (engine-duckdb history.ts; the Athena history views do the same).
 */
export const HISTORY_RUN_ID_COLUMNS: ReadonlySet<string> = new Set(['executionid', 'snapshotid']);

/** Whether history leaves this column empty (see `HISTORY_RUN_ID_COLUMNS`). */
export const isHistoryRunId = (column: { readonly name: string; readonly volatile?: boolean }): boolean =>
  HISTORY_RUN_ID_COLUMNS.has(column.name) && column.volatile === true;

const instant = (name: string) => ({ name, kind: 'timestamp' as const });
const text = (name: string) => ({ name, kind: 'text' as const });
const OBJECT_KEY = ['accountid', 'region', 'resourcetype', 'resourceid'].map(text);

export const HISTORY_TABLES: readonly HistoryTableSpec[] = [
  ...INVENTORY_TYPES.map((type) => ({
    name: `${type.table}_history`,
    columns: [
      ...tableColumns(type).map(({ name, kind }) => ({ name, kind })),
      instant('valid_from'),
      instant('valid_to'),
      instant('last_seen'),
    ],
  })),
  {
    name: 'history_observations',
    columns: [
      text('type_name'),
      ...OBJECT_KEY,
      instant('first_observed_at'),
      instant('last_observed_at'),
      instant('gone_at'),
    ],
  },
  { name: 'history_scans', columns: [...OBJECT_KEY, instant('scan_time')] },
];
