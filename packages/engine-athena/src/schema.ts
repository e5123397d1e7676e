/**
 * The Athena schema over a Resource Data Sync bucket (or over `patchboard compact`'s Parquet), as plain data
 * derived from core's inventory type specs, and its rendering to DDL.
 *
 * Layout: per inventory type one physical table (`aws_complianceitem_json`, or `aws_complianceitem_parquet`)
 * whose LOCATION is the type's folder, and one view with the AWS recipe's name (`aws_complianceitem`) that
 * reports read: lower-case columns, `accountid`, `region`, `resourcetype` first, values converted as the DuckDB
 * ingest converts them (upper-cased statuses, patch states as the API enum, counts as bigint, instants as
 * `timestamp(3) with time zone` in UTC).
 *
 * Partition strategy: none. The physical table is not partitioned; Athena reads every object under its LOCATION
 * (sub-folders included), and the view takes `accountid`, `region`, `resourcetype` and the node id from each
 * row's `"$path"`. Why not partitions:
 * - Glue partitions (crawler, `MSCK REPAIR TABLE`) must be added for every new account or Region: a manual or
 *   scheduled step, and the AWS recipe's Lambda deleting the duplicated `resourcetype` column after each crawl.
 * - Partition projection with `injected` values refuses any query without an equality filter on the column;
 *   fleet reports read every account, so they would all fail.
 * - Enum projection needs the accounts and Regions listed in the table: a new account is invisible until the
 *   table is changed.
 * Without partitions a new account or Region is read as soon as its first object lands. The cost is that no
 * query can prune by account or Region, which fleet-wide reports could not use anyway; Parquet (compact)
 * is the lever for bytes scanned, by reading only the columns a report uses.
 *
 * The InstanceInformation body's own `ResourceType` (EC2Instance | ManagedInstance) is read into
 * `instanceresourcetype` through a JSON SerDe `mapping.` property, so it never collides with the key path's
 * `resourcetype`: no crawler, no column-deleting Lambda.
 *
 * History: over the bucket (JSON), which holds the current objects only, the `*_history`,
 * `history_observations` and time-log (`history_scans`, `history_reports`) views present the current rows as history with one observation
 * (each row an open interval since its object's newest capture time), which is what the DuckDB store holds after
 * one ingest. Over `compact`'s Parquet they are the DuckDB store's own history tables, so looking back (as-of.ts)
 * goes as far as that history does.
 */
import {
  HISTORY_TABLES,
  type HistoryTableSpec,
  INVENTORY_TYPES,
  isHistoryRunId,
  PATCH_STATES,
  PatchboardError,
  tableColumns,
  TIME_LOGS,
  type TimeLog,
  type ColumnKind,
  type InventoryTypeSpec,
} from '@patchboard/core';
import { CONFIG_DERIVED, CONFIG_SNAPSHOT_TABLE } from './config-snapshots.js';

export type StorageFormat = 'json' | 'parquet';

export interface AthenaColumn {
  /** Column name in the physical table (lower-case). */
  readonly name: string;
  /** Hive type as Glue stores it (`string`, `bigint`, `timestamp`). */
  readonly type: string;
}

/** One physical (external) table, as Glue would hold it. */
export interface AthenaTable {
  readonly name: string;
  readonly columns: readonly AthenaColumn[];
  /** `s3://bucket/prefix/AWS:ComplianceItem/`, with the trailing slash Athena asks for. */
  readonly location: string;
  readonly serde: string;
  readonly serdeProperties: Readonly<Record<string, string>>;
  readonly inputFormat: string;
  readonly outputFormat: string;
  readonly tableProperties: Readonly<Record<string, string>>;
}

export interface AthenaView {
  readonly name: string;
  /** The view's SELECT (Trino SQL). */
  readonly query: string;
}

export interface AthenaSchema {
  readonly format: StorageFormat;
  readonly tables: readonly AthenaTable[];
  /** In dependency order: inventory views first, then the history views built on them. */
  readonly views: readonly AthenaView[];
}

export interface AthenaSchemaOptions {
  /** Where the data is: the sync bucket and prefix (JSON), or the compacted Parquet root. */
  readonly location: string;
  readonly format?: StorageFormat;
  /**
   * The AWS Config `AWSLogs/` root (`s3://bucket/[prefix/]AWSLogs/`), when Config delivers snapshots: the EC2
   * instance views then list every instance of the newest snapshots too. JSON only: compacted Parquet already
   * holds what the ingest derived from them.
   */
  readonly configLocation?: string;
}

