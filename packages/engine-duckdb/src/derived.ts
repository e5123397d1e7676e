/**
 * Derived tables: the node facts and item runs that reports would otherwise derive from every compliance item
 * and all of history on each query, kept by the ingest that changes them.
 *
 * - `derived_node_facts` holds core's `facts` (node-facts.ts) for the current tables: one row per node, all but
 *   the status, which depends on the evaluation time and is evaluated per query. `derived_noncompliant_items`
 *   holds the current Patch items nodes are non-compliant for (noncompliant-items.ts). `derived_item_runs` holds
 *   core's `item_runs` (item-runs.ts) over all of history, which is what history says at any evaluation time
 *   from its newest change on.
 * - An ingest derives again only the facts of the nodes whose objects it replaced, removed or first recorded,
 *   and the runs of the nodes whose patch history it changed, in its own transaction, so nothing ever reads them
 *   out of step with the tables they come from. Everything is derived anew when the tables are missing or were
 *   derived by other SQL or with other tag keys (the recorded fingerprint differs).
 * - The engine's dialect carries what the tables were derived with (`DerivedTables`), and reports read them only
 *   when that answers their question; an `--as-of` query gets the node facts and items of that instant
 *   (`asOfDerivedTables`).
 */
import { createHash } from 'node:crypto';
import type { DuckDBConnection } from '@duckdb/node-api';
import {
  type DerivedTables,
  type Dialect,
  DEFAULT_POLICY,
  duckdbDialect,
  factsCtes,
  ITEM_RUNS_TABLE,
  itemRunsFromHistory,
  NODE_FACTS_TABLE,
  NONCOMPLIANT_ITEMS_TABLE,
  noncompliantItemsQuery,
  type Policy,
  sql,
  type SqlFragment,
} from '@patchboard/core';
import { LOOKUP_DATA_TIME } from './lookups.js';

type TagKeys = Policy['tagKeys'];

const META_KEY = 'derived_tables';
const CHANGED_NODES = 'derived_changed_nodes';
/** Per node, how many patch-item intervals history holds and how many of them are closed. */
const HISTORY_COUNTS = 'derived_item_history_counts';

interface Recorded {
  readonly fingerprint: string;
  readonly tagKeys: TagKeys;
  readonly itemRunsFrom: number | null;
}

/**
 * What each open database's tables were derived with, by the connection an ingest writes through: an engine on
 * that database answers from the tables as they stand after the latest ingest, not as they were when it opened.
 */
const dialects = new WeakMap<DuckDBConnection, Dialect>();

/** The dialect of queries on the database `connection` belongs to: with its derived tables, if it keeps them. */
export function dialectOf(connection: DuckDBConnection): Dialect {
  return dialects.get(connection) ?? duckdbDialect;
}

function remember(connection: DuckDBConnection, recorded: Recorded | undefined): void {
  if (!recorded) {
    dialects.delete(connection);
    return;
  }
  const derived: DerivedTables = { tagKeys: recorded.tagKeys, itemRunsFrom: recorded.itemRunsFrom };
  dialects.set(connection, { ...duckdbDialect, derived });
}

const nodeFactsQuery = (tagKeys: TagKeys, only?: SqlFragment) =>
  sql`WITH ${factsCtes(tagKeys, duckdbDialect, only)} SELECT * FROM facts`;
const itemRunsQuery = (only?: SqlFragment) =>
  sql`WITH ${itemRunsFromHistory(duckdbDialect, undefined, only)} SELECT * FROM item_runs`;

/** Changes whenever the statements that derive the tables do: other SQL, or other tag keys. */
function fingerprint(tagKeys: TagKeys): string {
  const hash = createHash('sha256');
  for (const query of [nodeFactsQuery(tagKeys), noncompliantItemsQuery(), itemRunsQuery()].map((q) =>
    q.compile(),
  )) {
    hash.update(query.sql).update(JSON.stringify(query.parameters));
  }
  return hash.digest('hex');
}

async function readRecorded(connection: DuckDBConnection): Promise<Recorded | undefined> {
  const tables = await connection.runAndReadAll(
    `SELECT count(*) FROM duckdb_tables() WHERE schema_name = 'main' AND table_name IN (?, ?, ?, ?)`,
    [NODE_FACTS_TABLE, NONCOMPLIANT_ITEMS_TABLE, ITEM_RUNS_TABLE, HISTORY_COUNTS],
  );
  if (Number(tables.getRowsJS()[0]?.[0]) !== 4) return undefined;
  const meta = await connection.runAndReadAll(`SELECT value FROM patchboard_meta WHERE key = ?`, [META_KEY]);
  const value = meta.getRowsJS()[0]?.[0];
  if (typeof value !== 'string') return undefined;
  const recorded = JSON.parse(value) as Recorded;
  // Tables derived by another version of the SQL are not these facts: the next ingest derives them anew.
  return recorded.fingerprint === fingerprint(recorded.tagKeys) ? recorded : undefined;
}

/** Learns what an opened database's tables were derived with (nothing, for a database from before them). */
export async function loadDerivedTables(connection: DuckDBConnection): Promise<void> {
  let recorded: Recorded | undefined;
  try {
    recorded = await readRecorded(connection);
  } catch {
    recorded = undefined; // Not a Patchboard database: its queries say what is missing.
  }
  remember(connection, recorded);
}

/**
 * Brings the derived tables up to the current tables and history, inside the ingest's transaction, after both
 * hold this ingest's rows. The ingest's temp table `touched_objects` names the objects it replaced, removed or first recorded.
 */
