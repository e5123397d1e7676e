import * as z from 'zod';
import { NODE_STATUSES } from '../compliance.js';
import { sql, type SqlFragment } from '../sql.js';
import { nodeFactsCte } from './node-facts.js';
import { defineReport } from './report.js';

export const nodeCompliance = defineReport({
  id: 'node-compliance',
  title: 'Node compliance',
  description: 'One row per managed node: who owns it, its baseline, its status and what it is missing.',
  params: z
    .object({
      status: z.enum(NODE_STATUSES).optional(),
      account: z
        .string()
        .regex(/^\d{12}$/, 'expected a 12-digit account id')
        .optional(),
      region: z.string().optional(),
      team: z.string().optional(),
      environment: z.string().optional(),
      node: z.string().optional(),
    })
    .strict(),
  compile(params, context) {
    const filters: SqlFragment[] = [];
    if (params.status) filters.push(sql`status = ${params.status}`);
    if (params.account) filters.push(sql`account_id = ${params.account}`);
    if (params.region) filters.push(sql`region = ${params.region}`);
    if (params.team) filters.push(sql`team = ${params.team}`);
    if (params.environment) filters.push(sql`environment = ${params.environment}`);
    if (params.node) filters.push(sql`node_id = ${params.node}`);
    return sql`WITH ${nodeFactsCte(context)}
SELECT account_id, region, node_id, name, platform, instance_status, team, environment, patch_group, baseline_id, status, missing_count, failed_count, pending_reboot_count,
  critical_noncompliant_count, highest_severity, last_scan_time
FROM node_facts
${filters.length > 0 ? sql`WHERE ${sql.join(filters, ' AND ')}` : sql``}
ORDER BY account_id, region, node_id`;
  },
});
