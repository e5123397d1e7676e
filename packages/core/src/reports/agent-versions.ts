import * as z from 'zod';
import { sql } from '../sql.js';
import { nodeFactsCte } from './node-facts.js';
import { defineReport } from './report.js';

export const agentVersions = defineReport({
  id: 'agent-versions',
  title: 'SSM Agent versions',
  description:
    'Active nodes with an SSM Agent per agent version and platform type, newest version first (an instance that never had an agent is not listed; one whose agent fell silent is).',
  params: z.object({ team: z.string().optional() }).strict(),
  compile(params, context) {
    return sql`WITH ${nodeFactsCte(context)}
SELECT coalesce(agent_version, '(unknown)') AS agent_version, coalesce(platform_type, '(unknown)') AS platform_type,
  count(*) AS nodes
FROM node_facts
WHERE status <> 'INACTIVE' AND NOT (status = 'UNMANAGED' AND agent_report_time IS NULL)${params.team ? sql` AND team = ${params.team}` : sql``}
GROUP BY 1, 2
ORDER BY 1 DESC, 2`;
  },
});
