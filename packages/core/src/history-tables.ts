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
