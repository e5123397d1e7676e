import * as z from 'zod';
import { sql } from '../sql.js';
import { nodeFactsCte } from './node-facts.js';
import { defineReport } from './report.js';

export const applications = defineReport({
  id: 'applications',
  title: 'Applications',
  description:
    'Installed applications on active nodes by name and version, with how many nodes have each; `name` filters by a case-insensitive substring.',
  params: z.object({ name: z.string().min(1).max(200).optional() }).strict(),
  compile(params, context) {
    const nameFilter = params.name
      ? sql`AND lower(a.name) LIKE ${`%${params.name.toLowerCase().replace(/[\\%_]/g, '\\$&')}%`} ESCAPE '\\'`
      : sql``;
    return sql`WITH ${nodeFactsCte(context)}
SELECT a.name, a.version, max(a.publisher) AS publisher, count(DISTINCT f.node_id) AS nodes
FROM aws_application a
JOIN node_facts f ON f.account_id = a.accountid AND f.region = a.region AND f.node_id = a.resourceid
WHERE f.status <> 'INACTIVE' ${nameFilter}
GROUP BY a.name, a.version
ORDER BY nodes DESC, a.name, a.version`;
  },
});
