/**
 * Everything Patchboard holds about one node, as separate queries (one per section), each bound to the node id.
 */
import { sql, type SqlFragment } from '../sql.js';
import { compileReport } from './catalogue.js';
import type { ReportContext } from './report.js';

export interface NodeDetailQueries {
  readonly compliance: ReturnType<typeof compileReport>['query'];
  readonly tags: SqlFragment;
  readonly patches: SqlFragment;
  readonly otherCompliance: SqlFragment;
  readonly applications: SqlFragment;
  readonly errors: SqlFragment;
}

export function nodeDetailQueries(nodeId: string, context: ReportContext): NodeDetailQueries {
  return {
    compliance: compileReport('node-compliance', { node: nodeId }, context).query,
    tags: sql`SELECT key, value FROM aws_tag WHERE resourceid = ${nodeId} ORDER BY key`,
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
  };
}
