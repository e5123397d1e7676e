import * as z from 'zod';
import { PATCH_STATES, SEVERITIES } from '../patch-state.js';
import { sql, type SqlFragment } from '../sql.js';
import { nodeFactsCte } from './node-facts.js';
import { noncompliantItemsCte } from './noncompliant-items.js';
import { defineReport } from './report.js';

export const missingPatches = defineReport({
  id: 'missing-patches',
  title: 'Missing patches',
  description:
    'Each patch that active nodes are non-compliant for (Missing, Failed, pending reboot, rejected), with how many nodes and which CVEs.',
  params: z
    .object({
      severity: z.enum(SEVERITIES).optional(),
      state: z.enum(PATCH_STATES).optional(),
      classification: z.string().optional(),
      team: z.string().optional(),
    })
    .strict(),
  compile(params, context) {
    const filters: SqlFragment[] = [sql`f.status <> 'INACTIVE'`];
    if (params.severity) filters.push(sql`ci.severity = ${params.severity}`);
    if (params.state) filters.push(sql`ci.patchstate = ${params.state}`);
    if (params.classification) filters.push(sql`ci.classification = ${params.classification}`);
    if (params.team) filters.push(sql`f.team = ${params.team}`);
    return sql`WITH ${nodeFactsCte(context)},
${noncompliantItemsCte(context)}
SELECT ci.id AS patch_id, ci.patchstate AS state, max(ci.title) AS title, max(ci.classification) AS classification,
  max(ci.severity) AS severity, max(ci.patchseverity) AS patch_severity, count(*) AS node_count,
  ${context.dialect.stringAgg(sql.raw("nullif(ci.cveids, '')"))} AS cve_ids
FROM noncompliant_items ci
JOIN node_facts f ON f.account_id = ci.accountid AND f.region = ci.region AND f.node_id = ci.resourceid
WHERE ${sql.join(filters, ' AND ')}
GROUP BY ci.id, ci.patchstate
ORDER BY node_count DESC, patch_id, state`;
  },
});
