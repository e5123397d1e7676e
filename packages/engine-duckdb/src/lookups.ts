/**
 * Lookup tables for a private, writable snapshot of a DuckDB database (the dashboard's copy): a node's patch
 * history and the evidence for a patch or CVE, worked out once per snapshot for the whole fleet and then read by
 * node or by patch, instead of scanning every history row per request. The snapshot builds them itself
 * (`DuckDbSnapshotLookups`); readers only ask for the queries that read them.
 *
 * History read "as it stood at" an evaluation time differs from all of history only by intervals opened after
 * that time or closed after it. At or after the data time (the latest `valid_from` or `valid_to` of any patch
 * item) neither exists, so the node history section and the `cve-evidence` report answer exactly what their own
 * queries (core node-detail.ts, cve-evidence.ts) answer; before it, or with another as-of time, callers run
 * those. A test holds the answers of both side by side on an ingested database.
 */
import {
  duckdbDialect,
  evidenceItemsCte,
  type EvidenceLookupParams,
  formatInstant,
  itemRunsCte,
  nodeFactsCte,
  RUN_HISTORY_COLUMNS,
  teamOf,
  type CompiledQuery,
  type Policy,
  type QueryEngine,
  type ReportContext,
  type SnapshotLookups,
  sql,
  type SqlFragment,
} from '@patchboard/core';

export const NODE_HISTORY_TABLE = 'lookup_node_history';
export const EVIDENCE_TABLE = 'lookup_evidence_items';
/** The current tables the node page reads by node id. */
const NODE_INDEXED_TABLES = ['aws_tag', 'aws_complianceitem', 'aws_application'] as const;

/**
 * The data time in epoch milliseconds (a number, or null with no patch history): answers from the lookup
 * tables hold for every evaluation time from it on.
 */
export const LOOKUP_DATA_TIME = sql`SELECT CAST(epoch_ms(max(greatest(valid_from, coalesce(valid_to, valid_from))))
  AS DOUBLE) AS data_time
FROM aws_complianceitem_history WHERE compliancetype = 'Patch'`;

/**
 * The statements that build the lookup tables, in order; `context.now` is the data time. Each table is sorted
 * by the column it is looked up by, so DuckDB's min/max zone maps skip every block but the one holding it.
 */
function lookupTableStatements(context: ReportContext): SqlFragment[] {
  const nodeHistory = sql.raw(NODE_HISTORY_TABLE);
  const evidence = sql.raw(EVIDENCE_TABLE);
  return [
    sql`DROP TABLE IF EXISTS ${nodeHistory}`,
    // The columns and order of the node page's history section (node-detail.ts), keyed by node.
    sql`CREATE TABLE ${nodeHistory} AS WITH ${itemRunsCte(context)}
SELECT resourceid, ${RUN_HISTORY_COLUMNS}
FROM item_runs
ORDER BY resourceid, run_start DESC, patch_id, title`,
    sql`DROP TABLE IF EXISTS ${evidence}`,
    // cve-evidence.ts's evidence_items for every item (its HAVING becomes the lookup's WHERE), with the node
    // columns it joins in: the node's name, status and team do not depend on the evaluation time.
    sql`CREATE TABLE ${evidence} AS WITH ${nodeFactsCte(context)},
  ${evidenceItemsCte(context)}
SELECT i.*, f.name, f.instance_status, ${teamOf('f')} AS team, o.last_observed_at
FROM evidence_items i
LEFT JOIN node_facts f ON f.account_id = i.accountid AND f.region = i.region AND f.node_id = i.resourceid
LEFT JOIN observed o ON o.accountid = i.accountid AND o.region = i.region AND o.resourceid = i.resourceid
ORDER BY i.id, i.accountid, i.region, i.resourceid, i.title`,
    // The node page's other sections select one node's rows of the current tables (node-detail.ts): an index
    // finds them without reading the tables through, and does not change what they answer.
    ...NODE_INDEXED_TABLES.map(
      (table) =>
        sql`CREATE INDEX IF NOT EXISTS ${sql.raw(`lookup_${table}_node`)} ON ${sql.raw(table)} (resourceid)`,
    ),
  ];
}

