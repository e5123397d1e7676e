import * as z from 'zod';
import { SEVERITIES } from '../patch-state.js';
import { sql, type SqlFragment } from '../sql.js';
import { classificationFilter } from './item-runs.js';
import { openItemsCte } from './overdue-patches.js';
import { defineReport, type ReportContext } from './report.js';

/** The days allowed for one severity in one environment: the environment's own figure, else the default. */
function allowedDays(context: ReportContext): SqlFragment {
  const { sla } = context.policy;
  const cases: SqlFragment[] = [];
  for (const [environment, days] of Object.entries(sla.environments)) {
    for (const severity of SEVERITIES) {
      const allowed = days[severity];
      if (allowed !== undefined) {
        cases.push(sql`WHEN environment = ${environment} AND severity = ${severity} THEN ${allowed}`);
      }
    }
  }
  for (const severity of SEVERITIES) {
    const allowed = sla.default[severity];
    if (allowed !== undefined) cases.push(sql`WHEN severity = ${severity} THEN ${allowed}`);
  }
  return cases.length === 0 ? sql`CAST(NULL AS INTEGER)` : sql`CASE ${sql.join(cases, ' ')} END`;
}

export const slaBreaches = defineReport({
  id: 'sla',
  title: 'Patch SLA',
  description:
    'Open non-compliant patch items per team, environment and severity against the policy SLA matrix (policy.sla: days allowed per severity, per environment): how many, how many past their SLA, the oldest.',
  requires: { history: 'to date when each item was first seen missing' },
  params: z
    .object({
      classification: z.string().min(1).default('any'),
      team: z.string().optional(),
      breachesOnly: z.enum(['true', 'false']).default('false'),
    })
    .strict(),
  compile(params, context) {
    const filters = [classificationFilter(sql.raw('r.classification'), params.classification)];
    if (params.team) filters.push(sql`f.team = ${params.team}`);
    return sql`WITH ${openItemsCte(context, filters)},
  judged AS (SELECT open_items.*, ${allowedDays(context)} AS allowed_days FROM open_items)
SELECT team, environment, severity, max(allowed_days) AS allowed_days, count(*) AS open_items,
  count(*) FILTER (WHERE days_outstanding > allowed_days) AS breaches,
  count(DISTINCT account_id || '/' || region || '/' || node_id)
    FILTER (WHERE days_outstanding > allowed_days) AS nodes_in_breach,
  max(days_outstanding) AS oldest_days
FROM judged
GROUP BY team, environment, severity
${params.breachesOnly === 'true' ? sql`HAVING count(*) FILTER (WHERE days_outstanding > allowed_days) > 0` : sql``}
ORDER BY team, environment, CASE severity WHEN 'CRITICAL' THEN 0 WHEN 'HIGH' THEN 1 WHEN 'MEDIUM' THEN 2
  WHEN 'LOW' THEN 3 WHEN 'INFORMATIONAL' THEN 4 ELSE 5 END`;
  },
});