const JSON_SERDE = 'org.openx.data.jsonserde.JsonSerDe';
/** How Glue reads Parquet: the same for the inventory and the history tables. */
const PARQUET_STORAGE = {
  serde: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe',
  serdeProperties: {},
  inputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
  outputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat',
} as const;

/** Bucket names (S3 rules) and key characters that need no quoting; nothing that could end a SQL literal. */
const S3_LOCATION = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(\/[A-Za-z0-9!_.*()/:=+-]*)?$/;

/** `s3://bucket/prefix` in any of its spellings, normalised to `s3://bucket/prefix/`; refuses anything else. */
export function normaliseLocation(location: string): string {
  const trimmed = location.trim();
  if (!S3_LOCATION.test(trimmed) || trimmed.includes('//', 5)) {
    throw new PatchboardError(
      'USAGE',
      `The data location ${JSON.stringify(location)} is not an S3 folder Athena can read. Give it as s3://bucket/prefix (bucket name as S3 spells it; letters, digits and / _ . - : = + in the prefix).`,
    );
  }
  return trimmed.endsWith('/') ? trimmed : `${trimmed}/`;
}

const DATABASE_NAME = /^[a-z0-9_]{1,255}$/;

/** Glue database names: lower-case letters, digits and underscores. */
export function checkDatabaseName(database: string): string {
  if (!DATABASE_NAME.test(database)) {
    throw new PatchboardError(
      'USAGE',
      `The Athena database name ${JSON.stringify(database)} is not one Glue accepts here. Use lower-case letters, digits and underscores, e.g. patchboard.`,
    );
  }
  return database;
}

const physicalName = (type: InventoryTypeSpec, format: StorageFormat) => `${type.table}_${format}`;

/** Columns of the physical JSON table: every value read as text, converted in the view (see viewColumn). */
function jsonColumns(type: InventoryTypeSpec): AthenaColumn[] {
  return tableColumns(type)
    .filter((c) => !KEY_PATH_COLUMNS.has(c.name))
    .map((c) => ({ name: c.name, type: 'string' }));
}

const KEY_PATH_COLUMNS = new Set(['accountid', 'region', 'resourcetype']);
const PARQUET_TYPES: Record<ColumnKind, string> = {
  text: 'string',
  upper: 'string',
  patchState: 'string',
  integer: 'bigint',
  timestamp: 'timestamp',
};

/** Columns of the physical Parquet table: the DuckDB table's, less the partition folders. */
function parquetColumns(type: InventoryTypeSpec): AthenaColumn[] {
  return tableColumns(type)
    .filter((c) => c.name !== 'accountid' && c.name !== 'region')
    .map((c) => ({ name: c.name, type: PARQUET_TYPES[c.kind] }));
}

/** The table over every object AWS Config delivers under its `AWSLogs/` root (config-snapshots.ts reads it). */
function configSnapshotTable(location: string): AthenaTable {
  return {
    name: CONFIG_SNAPSHOT_TABLE,
    columns: [
      { name: 'fileversion', type: 'string' },
      { name: 'configsnapshotid', type: 'string' },
      {
        name: 'configurationitems',
        type: 'array<struct<configurationitemcapturetime:string,awsaccountid:string,awsregion:string,resourcetype:string,resourceid:string,configuration:string>>',
      },
    ],
    location,
    serde: JSON_SERDE,
    serdeProperties: { 'ignore.malformed.json': 'true', 'case.insensitive': 'true' },
    inputFormat: 'org.apache.hadoop.mapred.TextInputFormat',
    outputFormat: 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat',
    tableProperties: { classification: 'json', 'patchboard.source': 'aws-config' },
  };
}

/** The JSON SerDe maps a column to a differently named key: only InstanceInformation's `ResourceType`. */
function jsonMappings(type: InventoryTypeSpec): Record<string, string> {
  const mappings: Record<string, string> = {};
  for (const column of type.columns) {
    if (column.name !== column.attribute.toLowerCase()) {
      // With case.insensitive (the default), the SerDe lower-cases keys before mapping them.
      mappings[`mapping.${column.name}`] = column.attribute.toLowerCase();
    }
  }
  return mappings;
}

