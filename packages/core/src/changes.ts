/**
 * What changed in the fleet between two instants: the node-compliance rows as of each, compared node by node.
 * Pure, so the rule is tested without a database; both engines feed it the same row shape.
 */
import type { QueryResult, ResultRow, ResultValue } from './engine.js';

export const CHANGE_KINDS = [
  'NEW_NODE',
  'GONE',
  'NEWLY_NON_COMPLIANT',
  'FIXED',
  'STATUS_CHANGED',
  'BASELINE_CHANGED',
] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number];

const COLUMNS = [
  'change',
  'account_id',
  'region',
  'node_id',
  'name',
  'team',
  'environment',
  'status_before',
  'status_after',
  'baseline_before',
  'baseline_after',
] as const;

const nodeKey = (row: ResultRow) => `${String(row.account_id)}/${String(row.region)}/${String(row.node_id)}`;

/**
 * One row per change: a node may appear twice (its status and its baseline both changed). A node that became
 * NON_COMPLIANT is NEWLY_NON_COMPLIANT; one that went from NON_COMPLIANT to COMPLIANT is FIXED; other status moves
 * (to STALE, INACTIVE ...) are STATUS_CHANGED. Rows come out by change kind, then account, region and node.
 */
export function compareFleets(before: readonly ResultRow[], after: readonly ResultRow[]): QueryResult {
  const earlier = new Map(before.map((row) => [nodeKey(row), row]));
  const later = new Map(after.map((row) => [nodeKey(row), row]));
  const rows: ResultRow[] = [];
  const add = (change: ChangeKind, was: ResultRow | undefined, now: ResultRow | undefined) => {
    const node = (now ?? was)!;
    const value = (row: ResultRow | undefined, column: string): ResultValue => row?.[column] ?? null;
    rows.push({
      change,
      account_id: node.account_id ?? null,
      region: node.region ?? null,
      node_id: node.node_id ?? null,
      name: node.name ?? null,
      team: node.team ?? null,
      environment: node.environment ?? null,
      status_before: value(was, 'status'),
      status_after: value(now, 'status'),
      baseline_before: value(was, 'baseline_id'),
      baseline_after: value(now, 'baseline_id'),
    });
  };
  for (const [key, now] of later) {
    const was = earlier.get(key);
    if (!was) {
      add('NEW_NODE', undefined, now);
      continue;
    }
    if (was.status !== now.status) {
      if (now.status === 'NON_COMPLIANT') add('NEWLY_NON_COMPLIANT', was, now);
      else if (was.status === 'NON_COMPLIANT' && now.status === 'COMPLIANT') add('FIXED', was, now);
      else add('STATUS_CHANGED', was, now);
    }
    if (was.baseline_id !== null && now.baseline_id !== null && was.baseline_id !== now.baseline_id) {
      add('BASELINE_CHANGED', was, now);
    }
  }
  for (const [key, was] of earlier) if (!later.has(key)) add('GONE', was, undefined);
  const order = (row: ResultRow) => CHANGE_KINDS.indexOf(row.change as ChangeKind);
  rows.sort(
    (a, b) => order(a) - order(b) || (nodeKey(a) < nodeKey(b) ? -1 : nodeKey(a) > nodeKey(b) ? 1 : 0),
  );
  return {
    columns: COLUMNS.map((name) => ({
      name,
      type: 'string' as const,
    })),
    rows,
  };
}