/** The node page's history section (node-detail.ts `history`) from the lookup table. */
function nodeHistoryLookup(nodeId: string): SqlFragment {
  return sql`SELECT patch_id, title, severity, classification, first_seen_noncompliant, outcome, remediated_at, cve_ids
FROM ${sql.raw(NODE_HISTORY_TABLE)} WHERE resourceid = ${nodeId}
ORDER BY first_seen_noncompliant DESC, patch_id, title`;
}

/**
 * The `cve-evidence` report from the lookup table, or undefined for a from/to window, which needs every history
 * interval (the report's own query answers it). A CVE matches when any of the item's records carried it, as
 * in the report: the item's CVE list is every record's list joined, and a CVE id has no comma or space.
 */
function evidenceLookup(params: EvidenceLookupParams, context: ReportContext): SqlFragment | undefined {
  if (params.from !== undefined || (params.cve === undefined && params.patch === undefined)) return undefined;
  const { dialect } = context;
  const at = dialect.instant(formatInstant(context.now));
  const filters: SqlFragment[] = [];
  if (params.patch !== undefined) filters.push(sql`id = ${params.patch}`);
  if (params.cve !== undefined) filters.push(dialect.csvContains(sql.raw('cve_ids'), sql`${params.cve}`));
  if (params.team !== undefined) filters.push(sql`team = ${params.team}`);
  return sql`SELECT ${params.cve !== undefined ? sql`${params.cve}` : sql`cve_ids`} AS cve_id, accountid AS account_id,
  region, resourceid AS node_id, name, instance_status, id AS patch_id, title,
  CASE WHEN still_reported THEN state ELSE 'NOT_REPORTED' END AS state, first_seen_noncompliant, installed_time,
  CASE WHEN still_reported THEN least(last_observed_at, ${at}) ELSE last_seen_closed END AS last_seen
FROM ${sql.raw(EVIDENCE_TABLE)}
WHERE ${sql.join(filters, ' AND ')}
ORDER BY accountid, region, resourceid, id, title`;
}

/**
 * A snapshot's lookup tables, built on its own engine under `policy` (the node columns the evidence carries
 * follow it). Each snapshot has its own: a new snapshot starts unbuilt.
 */
export class DuckDbSnapshotLookups implements SnapshotLookups {
  /** The data time once built; null when the tables could not be built or there is no patch history. */
  private builtAt: number | null | undefined;
  private building: Promise<void> | undefined;

  constructor(
    private readonly engine: QueryEngine,
    private readonly policy: Policy,
  ) {}

  /** The data time (epoch milliseconds) once built; null without patch history or after a failed build. */
  get dataTime(): number | null | undefined {
    return this.builtAt;
  }

  prepare(): Promise<void> {
    this.building ??= this.build().catch((error: unknown) => {
      this.builtAt = null;
      throw error;
    });
    return this.building;
  }

  nodeHistory(nodeId: string, now: number): CompiledQuery | undefined {
    return this.answersAt(now) ? nodeHistoryLookup(nodeId).compile() : undefined;
  }

  evidence(params: EvidenceLookupParams, now: number): CompiledQuery | undefined {
    if (!this.answersAt(now)) return undefined;
    return evidenceLookup(params, { policy: this.policy, now, dialect: duckdbDialect })?.compile();
  }

  private answersAt(now: number): boolean {
    return typeof this.builtAt === 'number' && now >= this.builtAt;
  }

  private async build(): Promise<void> {
    const found = await this.engine.run(LOOKUP_DATA_TIME.compile());
    const dataTime = found.rows[0]?.data_time;
    if (typeof dataTime !== 'number') {
      this.builtAt = null;
      return;
    }
    const context = { policy: this.policy, now: dataTime, dialect: this.engine.dialect };
    for (const statement of lookupTableStatements(context)) await this.engine.run(statement.compile());
    this.builtAt = dataTime;
  }
}
