/**
 * Derived tables: the node facts and item runs that reports would otherwise derive from every compliance item
 * and all of history on each query, kept by the ingest that changes them.
 *
 * - `derived_node_facts` holds core's `facts` (node-facts.ts) for the current tables: one row per node, all but
 *   the status, which depends on the evaluation time and is evaluated per query. `derived_item_runs` holds
 *   core's `item_runs` (item-runs.ts) over all of history, which is what history says at any evaluation time
 *   from its newest change on.
 * - An ingest derives again only the nodes whose objects it replaced, removed or first recorded, in its own
 *   transaction, so nothing ever reads facts out of step with the tables they come from. Everything is derived
 *   anew when the tables are missing or were derived by other SQL or with other tag keys (the recorded
 *   fingerprint differs).
 * - The engine's dialect carries what the tables were derived with (`DerivedTables`), and reports read them only
 *   when that answers their question; an `--as-of` query gets the node facts of that instant (`asOfNodeFacts`).
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
  LOOKUP_DATA_TIME,
  NODE_FACTS_TABLE,
  type Policy,
  sql,
  type SqlFragment,
} from '@patchboard/core';

type TagKeys = Policy['tagKeys'];

const META_KEY = 'derived_tables';
const CHANGED_NODES = 'derived_changed_nodes';

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
  for (const query of [nodeFactsQuery(tagKeys).compile(), itemRunsQuery().compile()]) {
    hash.update(query.sql).update(JSON.stringify(query.parameters));
  }
  return hash.digest('hex');
}

async function readRecorded(connection: DuckDBConnection): Promise<Recorded | undefined> {
  const tables = await connection.runAndReadAll(
    `SELECT count(*) FROM duckdb_tables() WHERE schema_name = 'main' AND table_name IN (?, ?)`,
    [NODE_FACTS_TABLE, ITEM_RUNS_TABLE],
  );
  if (Number(tables.getRowsJS()[0]?.[0]) !== 2) return undefined;
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
 * hold this ingest's rows. `changed` are the objects the ingest replaced, removed or first recorded.
 */
export async function refreshDerivedTables(
  connection: DuckDBConnection,
  changed: readonly { readonly typeName: string; readonly nodeId: string }[],
  tagKeys: TagKeys = DEFAULT_POLICY.tagKeys,
): Promise<void> {
  const expected = fingerprint(tagKeys);
  const recorded = await readRecorded(connection);
  const run = (query: SqlFragment) => {
    const compiled = query.compile();
    return connection.run(compiled.sql, [...compiled.parameters]);
  };
  if (recorded?.fingerprint !== expected || (await mostNodes(connection, changed))) {
    await run(sql`CREATE OR REPLACE TABLE ${sql.raw(NODE_FACTS_TABLE)} AS ${nodeFactsQuery(tagKeys)}`);
    await run(sql`CREATE OR REPLACE TABLE ${sql.raw(ITEM_RUNS_TABLE)} AS ${itemRunsQuery()}`);
  } else {
    // Any object of a node can change its facts; only its compliance items change its runs. A node id
    // narrows the work: a node of the same id in another account or Region is derived again too, harmlessly.
    await refreshNodes(connection, NODE_FACTS_TABLE, 'node_id', changed, (only) =>
      nodeFactsQuery(tagKeys, only),
    );
    await refreshNodes(
      connection,
      ITEM_RUNS_TABLE,
      'resourceid',
      changed.filter((object) => object.typeName === 'AWS:ComplianceItem'),
      itemRunsQuery,
    );
  }
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
 * Whether the changed objects are of half the nodes or more (a day's ingest of a fleet that scans daily):
 * deriving every node is then quicker than deleting and inserting most of them (1.3x at 10,000 nodes).
 */
async function mostNodes(connection: DuckDBConnection, changed: readonly { readonly nodeId: string }[]) {
  const count = await connection.runAndReadAll(`SELECT count(*) FROM ${NODE_FACTS_TABLE}`);
  return new Set(changed.map((object) => object.nodeId)).size * 2 >= Number(count.getRowsJS()[0]?.[0] ?? 0);
}

/** Deletes the rows of the changed nodes and inserts them derived again. */
async function refreshNodes(
  connection: DuckDBConnection,
  table: string,
  nodeColumn: string,
  changed: readonly { readonly nodeId: string }[],
  derive: (only: SqlFragment) => SqlFragment,
): Promise<void> {
  if (changed.length === 0) return;
  await connection.run(`CREATE OR REPLACE TEMP TABLE ${CHANGED_NODES} (resourceid VARCHAR)`);
  const appender = await connection.createAppender(CHANGED_NODES);
  for (const nodeId of new Set(changed.map((object) => object.nodeId))) {
    appender.appendVarchar(nodeId);
    appender.endRow();
  }
  appender.closeSync();
  const only = sql.raw(`resourceid IN (SELECT resourceid FROM ${CHANGED_NODES})`);
  await connection.run(
    `DELETE FROM ${table} WHERE ${nodeColumn} IN (SELECT resourceid FROM ${CHANGED_NODES})`,
  );
  const insert = sql`INSERT INTO ${sql.raw(table)} ${derive(only)}`.compile();
  await connection.run(insert.sql, [...insert.parameters]);
  await connection.run(`DROP TABLE ${CHANGED_NODES}`);
}

/**
 * Before a query that reads the node facts runs as of an instant (the connection's search path already on the
 * history views): a temporary table of the same name with the facts of that instant, which the query then
 * reads instead of the current ones.
 */
export async function asOfNodeFacts(
  connection: DuckDBConnection,
  dialect: Dialect,
  querySql: string,
): Promise<void> {
  if (!dialect.derived || !querySql.includes(NODE_FACTS_TABLE)) return;
  const create = sql`CREATE TEMP TABLE ${sql.raw(NODE_FACTS_TABLE)} AS ${nodeFactsQuery(dialect.derived.tagKeys)}`;
  const compiled = create.compile();
  await connection.run(compiled.sql, [...compiled.parameters]);
}
