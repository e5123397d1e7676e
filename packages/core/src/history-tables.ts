/**
 * The history tables as data: what the DuckDB store keeps beside each inventory table (engine-duckdb
 * history.ts says how it fills them), for the engines and exports that carry history elsewhere — `compact`
 * writes them as Parquet and the Athena schema reads them there, so `--as-of`, `cve` and `overdue-patches`
 * work at organisation scale.
 */
import { INVENTORY_TYPES, type InventoryTypeSpec, tableColumns, type ColumnKind } from './inventory-types.js';
import { sql, type SqlFragment } from './sql.js';

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
const OBJECT_KEY_COLUMNS = ['accountid', 'region', 'resourcetype', 'resourceid'] as const;
const OBJECT_KEY = OBJECT_KEY_COLUMNS.map(text);

/**
 * Volatile values the status rule reads, logged at every observation: history opens no interval when only they
 * change, so an interval keeps the values of its first observation, and an instant inside it would see them
 * (a scan or an agent report from days before) instead of the newest one by then.
 */
export interface TimeLog {
  /** The log table: the object's key and `time`, one row per distinct value seen. */
  readonly table: string;
  readonly typeName: string;
  /** The inventory column whose values it keeps. */
  readonly column: string;
  readonly time: string;
}

export const TIME_LOGS: readonly TimeLog[] = [
  // The node's last scan: PatchSummary OperationEndTime (STALE when older than the policy allows).
  { table: 'history_scans', typeName: 'AWS:PatchSummary', column: 'operationendtime', time: 'scan_time' },
  // The agent's last report: InstanceInformation captureTime (UNMANAGED when older than the policy allows).
  {
    table: 'history_reports',
    typeName: 'AWS:InstanceInformation',
    column: 'capturetime',
    time: 'report_time',
  },
];

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
  ...TIME_LOGS.map((log) => ({ name: log.table, columns: [...OBJECT_KEY, instant(log.time)] })),
];

const sameObject = (left: string, right: string) =>
  sql.raw(OBJECT_KEY_COLUMNS.map((column) => `${left}.${column} = ${right}.${column}`).join(' AND '));

/**
 * The rows of `type`'s table that held at `at`, the one rule both engines' "as of" follow (DuckDB's
 * `history_at` views, Athena's shadowing CTEs). `tables` prefixes the table names read (`main.` where the
 * result shadows them in the same search path).
 *
 * - An object whose newest observation is at or before `at` and that is still in the source held exactly its
 *   current rows then: they are read from the current table, volatile values and duplicates included, so an
 *   instant at or after the last ingest gives what the current tables give.
 * - Any other object held the history rows whose interval contains `at`. Their volatile values are those of the
 *   interval's first observation, except the logged ones (`TIME_LOGS`): the newest logged value by `at`.
 */
export function rowsAsOf(type: InventoryTypeSpec, at: SqlFragment, tables = ''): SqlFragment {
  const table = (name: string) => sql.raw(`${tables}${name}`);
  const logs = TIME_LOGS.filter((log) => log.typeName === type.typeName);
  const columns = tableColumns(type);
  const historyColumns = columns.map(({ name }) => {
    const log = logs.find((l) => l.column === name);
    if (!log) return sql.raw(`h.${name}`);
    return sql`coalesce((SELECT max(l.${sql.raw(log.time)}) FROM ${table(log.table)} l
      WHERE ${sameObject('l', 'h')} AND l.${sql.raw(log.time)} <= ${at}), h.${sql.raw(name)}) AS ${sql.raw(name)}`;
  });
  const currentAt = (alias: string) => sql`EXISTS (SELECT 1 FROM ${table('history_observations')} o
      WHERE o.type_name = '${sql.raw(type.typeName)}' AND ${sameObject('o', alias)}
        AND o.gone_at IS NULL AND o.last_observed_at <= ${at})`;
  return sql`SELECT ${sql.raw(columns.map(({ name }) => `c.${name}`).join(', '))}
    FROM ${table(type.table)} c WHERE ${currentAt('c')}
    UNION ALL
    SELECT ${sql.join(historyColumns)}
    FROM ${table(`${type.table}_history`)} h
    WHERE h.valid_from <= ${at} AND (h.valid_to IS NULL OR h.valid_to > ${at}) AND NOT ${currentAt('h')}`;
}
