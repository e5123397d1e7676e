import * as z from 'zod';
import { NON_COMPLIANT_PATCH_STATES } from '../patch-state.js';
import { sql } from '../sql.js';
import { nodeFactsCte } from './node-facts.js';
import { defineReport } from './report.js';

export const severitySummary = defineReport({
  id: 'severity-summary',
  title: 'What is missing, by severity',
  description:
    'Non-compliant patch items on active nodes per severity: items missing, failed and pending a reboot, and how many nodes they sit on.',
  params: z.object({ team: z.string().optional() }).strict(),
  compile(params, context) {
    return sql`WITH ${nodeFactsCte(context)}
SELECT ci.severity, count(*) AS noncompliant_items,
  count(*) FILTER (WHERE ci.patchstate = 'MISSING') AS missing,
  count(*) FILTER (WHERE ci.patchstate = 'FAILED') AS failed,
  count(*) FILTER (WHERE ci.patchstate IN ('INSTALLED_PENDING_REBOOT', 'INSTALLED_REJECTED')) AS pending_or_rejected,
  count(DISTINCT ci.accountid || '/' || ci.region || '/' || ci.resourceid) AS nodes
FROM aws_complianceitem ci
JOIN node_facts f ON f.account_id = ci.accountid AND f.region = ci.region AND f.node_id = ci.resourceid
WHERE ci.compliancetype = 'Patch' AND f.status <> 'INACTIVE'
  AND ci.patchstate IN ${sql.list(NON_COMPLIANT_PATCH_STATES)}
  ${params.team ? sql`AND f.team = ${params.team}` : sql``}
GROUP BY ci.severity
ORDER BY CASE ci.severity WHEN 'CRITICAL' THEN 0 WHEN 'HIGH' THEN 1 WHEN 'MEDIUM' THEN 2 WHEN 'LOW' THEN 3
  WHEN 'INFORMATIONAL' THEN 4 ELSE 5 END`;
  },
});
