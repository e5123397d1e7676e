/**
 * Everything Patchboard holds about one node, as separate queries (one per section), each bound to the node id.
 */
import { EC2_INSTANCE_TYPE, EC2_TAG_TYPE, inventoryType } from '../inventory-types.js';
import { sql, type SqlFragment } from '../sql.js';
import { compileReport } from './catalogue.js';
import { itemRunsCte, RUN_HISTORY_COLUMNS } from './item-runs.js';
import type { ReportContext } from './report.js';

export interface NodeDetailQueries {
  readonly compliance: ReturnType<typeof compileReport>['query'];
  /** The node's tags from its SSM inventory; for an instance without an agent, EC2's own tags. */
  readonly tags: SqlFragment;
  /** The EC2 instance record (AWS Config or DescribeInstances): state, launch, platform, rule verdicts. */
  readonly instance: SqlFragment;
  readonly patches: SqlFragment;
  readonly otherCompliance: SqlFragment;
  readonly applications: SqlFragment;
  readonly errors: SqlFragment;
  /** Every non-compliant run of the node's patch items, newest first: when it began and when it was fixed. */
  readonly history: SqlFragment;
}

const EC2_INSTANCES = sql.raw(inventoryType(EC2_INSTANCE_TYPE)!.table);
const EC2_TAGS = sql.raw(inventoryType(EC2_TAG_TYPE)!.table);

export function nodeDetailQueries(nodeId: string, context: ReportContext): NodeDetailQueries {
  return {
    compliance: compileReport('node-compliance', { node: nodeId }, context).query,
    tags: sql`SELECT key, value FROM aws_tag WHERE resourceid = ${nodeId}
UNION ALL SELECT key, value FROM ${EC2_TAGS} WHERE resourceid = ${nodeId}
  AND NOT EXISTS (SELECT 1 FROM aws_tag WHERE resourceid = ${nodeId})
ORDER BY key`,
    instance: sql`SELECT state, launchtime AS launch_time, platform, instancetype AS instance_type,
  imageid AS image_id, source, managedrulecompliance AS managed_rule, patchrulecompliance AS patch_rule,
  capturetime AS recorded_at
FROM ${EC2_INSTANCES} WHERE resourceid = ${nodeId}`,
    patches: sql`SELECT id AS patch_id, patchstate AS state, severity, classification, patchseverity AS patch_severity,
  title, cveids AS cve_ids, installedtime AS installed_time, executiontime AS scan_time
FROM aws_complianceitem WHERE resourceid = ${nodeId} AND compliancetype = 'Patch'
ORDER BY CASE WHEN patchstate IN ('MISSING', 'FAILED', 'INSTALLED_PENDING_REBOOT', 'INSTALLED_REJECTED') THEN 0 ELSE 1 END,
  severity, patch_id`,
    otherCompliance: sql`SELECT compliancetype AS compliance_type, id, title, status, severity, executiontime AS execution_time
FROM aws_complianceitem WHERE resourceid = ${nodeId} AND compliancetype <> 'Patch' ORDER BY compliance_type, id`,
    applications: sql`SELECT name, version, publisher, installedtime AS installed_time FROM aws_application
WHERE resourceid = ${nodeId} ORDER BY name, version`,
    errors: sql`SELECT object_key, line, reason FROM ingest_errors
WHERE object_key LIKE ${`%/${nodeId.replace(/[\\%_]/g, '\\$&')}.json`} ESCAPE '\\' ORDER BY object_key, line`,
    history: sql`WITH ${itemRunsCte(context, sql`resourceid = ${nodeId}`)}
SELECT ${RUN_HISTORY_COLUMNS}
FROM item_runs WHERE resourceid = ${nodeId}
ORDER BY run_start DESC, patch_id, title`,
  };
}
