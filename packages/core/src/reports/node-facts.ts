/**
 * One row per node with everything the compliance reports group and filter on, and the node's status under the
 * policy: the SQL form of `evaluateNodeStatus` (compliance.ts), which a test holds it to.
 *
 * A node is any (account, region, node id) that has instance information, patch data, or an EC2 instance record
 * (AWS Config or DescribeInstances), so instances without a working agent are counted too. Counts come from the
 * node's Patch compliance items; a node with a PatchSummary but no items falls back to the summary's counts.
 * Owner tags come from the node's SSM inventory, else from EC2's own tags.
 *
 * The last scan is the PatchSummary's OperationEndTime; a node with Patch items but no PatchSummary takes its
 * items' captureTime, which the agent sets to the operation's end (their ExecutionTime is its start:
 * patch-baseline-operations, PackageCompliance; docs/data-format.md).
 */
import { staleCutoff } from '../compliance.js';
import { formatInstant } from '../timestamp.js';
import { NON_COMPLIANT_PATCH_STATES } from '../patch-state.js';
import { EC2_INSTANCE_TYPE, EC2_TAG_TYPE, inventoryType } from '../inventory-types.js';
import { sql, type SqlFragment } from '../sql.js';
import type { Policy } from '../config.js';
import type { Dialect } from '../dialect.js';
import type { ReportContext } from './report.js';

/** Severity ranking used for `highest_severity` (the agent's: CRITICAL 5 … UNSPECIFIED 0). */
const SEVERITY_RANK = sql.raw(`CASE severity WHEN 'CRITICAL' THEN 5 WHEN 'HIGH' THEN 4 WHEN 'MEDIUM' THEN 3
      WHEN 'LOW' THEN 2 WHEN 'INFORMATIONAL' THEN 1 WHEN 'UNSPECIFIED' THEN 0 END`);
const RANK_TO_SEVERITY = (rank: SqlFragment) => sql`CASE ${rank} WHEN 5 THEN 'CRITICAL' WHEN 4 THEN 'HIGH'
      WHEN 3 THEN 'MEDIUM' WHEN 2 THEN 'LOW' WHEN 1 THEN 'INFORMATIONAL' WHEN 0 THEN 'UNSPECIFIED' END`;

const EC2_INSTANCES = sql.raw(inventoryType(EC2_INSTANCE_TYPE)!.table);
const EC2_TAGS = sql.raw(inventoryType(EC2_TAG_TYPE)!.table);

/** The first tag value among `keys`, in the order given: `Team` before `team`. */
function pickTag(keys: readonly string[], dialect: Dialect): SqlFragment {
  const priority = sql`CASE ${sql.join(
    keys.map((key, i) => sql`WHEN key = ${key} THEN ${i}`),
    ' ',
  )} END`;
  return sql`${dialect.minBy(sql.raw('value'), priority)} FILTER (WHERE key IN ${sql.list(keys)})`;
}

/** Team, environment, name and patch group of each node in a Key/Value tag table. */
function ownerTags(table: SqlFragment, tagKeys: TagKeys, dialect: Dialect, where: SqlFragment): SqlFragment {
  return sql`
    SELECT accountid, region, resourceid,
      ${pickTag(tagKeys.team, dialect)} AS team,
      ${pickTag(tagKeys.environment, dialect)} AS environment,
      max(value) FILTER (WHERE key = 'Name') AS name,
      max(value) FILTER (WHERE key = 'Patch Group') AS patch_group
    FROM ${table}${where} GROUP BY accountid, region, resourceid
  `;
}

/** The label of a node without a team or environment tag. */
export const UNTAGGED = '(untagged)';

/**
 * The team of a node joined from `node_facts` as `alias` with a LEFT JOIN: history outlives nodes, and a run or
 * an item of a node the current facts no longer hold counts as untagged too.
 */
export const teamOf = (alias: string): SqlFragment => sql`coalesce(${sql.raw(alias)}.team, ${UNTAGGED})`;

/** The table engine-duckdb keeps of `facts` (derived.ts). */
export const NODE_FACTS_TABLE = 'derived_node_facts';

type TagKeys = Policy['tagKeys'];

/**
 * The common table expressions ending in `facts`: one row per node with everything but what depends on the
 * evaluation time, team and environment defaulted to `(untagged)`. Athena runs them in every query; the DuckDB
 * engine keeps their rows as a table. `only` (a condition on `resourceid`) narrows every table read to some
 * nodes: an ingest deriving again the nodes it changed.
 */
