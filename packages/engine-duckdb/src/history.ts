/**
 * History: what the bucket forgets. Resource Data Sync overwrites one object per node and type, so each ingest is
 * an observation of the whole source; history keeps, per inventory row, the interval during which it held.
 *
 * - `<table>_history` has the table's columns plus `valid_from`, `valid_to` (NULL while it holds) and
 *   `last_seen` (set when the interval closes: the last observation that still showed it). A row opens a new
 *   interval only when a non-volatile column changes (see `ColumnSpec.volatile`), so history grows with changes,
 *   not with fleet size x days. It is a set: identical rows of one object are kept once. Run ids (ExecutionId,
 *   SnapshotId) are not kept: they name the agent run that reported a row, differ at every run, and cost more
 *   than all else in history; the interval keeps the run's times.
 * - Times come from the data: an object is observed at its newest `captureTime`; an object that vanished from
 *   the source is closed at the newest `captureTime` of the whole ingest. Back-filling old snapshots in order
 *   therefore gives the same history as ingesting them live.
 * - `history_observations` remembers when each object was first and last observed, and when it vanished.
 * - `history_scans` keeps every patch scan's end time seen (PatchSummary OperationEndTime), `history_reports`
 *   every agent report's time (InstanceInformation captureTime). Both change only volatile columns, so they open
 *   no interval; but whether a node was STALE or UNMANAGED at an instant depends on the last of each before it,
 *   so the as-of views take those columns from these logs (core `TIME_LOGS`).
 * - Schema `history_at` has one view per inventory table showing the rows that held at the instant in the
 *   variable `patchboard_as_of` (core `rowsAsOf`): with it first on the search path, every report runs "as of"
 *   that instant.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import {
  INVENTORY_TYPES,
  type InventoryTypeSpec,
  isHistoryRunId,
  rowsAsOf,
  sql,
  tableColumns,
  TIME_LOGS,
} from '@patchboard/core';

export const AS_OF_SCHEMA = 'history_at';
export const AS_OF_VARIABLE = 'patchboard_as_of';

const historyTable = (type: InventoryTypeSpec) => `${type.table}_history`;
const OBJECT_KEY = ['accountid', 'region', 'resourcetype', 'resourceid'] as const;
const keyJoin = (left: string, right: string) =>
  OBJECT_KEY.map((column) => `${left}.${column} = ${right}.${column}`).join(' AND ');

export function historySchemaStatements(sqlType: (kind: string) => string): string[] {
  const statements = [
    `CREATE TABLE IF NOT EXISTS history_observations (type_name VARCHAR, accountid VARCHAR, region VARCHAR,
      resourcetype VARCHAR, resourceid VARCHAR, first_observed_at TIMESTAMPTZ, last_observed_at TIMESTAMPTZ,
      gone_at TIMESTAMPTZ)`,
    ...TIME_LOGS.map(
      (
        log,
      ) => `CREATE TABLE IF NOT EXISTS ${log.table} (accountid VARCHAR, region VARCHAR, resourcetype VARCHAR,
      resourceid VARCHAR, ${log.time} TIMESTAMPTZ)`,
    ),
    `CREATE SCHEMA IF NOT EXISTS ${AS_OF_SCHEMA}`,
  ];
  for (const type of INVENTORY_TYPES) {
    const columns = tableColumns(type);
    const asOf = rowsAsOf(type, sql.raw(`getvariable('${AS_OF_VARIABLE}')`), 'main.').compile();
    statements.push(
      `CREATE TABLE IF NOT EXISTS ${historyTable(type)} (${columns
        .map((c) => `${c.name} ${sqlType(c.kind)}`)
        .join(', ')}, valid_from TIMESTAMPTZ, valid_to TIMESTAMPTZ, last_seen TIMESTAMPTZ)`,
      `CREATE OR REPLACE VIEW ${AS_OF_SCHEMA}.${type.table} AS ${asOf.sql}`,
    );
  }
  // A database from before the report log: the report times history still knows (each interval's first and
  // last sighting, each object's last observation), so its past instants do not all fall back to the first.
  statements.push(`INSERT INTO history_reports
    SELECT DISTINCT ${OBJECT_KEY.join(', ')}, t FROM (
      SELECT ${OBJECT_KEY.join(', ')}, capturetime AS t FROM aws_instanceinformation_history
      UNION ALL SELECT ${OBJECT_KEY.join(', ')}, last_seen FROM aws_instanceinformation_history
      UNION ALL SELECT ${OBJECT_KEY.join(', ')}, last_observed_at FROM history_observations
        WHERE type_name = 'AWS:InstanceInformation')
    WHERE t IS NOT NULL AND NOT EXISTS (SELECT 1 FROM history_reports)`);
  return statements;
}

/**
 * Brings history up to the current tables for the objects in the temp table `touched_objects` (see ingest.ts),
 * filling in when each was observed. Runs inside the ingest's transaction, after the current tables hold the
 * new rows, so a killed ingest leaves history as it was too.
 */
