import * as z from 'zod';
import { sql } from '../sql.js';
import { nodeFactsCte, STATUS_COUNTS } from './node-facts.js';
import { defineReport } from './report.js';

/** Grouping columns offered by `group-by`; identifiers come from this table, never from input. */
const GROUPS = {
  account: 'account_id',
  region: 'region',
  platform: 'platform',
  team: 'team',
  environment: 'environment',
  baseline: 'baseline_id',
  'patch-group': 'patch_group',
} as const;
export const FLEET_GROUPS = ['none', ...(Object.keys(GROUPS) as (keyof typeof GROUPS)[])] as const;

export const fleetSummary = defineReport({
  id: 'fleet-summary',
  title: 'Fleet summary',
  description:
    'Nodes by status, compliance % (compliant / active nodes, instances without an SSM Agent included) and coverage % (active nodes an agent reports for / active nodes); optionally grouped by account, region, platform, team, environment, baseline or patch group.',
  params: z
    .object({ 'group-by': z.enum(FLEET_GROUPS).default('none'), team: z.string().optional() })
    .strict(),
  compile(params, context) {
    const groupBy = params['group-by'];
    const group = groupBy === 'none' ? undefined : sql.raw(GROUPS[groupBy]);
    return sql`WITH ${nodeFactsCte(context)}
SELECT ${group ? sql`coalesce(${group}, '(unknown)') AS ${group}, ` : sql``}count(*) AS nodes,
  count(*) FILTER (WHERE status <> 'INACTIVE') AS active,
  count(*) FILTER (WHERE status = 'INACTIVE') AS inactive,
  ${STATUS_COUNTS}
FROM node_facts
${params.team ? sql`WHERE team = ${params.team}` : sql``}
${group ? sql`GROUP BY 1 ORDER BY 1` : sql``}`;
  },
});
