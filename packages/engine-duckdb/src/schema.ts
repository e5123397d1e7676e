/**
 * The DuckDB schema: one table per inventory type, named and shaped as the AWS recipe's Glue tables, plus
 * Patchboard's bookkeeping (what each ingest saw, and what it could not read).
 */
import { type ColumnKind, INVENTORY_TYPES, tableColumns } from '@patchboard/core';
import { historySchemaStatements } from './history.js';

/**
 * 3: the patch catalogue table `custom_patchboardcatalogue`; 4: the EC2 instance tables
 * `custom_patchboardec2instance` and `custom_patchboardec2tag` (created by the next ingest's DDL); 5: the agent
 * report log `history_reports`, which the as-of views read (filled from history where it was not kept yet).
 */
export const SCHEMA_VERSION = 5;

const SQL_TYPES: Record<ColumnKind, string> = {
  text: 'VARCHAR',
  upper: 'VARCHAR',
  patchState: 'VARCHAR',
  integer: 'BIGINT',
  timestamp: 'TIMESTAMPTZ',
};

export function schemaStatements(): string[] {
  const inventoryTables = INVENTORY_TYPES.map(
    (type) =>
      `CREATE TABLE IF NOT EXISTS ${type.table} (${tableColumns(type)
        .map((c) => `${c.name} ${SQL_TYPES[c.kind]}`)
        .join(', ')})`,
  );
  return [
    ...inventoryTables,
    ...historySchemaStatements((kind) => SQL_TYPES[kind as ColumnKind]),
    `CREATE TABLE IF NOT EXISTS patchboard_meta (key VARCHAR, value VARCHAR)`,
    // One row per ingest run.
    `CREATE TABLE IF NOT EXISTS ingests (ingest_id INTEGER, source VARCHAR, started_at TIMESTAMPTZ,
      finished_at TIMESTAMPTZ, objects_listed INTEGER, objects_read INTEGER, objects_unchanged INTEGER,
      objects_removed INTEGER, objects_skipped INTEGER, records INTEGER, rows_stored BIGINT, errors INTEGER)`,
    // The newest record of the source at each ingest: the data cut-off that history and audit packs cite.
    `ALTER TABLE ingests ADD COLUMN IF NOT EXISTS data_time TIMESTAMPTZ`,
    `ALTER TABLE ingests ADD COLUMN IF NOT EXISTS history_opened BIGINT`,
    `ALTER TABLE ingests ADD COLUMN IF NOT EXISTS history_closed BIGINT`,
    // The objects the stored rows came from: how a re-ingest knows what changed and what vanished.
    `CREATE TABLE IF NOT EXISTS source_objects (object_key VARCHAR, version VARCHAR, type_name VARCHAR,
      accountid VARCHAR, region VARCHAR, resourcetype VARCHAR, resourceid VARCHAR, records INTEGER,
      errors INTEGER, ingest_id INTEGER)`,
    `CREATE TABLE IF NOT EXISTS ingest_errors (ingest_id INTEGER, source VARCHAR, object_key VARCHAR,
      line INTEGER, reason VARCHAR, excerpt VARCHAR, ingested_at TIMESTAMPTZ)`,
  ];
}