function physicalTable(type: InventoryTypeSpec, root: string, format: StorageFormat): AthenaTable {
  const common = { name: physicalName(type, format) };
  if (format === 'json') {
    return {
      ...common,
      columns: jsonColumns(type),
      location: `${root}${type.typeName}/`,
      serde: JSON_SERDE,
      serdeProperties: {
        // One unreadable line must not fail every report; the view drops the empty row it becomes.
        'ignore.malformed.json': 'true',
        'case.insensitive': 'true',
        ...jsonMappings(type),
      },
      inputFormat: 'org.apache.hadoop.mapred.TextInputFormat',
      outputFormat: 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat',
      tableProperties: { classification: 'json', 'patchboard.inventory_type': type.typeName },
    };
  }
  return {
    ...common,
    columns: parquetColumns(type),
    location: `${root}${type.table}/`,
    ...PARQUET_STORAGE,
    tableProperties: {
      classification: 'parquet',
      'parquet.compression': 'ZSTD',
      'patchboard.inventory_type': type.typeName,
    },
  };
}

/**
 * A sync object's key, as `"$path"` spells it: the same shape `parseBucketKey` (core bucket-key.ts) accepts.
 * Groups: 1 account id, 2 Region, 3 resource type, 4 node id. Objects that are not one node's inventory
 * (the sync's `test.json` probe, stray files) do not match and are left out by the view.
 */
const JSON_KEY_PATTERN =
  '/(?:AWS|Custom):[^/]+/accountid=(\\d{12})/region=([a-z]{2}(?:-[a-z]+)+-\\d{1,2})/resourcetype=([A-Za-z][A-Za-z0-9]*)/([A-Za-z0-9_.-]+)\\.json$';
/** `patchboard compact` output: `<table>/accountid=<id>/region=<r>/<file>.parquet`. Groups 1 and 2. */
const PARQUET_KEY_PATTERN = '/accountid=([^/]+)/region=([^/]+)/[^/]+\\.parquet$';

/** The normalised form of a patch state, as core's `normalisePatchState` folds it. */
const PATCH_STATE_CASE = `CASE upper(regexp_replace(r.%s, '[\\s_-]', ''))
${PATCH_STATES.map((state) => `      WHEN '${state.replaceAll('_', '')}' THEN '${state}'`).join('\n')}
    END`;

/** A JSON text column converted as the DuckDB ingest converts it (core records.ts `convert`). */
function jsonViewColumn(name: string, kind: ColumnKind): string {
  const raw = `r.${name}`;
  switch (kind) {
    case 'text':
      return raw;
    case 'upper':
      return `upper(nullif(${raw}, ''))`;
    case 'integer':
      return `CASE WHEN regexp_like(trim(${raw}), '^-?\\d{1,15}$') THEN CAST(trim(${raw}) AS bigint) END`;
    case 'timestamp':
      // ISO-8601 as the agent writes it (2024-05-01T02:03:11Z); a space for the T is accepted as the ingest
      // accepts it. Kept in UTC so that results print as UTC whatever zone the text had.
      return `try(from_iso8601_timestamp(regexp_replace(trim(${raw}), '^(\\d{4}-\\d{2}-\\d{2}) ', '$1T')) AT TIME ZONE 'UTC')`;
    case 'patchState':
      return PATCH_STATE_CASE.replace('%s', name);
    default: {
      const unreachable: never = kind;
      throw new Error(`unknown column kind ${String(unreachable)}`);
    }
  }
}

function jsonInventoryView(type: InventoryTypeSpec): AthenaView {
  const physical = physicalName(type, 'json');
  const columns = tableColumns(type).filter((c) => !KEY_PATH_COLUMNS.has(c.name));
  const select = [
    'r.path_accountid AS accountid',
    'r.path_region AS region',
    'r.path_resourcetype AS resourcetype',
    // The key names the node, as in the DuckDB ingest; a body naming another node is left out below.
    'r.path_node AS resourceid',
    ...columns
      .filter((c) => c.name !== 'resourceid')
      .map((c) => `${jsonViewColumn(c.name, c.kind)} AS ${c.name}`),
  ];
  const extract = (group: number) => `regexp_extract("$path", '${JSON_KEY_PATTERN}', ${group})`;
  return {
    name: type.table,
    query: `SELECT ${select.join(',\n  ')}
FROM (
  SELECT t.*, ${extract(1)} AS path_accountid, ${extract(2)} AS path_region,
    ${extract(3)} AS path_resourcetype, ${extract(4)} AS path_node
  FROM ${physical} t
) r
WHERE r.path_node IS NOT NULL AND r.path_node <> 'test' AND NOT starts_with(r.path_node, '.')
  AND (r.resourceid IS NULL OR r.resourceid = r.path_node)
  AND coalesce(${columns.map((c) => `r.${c.name}`).join(', ')}) IS NOT NULL`,
  };
}