export function factsCtes(tagKeys: TagKeys, dialect: Dialect, only?: SqlFragment): SqlFragment {
  const nonCompliant = sql`patchstate IN ${sql.list(NON_COMPLIANT_PATCH_STATES)}`;
  const where = (...conditions: SqlFragment[]) => {
    const all = only ? [...conditions, only] : conditions;
    return all.length === 0 ? sql`` : sql` WHERE ${sql.join(all, ' AND ')}`;
  };
  const patchItems = where(sql`compliancetype = 'Patch'`);
  return sql`nodes AS (
    SELECT accountid, region, resourceid FROM aws_instanceinformation${where()}
    UNION SELECT accountid, region, resourceid FROM aws_patchsummary${where()}
    UNION SELECT accountid, region, resourceid FROM aws_complianceitem${patchItems}
    UNION SELECT accountid, region, resourceid FROM ${EC2_INSTANCES}${where()}
  ),
  info AS (
    SELECT accountid, region, resourceid, max(capturetime) AS agent_report_time,
      max(instancestatus) AS instance_status,
      max(platformtype) AS platform_type, max(platformname) AS platform_name,
      max(agentversion) AS agent_version, max(computername) AS computer_name
    FROM aws_instanceinformation${where()} GROUP BY accountid, region, resourceid
  ),
  summary AS (
    SELECT accountid, region, resourceid, max(baselineid) AS baseline_id, max(patchgroup) AS patch_group,
      max(operationendtime) AS scan_time, max(missingcount) AS missing, max(failedcount) AS failed,
      max(installedpendingrebootcount) AS pending_reboot, max(installedrejectedcount) AS rejected,
      max(criticalnoncompliantcount) AS critical, max(noncompliantseverity) AS severity
    FROM aws_patchsummary${where()} GROUP BY accountid, region, resourceid
  ),
  items AS (
    SELECT accountid, region, resourceid, count(*) AS patch_items,
      count(*) FILTER (WHERE patchstate = 'MISSING') AS missing,
      count(*) FILTER (WHERE patchstate = 'FAILED') AS failed,
      count(*) FILTER (WHERE patchstate = 'INSTALLED_PENDING_REBOOT') AS pending_reboot,
      count(*) FILTER (WHERE patchstate = 'INSTALLED_REJECTED') AS rejected,
      count(*) FILTER (WHERE ${nonCompliant} AND severity = 'CRITICAL') AS critical,
      max(CASE WHEN ${nonCompliant} THEN ${SEVERITY_RANK} END) AS severity_rank,
      max(capturetime) AS scan_time, max(patchbaselineid) AS baseline_id, max(patchgroup) AS patch_group
    FROM aws_complianceitem${patchItems} GROUP BY accountid, region, resourceid
  ),
  tags AS (${ownerTags(sql.raw('aws_tag'), tagKeys, dialect, where())}),
  ec2 AS (
    SELECT accountid, region, resourceid, max(state) AS instance_state, max(platform) AS platform
    FROM ${EC2_INSTANCES}${where()} GROUP BY accountid, region, resourceid
  ),
  ec2_tags AS (${ownerTags(EC2_TAGS, tagKeys, dialect, where())}),
  facts AS (
    SELECT n.accountid AS account_id, n.region, n.resourceid AS node_id, coalesce(t.name, et.name) AS name,
      coalesce(info.platform_name, info.platform_type, ec2.platform) AS platform, info.platform_type,
      info.instance_status, ec2.instance_state, info.agent_report_time, (ec2.resourceid IS NOT NULL) AS listed,
      info.agent_version, coalesce(t.team, et.team, ${UNTAGGED}) AS team,
      coalesce(t.environment, et.environment, ${UNTAGGED}) AS environment,
      coalesce(nullif(i.patch_group, ''), nullif(s.patch_group, ''), t.patch_group, et.patch_group) AS patch_group,
      coalesce(s.baseline_id, i.baseline_id) AS baseline_id,
      (s.resourceid IS NOT NULL OR i.resourceid IS NOT NULL) AS has_patch_data,
      CASE WHEN i.patch_items > 0 THEN i.missing ELSE coalesce(s.missing, 0) END AS missing_count,
      CASE WHEN i.patch_items > 0 THEN i.failed ELSE coalesce(s.failed, 0) END AS failed_count,
      CASE WHEN i.patch_items > 0 THEN i.pending_reboot ELSE coalesce(s.pending_reboot, 0) END AS pending_reboot_count,
      CASE WHEN i.patch_items > 0 THEN i.rejected ELSE coalesce(s.rejected, 0) END AS installed_rejected_count,
      CASE WHEN i.patch_items > 0 THEN i.critical ELSE coalesce(s.critical, 0) END AS critical_noncompliant_count,
      CASE WHEN i.patch_items > 0 THEN ${RANK_TO_SEVERITY(sql.raw('i.severity_rank'))} ELSE s.severity END
        AS highest_severity,
      coalesce(s.scan_time, i.scan_time) AS last_scan_time
    FROM nodes n
    LEFT JOIN info ON info.accountid = n.accountid AND info.region = n.region AND info.resourceid = n.resourceid
    LEFT JOIN summary s ON s.accountid = n.accountid AND s.region = n.region AND s.resourceid = n.resourceid
    LEFT JOIN items i ON i.accountid = n.accountid AND i.region = n.region AND i.resourceid = n.resourceid
    LEFT JOIN tags t ON t.accountid = n.accountid AND t.region = n.region AND t.resourceid = n.resourceid
    LEFT JOIN ec2 ON ec2.accountid = n.accountid AND ec2.region = n.region AND ec2.resourceid = n.resourceid
    LEFT JOIN ec2_tags et ON et.accountid = n.accountid AND et.region = n.region AND et.resourceid = n.resourceid
  )`;
}

