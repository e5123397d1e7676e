/**
 * What the compliance reports must answer for one generated day, computed from the generator's ground truth
 * alone (its own model and status rule), never from Patchboard's SQL: the rows of `fleet-summary` under every
 * grouping, of `node-compliance` and of `team-environment`.
 */
import type { ResultRow } from '@patchboard/core';
import type { TruthNode } from '@patchboard/generator';

const UNTAGGED = '(untagged)';
const UNKNOWN = '(unknown)';

/** round(100.0 * part / whole, 1) as the reports write it; null for no whole. */
const percent = (part: number, whole: number) =>
  whole === 0 ? null : Math.round((1000 * part) / whole) / 10;

/** The status columns every summary shares (report STATUS_COUNTS), over a group of truth nodes. */
function statusCounts(nodes: readonly TruthNode[]): ResultRow {
  const count = (status: string) => nodes.filter((n) => n.status === status).length;
  const active = nodes.length - count('INACTIVE');
  return {
    compliant: count('COMPLIANT'),
    non_compliant: count('NON_COMPLIANT'),
    stale: count('STALE'),
    not_scanned: count('NOT_SCANNED'),
    unmanaged: count('UNMANAGED'),
    compliance_pct: percent(count('COMPLIANT'), active),
    // Coverage is only said of groups AWS Config (or EC2) lists instances for.
    coverage_pct: nodes.some((n) => n.instanceState !== null)
      ? percent(active - count('UNMANAGED'), active)
      : null,
  };
}

/** `fleet-summary`'s grouping columns, read off a truth node. */
export const TRUTH_GROUPS: Record<string, { column: string; of: (n: TruthNode) => string }> = {
  account: { column: 'account_id', of: (n) => n.accountId },
  region: { column: 'region', of: (n) => n.region },
  platform: { column: 'platform', of: (n) => n.platformName },
  team: { column: 'team', of: (n) => n.team ?? UNTAGGED },
  environment: { column: 'environment', of: (n) => n.environment ?? UNTAGGED },
  baseline: { column: 'baseline_id', of: (n) => n.baselineId ?? UNKNOWN },
  'patch-group': { column: 'patch_group', of: (n) => n.patchGroup ?? UNKNOWN },
};

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
}

/** `fleet-summary` rows for `group-by` (`none` or a key of TRUTH_GROUPS), ordered by the group's value. */
export function expectedFleetSummary(nodes: readonly TruthNode[], by: string): ResultRow[] {
  const row = (group: readonly TruthNode[]): ResultRow => ({
    nodes: group.length,
    active: group.filter((n) => n.status !== 'INACTIVE').length,
    inactive: group.filter((n) => n.status === 'INACTIVE').length,
    ...statusCounts(group),
  });
  const grouping = TRUTH_GROUPS[by];
  if (!grouping) return [row(nodes)];
  return [...groupBy(nodes, grouping.of)].map(([value, group]) => ({
    [grouping.column]: value,
    ...row(group),
  }));
}

/** `node-compliance`: one row per node, every column the truth knows. */
export function expectedNodeRows(nodes: readonly TruthNode[]): ResultRow[] {
  return nodes.map((n) => ({
    account_id: n.accountId,
    region: n.region,
    node_id: n.nodeId,
    name: n.name,
    platform: n.platformName,
    instance_status: n.instanceStatus,
    team: n.team ?? UNTAGGED,
    environment: n.environment ?? UNTAGGED,
    patch_group: n.patchGroup,
    baseline_id: n.baselineId,
    status: n.status,
    missing_count: n.missing,
    failed_count: n.failed,
    pending_reboot_count: n.pendingReboot,
    critical_noncompliant_count: n.criticalNonCompliant,
    highest_severity: n.highestSeverity,
    last_scan_time: n.lastScanTime,
  }));
}

/** `team-environment`: a row per team and environment of the active nodes; unmanaged instances as sorted ids. */
export function expectedTeamEnvironment(nodes: readonly TruthNode[]): ResultRow[] {
  const active = nodes.filter((n) => n.status !== 'INACTIVE');
  const groups = groupBy(active, (n) => JSON.stringify([n.team ?? UNTAGGED, n.environment ?? UNTAGGED]));
  return [...groups].map(([key, group]) => {
    const [team, environment] = JSON.parse(key) as [string, string];
    return {
      team,
      environment,
      nodes: group.length,
      ...statusCounts(group),
      unmanaged_instances: group
        .filter((n) => n.status === 'UNMANAGED')
        .map((n) => n.nodeId)
        .sort(),
    };
  });
}

/** Rows in one order whatever order they came in (the engine sorts bytes, JavaScript UTF-16 units). */
export const canonical = (rows: readonly ResultRow[]): ResultRow[] =>
  [...rows].sort((a, b) => {
    const [x, y] = [JSON.stringify(a), JSON.stringify(b)];
    return x < y ? -1 : x > y ? 1 : 0;
  });