function parquetInventoryView(type: InventoryTypeSpec): AthenaView {
  return parquetView(type.table, physicalName(type, 'parquet'), tableColumns(type));
}

/** A view over one compacted Parquet table: account and Region from the partition folders, instants in UTC. */
function parquetView(
  name: string,
  physical: string,
  columns: readonly { readonly name: string; readonly kind: ColumnKind }[],
): AthenaView {
  const select = columns.map((c) => {
    if (c.name === 'accountid') return 'r.path_accountid AS accountid';
    if (c.name === 'region') return 'r.path_region AS region';
    // Parquet keeps DuckDB's instants as UTC timestamps; the view gives them their zone back.
    if (c.kind === 'timestamp') return `with_timezone(r.${c.name}, 'UTC') AS ${c.name}`;
    return `r.${c.name}`;
  });
  const extract = (group: number) => `regexp_extract("$path", '${PARQUET_KEY_PATTERN}', ${group})`;
  return {
    name,
    query: `SELECT ${select.join(',\n  ')}
FROM (SELECT t.*, ${extract(1)} AS path_accountid, ${extract(2)} AS path_region FROM ${physical} t) r
WHERE r.path_accountid IS NOT NULL`,
  };
}

/** The compacted history table `spec` (see core history-tables.ts) as Parquet under `root`. */
function parquetHistoryTable(spec: HistoryTableSpec, root: string): AthenaTable {
  return {
    name: `${spec.name}_parquet`,
    columns: spec.columns
      .filter((c) => c.name !== 'accountid' && c.name !== 'region')
      .map((c) => ({ name: c.name, type: PARQUET_TYPES[c.kind] })),
    location: `${root}${spec.name}/`,
    ...PARQUET_STORAGE,
    tableProperties: { classification: 'parquet', 'parquet.compression': 'ZSTD' },
  };
}

const OBJECT_KEY = 'accountid, region, resourcetype, resourceid';
const NO_INSTANT = 'CAST(NULL AS timestamp(3) with time zone)';

/**
 * History as one observation of the current rows: a row per distinct state (non-volatile columns), open since
 * its object's newest capture time, as the DuckDB store records a first ingest.
 */
function historyView(type: InventoryTypeSpec): AthenaView {
  const columns = tableColumns(type);
  const identity = columns.filter((c) => !c.volatile).map((c) => c.name);
  const select = columns.map((c) => (isHistoryRunId(c) ? `CAST(NULL AS varchar) AS ${c.name}` : c.name));
  return {
    name: `${type.table}_history`,
    query: `SELECT ${select.join(', ')},
  valid_from, ${NO_INSTANT} AS valid_to, ${NO_INSTANT} AS last_seen
FROM (
  SELECT c.*, max(c.capturetime) OVER (PARTITION BY ${OBJECT_KEY}) AS valid_from,
    row_number() OVER (PARTITION BY ${identity.join(', ')} ORDER BY c.capturetime) AS row_in_state
  FROM ${type.table} c
) h
WHERE row_in_state = 1`,
  };
}

/** When each object was observed: once, at its newest capture time. */
function observationsView(): AthenaView {
  return {
    name: 'history_observations',
    query: INVENTORY_TYPES.map(
      (type) => `SELECT CAST('${type.typeName}' AS varchar) AS type_name, ${OBJECT_KEY},
  max(capturetime) AS first_observed_at, max(capturetime) AS last_observed_at, ${NO_INSTANT} AS gone_at
FROM ${type.table} GROUP BY ${OBJECT_KEY}`,
    ).join('\nUNION ALL\n'),
  };
}

