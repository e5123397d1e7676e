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

/** Where a report reads the items from: the engine's table when it keeps one, else derived in the query. */
export function noncompliantItems(context: ReportContext): SqlFragment {
  return context.dialect.derived ? sql.raw(NONCOMPLIANT_ITEMS_TABLE) : sql`(${noncompliantItemsQuery()})`;
}
