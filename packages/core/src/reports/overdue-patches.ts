import { z } from 'zod';
import { formatInstant } from '../timestamp.js';
import { SEVERITIES } from '../patch-state.js';
import { sql, type SqlFragment } from '../sql.js';
import { classificationFilter, itemRunsCte } from './item-runs.js';
import { UNTAGGED } from './node-compliance.js';
import { nodeFactsCte } from './node-facts.js';
import { defineReport, type ReportContext } from './report.js';

export const overdueParams = z
  .object({
    minDays: z.coerce.number().int().min(0).max(3650).default(14),
    /** `security` (Security, SecurityUpdates, CriticalUpdates), `any`, or one classification as written. */
    classification: z.string().min(1).default('security'),
    severity: z.enum(SEVERITIES).optional(),
    team: z.string().optional(),
    by: z.enum(['node', 'baseline', 'team-environment']).default('node'),
  })
  .strict();

/**
 * CTE `open_items`: the items non-compliant at the evaluation time on active nodes, with the start of their
 * current run and how many UTC calendar days it has lasted. Shared with the SLA report.
 */
export function openItemsCte(context: ReportContext, filters: SqlFragment[] = []): SqlFragment {
  const at = context.dialect.instant(formatInstant(context.now));
  return sql`${nodeFactsCte(context)},
  ${itemRunsCte(context)},
  open_items AS (
    SELECT f.account_id, f.region, f.node_id, f.name, coalesce(f.team, ${UNTAGGED}) AS team,
      coalesce(f.environment, ${UNTAGGED}) AS environment, coalesce(f.baseline_id, r.baseline_id) AS baseline_id,
      r.id AS patch_id, r.title, r.state, r.severity, r.classification, r.cve_ids,
      r.run_start AS first_seen_noncompliant,
      ${context.dialect.utcDaysBetween(sql.raw('r.run_start'), at)} AS days_outstanding
    FROM item_runs r
    JOIN node_facts f ON f.account_id = r.accountid AND f.region = r.region AND f.node_id = r.resourceid
    WHERE r.open_now AND f.status <> 'INACTIVE'${sql.join(
      filters.map((filter) => sql` AND ${filter}`),
      '',
    )}
  )`;
}

export const overduePatches = defineReport({
  id: 'overdue-patches',
  title: 'Overdue patches',
  description:
    'Patches non-compliant on active nodes for at least minDays UTC calendar days (default 14, security classifications), per node, baseline or Team x Environment.',
  params: overdueParams,
  compile(params, context) {
    const filters = [classificationFilter(sql.raw('r.classification'), params.classification)];
    if (params.severity) filters.push(sql`r.severity = ${params.severity}`);
    if (params.team) filters.push(sql`coalesce(f.team, ${UNTAGGED}) = ${params.team}`);
    const cte = sql`WITH ${openItemsCte(context, filters)},
  overdue AS (SELECT * FROM open_items WHERE days_outstanding >= ${params.minDays})`;
    const summary = sql`count(DISTINCT account_id || '/' || region || '/' || node_id) AS nodes, count(*) AS items,
  count(*) FILTER (WHERE severity = 'CRITICAL') AS critical_items, max(days_outstanding) AS oldest_days`;
    switch (params.by) {
      case 'node':
        return sql`${cte}
SELECT account_id, region, node_id, name, team, environment, baseline_id, patch_id, title, state, severity,
  classification, cve_ids, first_seen_noncompliant, days_outstanding
FROM overdue
ORDER BY days_outstanding DESC, account_id, region, node_id, patch_id, title`;
      case 'baseline':
        return sql`${cte}
SELECT baseline_id, ${summary}
FROM overdue GROUP BY baseline_id ORDER BY items DESC, baseline_id`;
      case 'team-environment':
        return sql`${cte}
SELECT team, environment, ${summary}
FROM overdue GROUP BY team, environment ORDER BY team, environment`;
    }
  },
});
