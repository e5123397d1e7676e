/**
 * How many bytes a report makes Athena scan, over the sync bucket's JSON and over compacted Parquet.
 *
 * JSON has no columns to skip: Athena reads every object of every inventory type the query touches. Parquet is
 * read column by column: the bytes are the compressed column chunks of the columns the query names (account and
 * Region are folder names, free). Columns are found by name in the SQL's identifiers (string literals and
 * comments left out), which can only over-count: a name shared by two tables counts for both. The history views
 * read every column of their table, and `history_observations` every type's key columns.
 */
import {
  compileReport,
  DEFAULT_POLICY,
  INVENTORY_TYPES,
  REPORTS,
  runsOn,
  tableColumns,
  trinoDialect,
  type InventoryTypeSpec,
} from '@patchboard/core';

/** Lower-case identifiers of a SQL text, without string literals, quoted names' quotes, or comments. */
export function sqlIdentifiers(text: string): Set<string> {
  const bare = text
    .replace(/--[^\n]*/g, ' ')
    .replace(/\/\*[\s\S]*?\*\//g, ' ')
    .replace(/'(?:[^']|'')*'/g, ' ');
  return new Set((bare.match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? []).map((word) => word.toLowerCase()));
}

/** Per inventory table, the columns a query reads (key-path columns included). */
export function columnsRead(text: string): Map<InventoryTypeSpec, Set<string>> {
  const words = sqlIdentifiers(text);
  const read = new Map<InventoryTypeSpec, Set<string>>();
  const add = (type: InventoryTypeSpec, columns: Iterable<string>) => {
    const set = read.get(type) ?? new Set<string>();
    for (const column of columns) set.add(column);
    read.set(type, set);
  };
  for (const type of INVENTORY_TYPES) {
    const all = tableColumns(type).map((c) => c.name);
    if (words.has(`${type.table}_history`)) add(type, all);
    if (words.has(type.table))
      add(
        type,
        all.filter((name) => words.has(name)),
      );
    if (words.has('history_observations'))
      add(type, ['accountid', 'region', 'resourcetype', 'resourceid', 'capturetime']);
  }
  return read;
}

export interface ScanEstimate {
  readonly report: string;
  /** Bytes of the JSON objects of the types read; null when the JSON sizes are not known. */
  readonly json_bytes: number | null;
  readonly parquet_bytes: number;
  /** How many times fewer bytes Parquet scans. */
  readonly ratio: number | null;
}

/**
 * The estimate for every catalogue report that runs on Athena, from the Parquet column sizes (table → column
 * → bytes) and the JSON bytes per inventory type name (`AWS:ComplianceItem` → bytes).
 */
export function estimateScans(
  parquetColumnBytes: ReadonlyMap<string, Readonly<Record<string, number>>>,
  jsonBytesByType: ReadonlyMap<string, number> | undefined,
): ScanEstimate[] {
  const context = { policy: DEFAULT_POLICY, now: Date.parse('2026-10-31T12:00:00Z'), dialect: trinoDialect };
  return REPORTS.filter((r) => runsOn(r, 'athena')).map((report) => {
    const { sql } = compileReport(report.id, report.example ?? {}, context).query;
    let parquet = 0;
    let json = 0;
    for (const [type, columns] of columnsRead(sql)) {
      const sizes = parquetColumnBytes.get(type.table) ?? {};
      for (const column of columns) parquet += sizes[column] ?? 0;
      json += jsonBytesByType?.get(type.typeName) ?? 0;
    }
    return {
      report: report.id,
      json_bytes: jsonBytesByType ? json : null,
      parquet_bytes: parquet,
      ratio: jsonBytesByType && parquet > 0 ? Math.round((10 * json) / parquet) / 10 : null,
    };
  });
}
