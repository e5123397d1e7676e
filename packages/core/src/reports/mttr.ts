import * as z from 'zod';
import { isoInstant } from './params.js';
import { sql, type SqlFragment } from '../sql.js';
import { classificationFilter, itemRunsCte } from './item-runs.js';
import { nodeFactsCte, teamOf } from './node-facts.js';
import { defineReport } from './report.js';

const GROUPS = {
  severity: ['severity'],
  team: ['team'],
  'severity-team': ['severity', 'team'],
} as const;

export const meanTimeToRemediate = defineReport({
  id: 'mttr',
  title: 'Time to remediate',
  description:
    'Days from a patch first seen non-compliant on a node to its InstalledTime, for runs remediated in the window (from/to, default all), by severity and team: mean, median, 90th percentile, max.',
  requires: { history: 'to date when each item was found and fixed' },
  params: z
    .object({
      by: z.enum(['severity', 'team', 'severity-team']).default('severity-team'),
      from: isoInstant.optional(),
      to: isoInstant.optional(),
      classification: z.string().min(1).default('any'),
      team: z.string().optional(),
    })
    .strict(),
  compile(params, context) {
    const { dialect } = context;
    const filters: SqlFragment[] = [
      sql`r.remediated_at IS NOT NULL`,
      classificationFilter(sql.raw('r.classification'), params.classification),
    ];
    if (params.from) filters.push(sql`r.remediated_at >= ${dialect.instant(params.from)}`);
    if (params.to) filters.push(sql`r.remediated_at < ${dialect.instant(params.to)}`);
    if (params.team) filters.push(sql`${teamOf('f')} = ${params.team}`);
    const groups = sql.raw(GROUPS[params.by].join(', '));
    const days = sql.raw('days');
    const round2 = (value: SqlFragment) => sql`round(${value}, 2)`;
    return sql`WITH ${nodeFactsCte(context)},
  ${itemRunsCte(context)},
  remediated AS (
    SELECT r.severity, ${teamOf('f')} AS team,
      ${dialect.secondsBetween(sql.raw('r.run_start'), sql.raw('r.remediated_at'))} / 86400.0 AS days
    FROM item_runs r
    LEFT JOIN node_facts f ON f.account_id = r.accountid AND f.region = r.region AND f.node_id = r.resourceid
    WHERE ${sql.join(filters, ' AND ')}
  )
SELECT ${groups}, count(*) AS remediated, ${round2(sql`avg(${days})`)} AS mean_days,
  ${round2(dialect.quantile(days, 0.5))} AS median_days, ${round2(dialect.quantile(days, 0.9))} AS p90_days,
  ${round2(sql`max(${days})`)} AS max_days
FROM remediated
GROUP BY ${groups}
ORDER BY ${groups}`;
  },
});
