/**
 * The Patch compliance items nodes are non-compliant for (Missing, Failed, pending reboot, rejected): a few
 * percent of all compliance items (67,000 of 2.4 million at 100,000 nodes), which the per-patch reports
 * aggregate. engine-duckdb keeps them as a table, refreshed by the ingest for the nodes it changed (derived.ts),
 * so those reports scan them instead of every item.
 */
import { NON_COMPLIANT_PATCH_STATES } from '../patch-state.js';
import { sql, type SqlFragment } from '../sql.js';
import type { ReportContext } from './report.js';

/** The table engine-duckdb keeps of `noncompliantItemsQuery` (derived.ts). */
export const NONCOMPLIANT_ITEMS_TABLE = 'derived_noncompliant_items';

/** The items, of the nodes `only` selects when given (a condition on `resourceid`). */
export function noncompliantItemsQuery(only?: SqlFragment): SqlFragment {
  return sql`SELECT accountid, region, resourceid, id, patchstate, title, classification, severity, patchseverity,
    cveids
  FROM aws_complianceitem
  WHERE compliancetype = 'Patch' AND patchstate IN ${sql.list(NON_COMPLIANT_PATCH_STATES)}${
    only ? sql` AND ${only}` : sql``
  }`;
}

/**
 * The common table expression `noncompliant_items`: the engine's table when it keeps one, else derived in the
 * query. A CTE rather than a subquery in FROM, so a report's own SELECT stays its last one (QuickSight's
 * datasets take their columns from it).
 */
export function noncompliantItemsCte(context: ReportContext): SqlFragment {
  const items = context.dialect.derived
    ? sql`SELECT * FROM ${sql.raw(NONCOMPLIANT_ITEMS_TABLE)}`
    : noncompliantItemsQuery();
  return sql`noncompliant_items AS (${items})`;
}
