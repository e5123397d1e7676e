/**
 * The daily history snapshot: the current inventory views, UNLOADed by Athena as zstd Parquet under
 * `history/<table>/snapshot_date=<YYYY-MM-DD>/` of the delivery bucket, so that Athena keeps one row set per
 * day although the sync bucket holds the current objects only. A re-run the same day replaces that day.
 *
 * Types written: the views give instants as `timestamp(3) with time zone`, which Athena's Hive writer cannot
 * store (UNLOAD and CTAS fail with "NOT_SUPPORTED: Unsupported Hive type: timestamp(3) with time zone"; the
 * UNLOAD page of the Athena User Guide points to CTAS's type rules, which list TIMESTAMP without a zone). So
 * every instant is written as `timestamp(3)` holding the UTC wall-clock time (`AT TIME ZONE 'UTC'` first, then
 * the zone dropped); text and upper-cased statuses as `varchar`, counts as `bigint`, patch states as `varchar`.
 * The columns are listed explicitly, in the view's order: `accountid`, `region`, `resourcetype`, `resourceid`,
 * then the type's columns.
 */
import { DeleteObjectsCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { INVENTORY_TYPES, tableColumns, type InventoryTypeSpec } from '@patchboard/core';
import type { AthenaQueryEngine } from '@patchboard/engine-athena';

const KEY_COLUMNS = ['accountid', 'region', 'resourcetype', 'resourceid'];

/** The SELECT list of one view's snapshot: every column by name, instants cast to UTC `timestamp(3)`. */
export function snapshotColumns(type: InventoryTypeSpec): string {
  const rest = tableColumns(type).filter((c) => !KEY_COLUMNS.includes(c.name));
  return [
    ...KEY_COLUMNS,
    ...rest.map((c) =>
      c.kind === 'timestamp' ? `CAST(${c.name} AT TIME ZONE 'UTC' AS timestamp(3)) AS ${c.name}` : c.name,
    ),
  ].join(', ');
}

export const snapshotPrefix = (table: string, day: string) => `history/${table}/snapshot_date=${day}/`;

/** Removes what an earlier run of the same day left (UNLOAD refuses a non-empty destination). */
async function clearPrefix(s3: S3Client, bucket: string, prefix: string): Promise<number> {
  let removed = 0;
  // Bounded: a day's snapshot of one table is a handful of Parquet files.
  for (let page = 0; page < 1000; page++) {
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }));
    const keys = (listed.Contents ?? []).flatMap((o) => (o.Key ? [{ Key: o.Key }] : []));
    if (keys.length === 0) break;
    await s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys, Quiet: true } }));
    removed += keys.length;
    if (!listed.IsTruncated) break;
  }
  return removed;
}

export async function recordSnapshot(
  engine: Pick<AthenaQueryEngine, 'execute'>,
  s3: S3Client,
  bucket: string,
  day: string,
): Promise<string[]> {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) throw new Error(`The snapshot day ${day} is not YYYY-MM-DD.`);
  const written: string[] = [];
  for (const type of INVENTORY_TYPES) {
    const prefix = snapshotPrefix(type.table, day);
    await clearPrefix(s3, bucket, prefix);
    await engine.execute({
      sql: `UNLOAD (SELECT ${snapshotColumns(type)} FROM ${type.table}) TO 's3://${bucket}/${prefix}' WITH (format = 'PARQUET', compression = 'ZSTD')`,
      parameters: [],
    });
    written.push(prefix);
  }
  return written;
}