/** Whether the engine's node facts table was derived with the policy's tag keys. */
function keepsFacts(context: ReportContext): boolean {
  const derived = context.dialect.derived;
  return derived !== undefined && JSON.stringify(derived.tagKeys) === JSON.stringify(context.policy.tagKeys);
}

/**
 * The node-facts common table expressions; select from `node_facts` after them. The status is evaluated here,
 * at the evaluation time, from facts read from the engine's table or derived in the query.
 */
export function nodeFactsCte(context: ReportContext): SqlFragment {
  const { policy, dialect } = context;
  const cutoff = dialect.instant(formatInstant(staleCutoff(policy, context.now)));
  const kept = keepsFacts(context);
  return sql`${
    kept
      ? sql``
      : sql`${factsCtes(policy.tagKeys, dialect)},
  `
  }node_facts AS (
    SELECT facts.*,
      CASE
        WHEN instance_status IN ${sql.list(policy.inactiveInstanceStatuses)} THEN 'INACTIVE'
        WHEN instance_state IN ${sql.list(policy.inactiveInstanceStates)} THEN 'INACTIVE'
        WHEN instance_state IS NOT NULL AND (agent_report_time IS NULL OR agent_report_time < ${cutoff})
          THEN 'UNMANAGED'
        WHEN NOT has_patch_data THEN 'NOT_SCANNED'
        WHEN missing_count + failed_count + pending_reboot_count + installed_rejected_count > 0 THEN 'NON_COMPLIANT'
        WHEN last_scan_time IS NULL OR last_scan_time < ${cutoff} THEN 'STALE'
        ELSE 'COMPLIANT'
      END AS status
    FROM ${kept ? sql`${sql.raw(NODE_FACTS_TABLE)} facts` : sql`facts`}
  )`;
}

/** Counts by status over a grouped `node_facts`, the columns every summary report shares. */
export const STATUS_COUNTS = sql.raw(`count(*) FILTER (WHERE status = 'COMPLIANT') AS compliant,
    count(*) FILTER (WHERE status = 'NON_COMPLIANT') AS non_compliant,
    count(*) FILTER (WHERE status = 'STALE') AS stale,
    count(*) FILTER (WHERE status = 'NOT_SCANNED') AS not_scanned,
    count(*) FILTER (WHERE status = 'UNMANAGED') AS unmanaged,
    round(100.0 * count(*) FILTER (WHERE status = 'COMPLIANT')
      / nullif(count(*) FILTER (WHERE status <> 'INACTIVE'), 0), 1) AS compliance_pct,
    CASE WHEN count(*) FILTER (WHERE listed) > 0 THEN round(100.0
      * count(*) FILTER (WHERE status NOT IN ('INACTIVE', 'UNMANAGED'))
      / nullif(count(*) FILTER (WHERE status <> 'INACTIVE'), 0), 1) END AS coverage_pct`);
