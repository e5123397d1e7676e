import { z } from 'zod';
import { sql } from '../sql.js';
import { nodeFactsCte } from './node-facts.js';
import { defineReport } from './report.js';

export const agentVersions = defineReport({
  id: 'agent-versions',
  title: 'SSM Agent versions',
  description: 'Active managed nodes per SSM Agent version and platform type, newest version first.',
  params: z.object({}).strict(),
  compile(_params, context) {
    return sql`WITH ${nodeFactsCte(context)}
SELECT coalesce(agent_version, '(unknown)') AS agent_version, coalesce(platform_type, '(unknown)') AS platform_type,
  count(*) AS nodes
FROM node_facts
WHERE status <> 'INACTIVE'
GROUP BY 1, 2
ORDER BY 1 DESC, 2`;
  },
});