export async function refreshDerivedTables(
  connection: DuckDBConnection,
  tagKeys: TagKeys = DEFAULT_POLICY.tagKeys,
): Promise<void> {
  const expected = fingerprint(tagKeys);
  const full = (await readRecorded(connection))?.fingerprint !== expected;
  // An ingest that touched nothing changed neither the tables nor history: the derived tables still hold, and
  // an unchanged re-ingest should not pay for counting every history row.
  if (!full) {
    const touched = await connection.runAndReadAll(
      `SELECT count(*) FROM (SELECT 1 FROM touched_objects LIMIT 1)`,
    );
    if (Number(touched.getRowsJS()[0]?.[0] ?? 0) === 0) return;
  }

  // Facts and non-compliant items: the nodes any of whose objects changed. A node id narrows the work: a node
  // of the same id in another account or Region is derived again too, harmlessly.
  await connection.run(`CREATE OR REPLACE TEMP TABLE ${CHANGED_NODES} AS
    SELECT DISTINCT resourceid FROM touched_objects`);
  await refreshTable(connection, full, NODE_FACTS_TABLE, 'node_id', (only) => nodeFactsQuery(tagKeys, only));
  await refreshTable(connection, full, NONCOMPLIANT_ITEMS_TABLE, 'resourceid', noncompliantItemsQuery);

  // Runs: the nodes whose patch history opened or closed an interval. History only grows (intervals are
  // closed, never deleted), so a node's count of intervals and of closed ones changes exactly then — whatever
  // the order snapshots are ingested in — while a scan that changed nothing but times leaves its runs alone.
  await connection.run(`CREATE OR REPLACE TEMP TABLE derived_history_now AS
    SELECT resourceid, count(*) AS intervals, count(valid_to) AS closed FROM aws_complianceitem_history
    WHERE compliancetype = 'Patch' GROUP BY resourceid`);
  if (!full) {
    await connection.run(`CREATE OR REPLACE TEMP TABLE ${CHANGED_NODES} AS
      SELECT resourceid FROM derived_history_now n FULL JOIN ${HISTORY_COUNTS} h USING (resourceid)
      WHERE n.intervals IS DISTINCT FROM h.intervals OR n.closed IS DISTINCT FROM h.closed`);
  }
  await refreshTable(connection, full, ITEM_RUNS_TABLE, 'resourceid', itemRunsQuery);
  await connection.run(`CREATE OR REPLACE TABLE ${HISTORY_COUNTS} AS SELECT * FROM derived_history_now`);
  await connection.run(`DROP TABLE derived_history_now`);
  await connection.run(`DROP TABLE ${CHANGED_NODES}`);

  const dataTime = await connection.runAndReadAll(LOOKUP_DATA_TIME.compile().sql);
  const newest = dataTime.getRowsJS()[0]?.[0];
  const next: Recorded = {
    fingerprint: expected,
    tagKeys,
    itemRunsFrom: typeof newest === 'number' ? newest : null,
  };
  await connection.run(`DELETE FROM patchboard_meta WHERE key = ?`, [META_KEY]);
  await connection.run(`INSERT INTO patchboard_meta VALUES (?, ?)`, [META_KEY, JSON.stringify(next)]);
  remember(connection, next);
}

/**
 * Derives the rows of the nodes in the changed-nodes table again: deletes theirs and inserts them anew; or, when
 * `full` or when they are half the table's nodes or more (a day's ingest of a fleet that scans daily), derives
 * the whole table, which is then quicker than replacing most of its rows.
 */
async function refreshTable(
  connection: DuckDBConnection,
  full: boolean,
  table: string,
  nodeColumn: string,
  derive: (only?: SqlFragment) => SqlFragment,
): Promise<void> {
  const run = (query: SqlFragment) => {
    const compiled = query.compile();
    return connection.run(compiled.sql, [...compiled.parameters]);
  };
  const counts = full
    ? undefined
    : (
        await connection.runAndReadAll(`SELECT (SELECT count(*) FROM ${CHANGED_NODES}),
          (SELECT count(DISTINCT ${nodeColumn}) FROM ${table})`)
      )
        .getRowsJS()[0]!
        .map(Number);
  if (!counts || counts[0]! * 2 >= counts[1]!) {
    await run(sql`CREATE OR REPLACE TABLE ${sql.raw(table)} AS ${derive()}`);
    return;
  }
  if (counts[0] === 0) return;
  const changedNodes = `SELECT resourceid FROM ${CHANGED_NODES}`;
  await connection.run(`DELETE FROM ${table} WHERE ${nodeColumn} IN (${changedNodes})`);
  await run(sql`INSERT INTO ${sql.raw(table)} ${derive(sql.raw(`resourceid IN (${changedNodes})`))}`);
}

/**
 * Before a query that reads the derived node facts or non-compliant items runs as of an instant (the
 * connection's search path already on the history views): a temporary table of the same name with those of
 * that instant, which the query then reads instead of the current ones.
 */
export async function asOfDerivedTables(
  connection: DuckDBConnection,
  dialect: Dialect,
  querySql: string,
): Promise<void> {
  if (!dialect.derived) return;
  const asOf: [string, SqlFragment][] = [
    [NODE_FACTS_TABLE, nodeFactsQuery(dialect.derived.tagKeys)],
    [NONCOMPLIANT_ITEMS_TABLE, noncompliantItemsQuery()],
  ];
  for (const [table, query] of asOf) {
    if (!querySql.includes(table)) continue;
    const compiled = sql`CREATE TEMP TABLE ${sql.raw(table)} AS ${query}`.compile();
    await connection.run(compiled.sql, [...compiled.parameters]);
  }
}
