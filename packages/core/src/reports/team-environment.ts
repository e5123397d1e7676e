import * as z from 'zod';
import { sql } from '../sql.js';
import { nodeFactsCte, STATUS_COUNTS } from './node-facts.js';
import { defineReport } from './report.js';

export const teamEnvironment = defineReport({
  id: 'team-environment',
  title: 'Team x Environment',
  description:
    'The monthly report: active nodes per team and environment (from tags), by status, with compliance % and coverage %, naming the instances no SSM Agent reports for.',
  params: z.object({ team: z.string().optional() }).strict(),
  compile(params, context) {
    return sql`WITH ${nodeFactsCte(context)}
SELECT team, environment,
  count(*) AS nodes, ${STATUS_COUNTS},
  ${context.dialect.stringAgg(sql.raw(`CASE WHEN status = 'UNMANAGED' THEN node_id || coalesce(' (' || name || ')', '') END`))} AS unmanaged_instances
FROM node_facts
WHERE status <> 'INACTIVE'${params.team ? sql` AND team = ${params.team}` : sql``}
GROUP BY 1, 2
ORDER BY 1, 2`;
  },
});
