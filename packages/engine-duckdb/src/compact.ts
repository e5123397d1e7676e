/**
 * `patchboard compact`: the current state of the inventory tables, and their history, as Parquet (zstd), one
 * folder per table, partitioned by account and Region (`<table>/accountid=<id>/region=<r>/data_0.parquet`),
 * which Athena reads through `patchboard athena ddl --parquet` — history included, so looking back works there. Parquet is columnar: a report scans only the columns it names,
 * where over JSON Athena reads every byte of every object.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { HISTORY_TABLES, INVENTORY_TYPES } from '@patchboard/core';

export interface CompactedTable {
  readonly table: string;
  readonly rows: number;
  /** Compressed bytes of each column over all files (Parquet column-chunk sizes). */
  readonly columnBytes: Readonly<Record<string, number>>;
}

const sqlText = (text: string) => `'${text.replaceAll("'", "''")}'`;

/** Writes every inventory table under `dir` and reads back what each column costs to scan. */
export async function compactToParquet(connection: DuckDBConnection, dir: string): Promise<CompactedTable[]> {
  const tables: CompactedTable[] = [];
  const names = [...INVENTORY_TYPES.map((type) => type.table), ...HISTORY_TABLES.map((table) => table.name)];
  for (const table of names) {
    const count = await connection.runAndReadAll(`SELECT count(*)::BIGINT FROM ${table}`);
    const rows = Number(count.getRowsJS()[0]?.[0] ?? 0);
    if (rows === 0) {
      tables.push({ table, rows, columnBytes: {} });
      continue;
    }
    const folder = join(dir, table);
    // COPY … PARTITION_BY does not create the parent folder.
    await mkdir(dir, { recursive: true });
    await connection.run(
      `COPY (SELECT * FROM ${table} ORDER BY accountid, region, resourceid)
       TO ${sqlText(folder)} (FORMAT parquet, COMPRESSION zstd, PARTITION_BY (accountid, region), OVERWRITE)`,
    );
    const metadata = await connection.runAndReadAll(
      `SELECT path_in_schema, sum(total_compressed_size)::BIGINT
       FROM parquet_metadata(${sqlText(join(folder, '**', '*.parquet'))}) GROUP BY 1`,
    );
    const columnBytes: Record<string, number> = {};
    for (const [column, bytes] of metadata.getRowsJS()) columnBytes[column as string] = Number(bytes);
    tables.push({ table, rows, columnBytes });
  }
  return tables;
}
