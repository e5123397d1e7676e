/**
 * What the Nodes table offers, shared by the server (which validates against it) and the client (which draws
 * it). Plain data with no imports, so the browser bundle takes nothing else from the server.
 */

/** Columns the table may be sorted by: a closed list, so a query string cannot name anything else. */
export const NODE_SORT_COLUMNS = [
  'account_id',
  'region',
  'node_id',
  'name',
  'platform',
  'team',
  'environment',
  'baseline_id',
  'status',
  'missing_count',
  'failed_count',
  'critical_noncompliant_count',
  'highest_severity',
  'last_scan_time',
] as const;

/** Filters that match a column exactly; the table's drop-downs offer their values. */
export const NODE_FACETS = {
  account: 'account_id',
  region: 'region',
  team: 'team',
  environment: 'environment',
  platform: 'platform',
  baseline: 'baseline_id',
} as const;