/** Every logged time seen (core `TIME_LOGS`): from the bucket alone, the one in each object's current rows. */
function timeLogView(log: TimeLog): AthenaView {
  const type = INVENTORY_TYPES.find((t) => t.typeName === log.typeName);
  if (!type) throw new Error(`TIME_LOGS names ${log.typeName}, which is not an inventory type.`);
  return {
    name: log.table,
    query: `SELECT DISTINCT ${OBJECT_KEY}, ${log.column} AS ${log.time}
FROM ${type.table} WHERE ${log.column} IS NOT NULL`,
  };
}

/**
 * The tables and views for data at `location`. Over the sync bucket (JSON) history is the one observation the
 * bucket holds; over `compact`'s Parquet it is the history the DuckDB store kept, so `--as-of` looks back as
 * far as that store does.
 */
export function athenaSchema(options: AthenaSchemaOptions): AthenaSchema {
  const format = options.format ?? 'json';
  const root = normaliseLocation(options.location);
  const tables = INVENTORY_TYPES.map((type) => physicalTable(type, root, format));
  if (format === 'json') {
    const config =
      options.configLocation === undefined ? undefined : normaliseLocation(options.configLocation);
    const inventoryView = (type: InventoryTypeSpec): AthenaView => {
      const view = jsonInventoryView(type);
      const derived = config === undefined ? undefined : CONFIG_DERIVED.get(type.typeName);
      return derived
        ? { ...view, query: `SELECT * FROM (\n${view.query}\n)\nUNION ALL\nSELECT * FROM (\n${derived()}\n)` }
        : view;
    };
    return {
      format,
      tables: config === undefined ? tables : [...tables, configSnapshotTable(config)],
      views: [
        ...INVENTORY_TYPES.map(inventoryView),
        ...INVENTORY_TYPES.map(historyView),
        observationsView(),
        ...TIME_LOGS.map(timeLogView),
      ],
    };
  }
  return {
    format,
    tables: [...tables, ...HISTORY_TABLES.map((spec) => parquetHistoryTable(spec, root))],
    views: [
      ...INVENTORY_TYPES.map(parquetInventoryView),
      ...HISTORY_TABLES.map((spec) => parquetView(spec.name, `${spec.name}_parquet`, spec.columns)),
    ],
  };
}

const quoteText = (text: string) => `'${text.replaceAll("'", "''")}'`;
const properties = (entries: Readonly<Record<string, string>>) =>
  `(${Object.entries(entries)
    .map(([k, v]) => `${quoteText(k)}=${quoteText(v)}`)
    .join(', ')})`;

/** `CREATE EXTERNAL TABLE` (Hive DDL, as Athena runs it) for one table. */
export function renderTableDdl(table: AthenaTable): string {
  const serdeProperties =
    Object.keys(table.serdeProperties).length > 0
      ? `\nWITH SERDEPROPERTIES ${properties(table.serdeProperties)}`
      : '';
  return `CREATE EXTERNAL TABLE IF NOT EXISTS \`${table.name}\` (
${table.columns.map((c) => `  \`${c.name}\` ${c.type}`).join(',\n')}
)
ROW FORMAT SERDE ${quoteText(table.serde)}${serdeProperties}
STORED AS INPUTFORMAT ${quoteText(table.inputFormat)}
OUTPUTFORMAT ${quoteText(table.outputFormat)}
LOCATION ${quoteText(table.location)}
TBLPROPERTIES ${properties(table.tableProperties)}`;
}

/** `CREATE OR REPLACE VIEW` (Trino SQL) for one view. */
export function renderViewDdl(view: AthenaView): string {
  return `CREATE OR REPLACE VIEW ${view.name} AS\n${view.query}`;
}

export function renderDatabaseDdl(database: string): string {
  return `CREATE DATABASE IF NOT EXISTS \`${checkDatabaseName(database)}\``;
}

/**
 * Every statement, in the order `athena setup` runs them: the database, the tables (re-created, since
 * `IF NOT EXISTS` would keep an older definition), then the views.
 */
export function schemaStatements(schema: AthenaSchema, database: string): string[] {
  return [
    renderDatabaseDdl(database),
    ...schema.tables.flatMap((t) => [`DROP TABLE IF EXISTS \`${t.name}\``, renderTableDdl(t)]),
    ...schema.views.map(renderViewDdl),
  ];
}