export async function recordHistory(
  connection: DuckDBConnection,
): Promise<{ opened: number; closed: number; observedAt: string | null }> {
  // The ingest's data time: the newest record anywhere (or, with nothing left, the newest time history holds).
  const newest = INVENTORY_TYPES.map((type) => `SELECT max(capturetime) AS t FROM ${type.table}`).join(
    ' UNION ALL ',
  );
  await connection.run(`SET VARIABLE patchboard_ingest_data_time = (SELECT coalesce(
    (SELECT max(t) FROM (${newest})),
    (SELECT max(last_observed_at) FROM history_observations)))`);

  let opened = 0;
  let closed = 0;
  const touched = await connection.runAndReadAll(`SELECT DISTINCT type_name FROM touched_objects`);
  const touchedTypes = new Set(touched.getRowsJS().map(([typeName]) => typeName as string));
  for (const type of INVENTORY_TYPES.filter((t) => touchedTypes.has(t.typeName))) {
    const result = await recordTypeHistory(connection, type);
    opened += result.opened;
    closed += result.closed;
  }
  if (touchedTypes.size > 0) {
    await logTimes(connection);
    await updateObservations(connection);
  }
  const dataTime = await connection.runAndReadAll(
    `SELECT strftime(getvariable('patchboard_ingest_data_time'), '%Y-%m-%dT%H:%M:%SZ')`,
  );
  return { opened, closed, observedAt: (dataTime.getRowsJS()[0]?.[0] as string | null) ?? null };
}

async function changes(connection: DuckDBConnection, statement: string): Promise<number> {
  const result = await connection.run(statement);
  return Number(result.rowsChanged);
}

async function recordTypeHistory(
  connection: DuckDBConnection,
  type: InventoryTypeSpec,
): Promise<{ opened: number; closed: number }> {
  const columns = tableColumns(type);
  const identity = columns.filter((c) => !c.volatile).map((c) => c.name);
  const sameState = (left: string, right: string) =>
    identity.map((column) => `${left}.${column} IS NOT DISTINCT FROM ${right}.${column}`).join(' AND ');
  const history = historyTable(type);
  // Each touched object of this type is observed at its newest record, or at the ingest's data time if gone.
  await connection.run(
    `UPDATE touched_objects o SET observed_at = coalesce(
       (SELECT max(c.capturetime) FROM ${type.table} c WHERE ${keyJoin('c', 'o')}),
       getvariable('patchboard_ingest_data_time'))
     WHERE o.type_name = ?`,
    [type.typeName],
  );
  await connection.run(
    `CREATE OR REPLACE TEMP TABLE touched_type AS SELECT * FROM touched_objects WHERE type_name = ?`,
    [type.typeName],
  );
  // Close what no longer holds: its last sighting was the object's previous observation.
  const closed = await changes(
    connection,
    `UPDATE ${history} h SET valid_to = greatest(o.observed_at, h.valid_from),
       last_seen = coalesce(p.last_observed_at, h.valid_from)
     FROM touched_type o
     LEFT JOIN history_observations p ON p.type_name = o.type_name AND ${keyJoin('p', 'o')}
     WHERE h.valid_to IS NULL AND ${keyJoin('h', 'o')}
       AND NOT EXISTS (SELECT 1 FROM ${type.table} c WHERE ${sameState('c', 'h')})`,
  );
  // Open what is new: a row whose state no open interval holds.
  const opened = await changes(
    connection,
    `INSERT INTO ${history}
     SELECT ${columns.map((c) => (isHistoryRunId(c) ? 'NULL' : `c.${c.name}`)).join(', ')}, o.observed_at, NULL, NULL
     FROM (SELECT DISTINCT ON (${identity.join(', ')}) c.* FROM ${type.table} c
           JOIN touched_type t ON ${keyJoin('c', 't')}
           ORDER BY ${identity.join(', ')}, c.capturetime) c
     JOIN touched_type o ON ${keyJoin('c', 'o')}
     WHERE NOT EXISTS (SELECT 1 FROM ${history} h WHERE h.valid_to IS NULL AND ${sameState('h', 'c')})`,
  );
  return { opened, closed };
}

/** Adds the logged times (`TIME_LOGS`) of the touched objects that their logs do not hold yet. */
async function logTimes(connection: DuckDBConnection): Promise<void> {
  for (const log of TIME_LOGS) {
    const type = INVENTORY_TYPES.find((t) => t.typeName === log.typeName);
    if (!type) continue;
    await connection.run(
      `INSERT INTO ${log.table}
       SELECT DISTINCT c.accountid, c.region, c.resourcetype, c.resourceid, c.${log.column}
       FROM ${type.table} c JOIN touched_objects o ON o.type_name = ? AND ${keyJoin('c', 'o')}
       WHERE c.${log.column} IS NOT NULL AND NOT EXISTS (SELECT 1 FROM ${log.table} l
         WHERE ${keyJoin('l', 'c')} AND l.${log.time} = c.${log.column})`,
      [log.typeName],
    );
  }
}

async function updateObservations(connection: DuckDBConnection): Promise<void> {
  await connection.run(
    `UPDATE history_observations p SET
       last_observed_at = CASE WHEN o.present THEN o.observed_at ELSE p.last_observed_at END,
       gone_at = CASE WHEN o.present THEN NULL ELSE o.observed_at END
     FROM touched_objects o WHERE p.type_name = o.type_name AND ${keyJoin('p', 'o')}`,
  );
  await connection.run(
    `INSERT INTO history_observations
     SELECT o.type_name, o.accountid, o.region, o.resourcetype, o.resourceid, o.observed_at,
       o.observed_at, NULL
     FROM touched_objects o WHERE o.present AND NOT EXISTS (
       SELECT 1 FROM history_observations p WHERE p.type_name = o.type_name AND ${keyJoin('p', 'o')})`,
  );
}

/**
 * Adds to `touched_objects` the objects the current tables hold that history has never observed (a database
 * from before history), unless touched already.
 */
export async function touchUnobserved(connection: DuckDBConnection): Promise<void> {
  const identity = `type_name, ${OBJECT_KEY.join(', ')}`;
  await connection.run(
    `INSERT INTO touched_objects
     SELECT ${identity}, true, NULL FROM (SELECT ${identity} FROM source_objects
       EXCEPT SELECT ${identity} FROM history_observations EXCEPT SELECT ${identity} FROM touched_objects)`,
  );
}
