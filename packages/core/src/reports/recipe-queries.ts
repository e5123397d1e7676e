/**
 * The AWS recipe's Athena named queries (patch-reporting.yaml) and the two sample queries of its guide,
 * verbatim. They run unchanged over the `aws_*` tables; on DuckDB the engine translates the one Trino-only
 * construct they use (`LISTAGG … WITHIN GROUP`). They keep the recipe's own flaws on purpose (the unfiltered
 * `aws_tag` join repeats each row once per tag): they are here so that existing queries keep working.
 */
import * as z from 'zod';
import { sql } from '../sql.js';
import { defineReport, type ReportDefinition } from './report.js';

const recipeQuery = (id: string, name: string, description: string, text: string): ReportDefinition =>
  defineReport({
    id,
    title: `AWS recipe: ${name}`,
    description,
    params: z.object({}).strict(),
    compile: () => sql.raw(text),
  });

export const recipeQueries: readonly ReportDefinition[] = [
  recipeQuery(
    'recipe-compliant-patch',
    'QueryCompliantPatch',
    'Example query to list managed nodes that are compliant for patching.',
    `SELECT 
    ci.accountid,
    ci.region,
    ci.resourceid,
    ci.status,
    ci.id,
    ci.title,
    ci.classification,
    ci.patchseverity,
    ci.severity,
    ci.executiontype,
    ci.patchbaselineid,
    ci.capturetime
FROM 
    aws_complianceitem ci
JOIN 
    aws_tag t ON ci.resourceid = t.resourceid
WHERE 
    ci.compliancetype = 'Patch'
    AND ci.status = 'COMPLIANT'
    -- Add tag filters if applicable
    -- AND t.key = 'Patch'
    -- AND t.value = 'true'
LIMIT 20`,
  ),
  recipeQuery(
    'recipe-non-compliant-patch',
    'QueryNonCompliantPatch',
    'Example query to list managed nodes that are non-compliant for patching.',
    `SELECT 
    ci.accountid,
    ci.region,
    ci.resourceid,
    ci.status,
    ci.id,
    ci.title,
    ci.classification,
    ci.patchseverity,
    ci.severity,
    ci.executiontype,
    ci.patchbaselineid,
    ci.capturetime
FROM 
    aws_complianceitem ci
JOIN 
    aws_tag t ON ci.resourceid = t.resourceid
WHERE 
    ci.compliancetype = 'Patch'
    AND ci.status = 'NON_COMPLIANT'
    -- Add tag filters if applicable
    -- AND t.key = 'Patch'
    -- AND t.value = 'true'
    -- Add time-based filters if applicable
    -- AND ci.capturetime >= DATE '2025-07-01'

LIMIT 20`,
  ),
  recipeQuery(
    'recipe-patch-summary',
    'QueryPatchSummary',
    'Example query to provide a patch summary for managed nodes.',
    `SELECT 
    ps.accountid,
    ps.region,
    ps.resourceid,
    ps.missingcount,
    ps.criticalnoncompliantcount,
    ps.othernoncompliantcount,
    ps.installedpendingrebootcount,
    ps.installedcount,
    ps.failedcount,
    ps.installedrejectedcount,
    ps.operationtype,
    ps.rebootoption,
    ps.baselineid,
    ps.capturetime
FROM 
    aws_patchsummary ps
JOIN 
    aws_tag t ON ps.resourceid = t.resourceid
-- WHERE 
    -- Add tag filters if applicable
    -- AND t.key = 'Patch'
    -- AND t.value = 'true'
    -- Add time-based filter if applicable
    -- AND ps.capturetime >= DATE '2025-07-01'
LIMIT 20`,
  ),
  recipeQuery(
    'recipe-compliance-summary-patch',
    'QueryComplianceSummaryPatch',
    'Example query to provide a compliance summary for patch for managed nodes.',
    `SELECT 
    cs.accountid,
    cs.region,
    cs.resourceid,
    cs.status,
    cs.executiontype,
    cs.overallseverity,
    cs.compliantcriticalcount,
    cs.patchbaselineid,
    cs.capturetime
FROM 
    aws_compliancesummary cs
JOIN 
    aws_tag t ON cs.resourceid = t.resourceid
WHERE 
    cs.compliancetype = 'Patch'
    -- Add tag filters if applicable
    -- AND t.key = 'Patch'
    -- AND t.value = 'true'
    -- Consider adding status filter if only interested in specific status
    -- AND cs.status IN ('COMPLIANT', 'NON_COMPLIANT')
LIMIT 20`,
  ),
  recipeQuery(
    'recipe-ssm-agent-version',
    'QuerySSMAgentVersion',
    'Example query to list SSM Agent versions installed on managed nodes.',
    `SELECT 
    app.accountid,
    app.region,
    app.resourceid,
    app.name,
    app.version,
    app.installedtime,
    app.applicationtype,
    app.summary,
    app.architecture,
    app.packageid,
    app.publisher,
    app.capturetime
FROM 
    aws_application app
JOIN 
    aws_tag t ON app.resourceid = t.resourceid
WHERE
    (
        app.name = 'Amazon SSM Agent' 
        OR app.name = 'amazon-ssm-agent'
    )
    -- Add tag filters if applicable
    -- AND t.key = 'Patch'
    -- AND t.value = 'true'`,
  ),
  recipeQuery(
    'recipe-instance-list',
    'QueryInstanceList',
    'Example query to return a list of non-terminated managed nodes.',
    `SELECT 
    ii.accountid,
    ii.region,
    ii.resourceid,
    ii.computername,
    ii.ipaddress,
    ii.instancestatus,
    ii.platformtype,
    ii.platformname,
    ii.platformversion,
    ii.agenttype,
    ii.agentversion,
    ii.capturetime
FROM 
    aws_instanceinformation ii
JOIN 
    aws_tag t ON ii.resourceid = t.resourceid
WHERE 
    ii.instancestatus = 'Active'
    -- Consider adding platform filter if only interested in specific platforms
    -- AND ii.platformtype IN ('Linux', 'Windows')
    -- Add tag filters if applicable
    -- AND t.key = 'Patch'
    -- AND t.value = 'true'`,
  ),
  recipeQuery(
    'recipe-instance-applications',
    'QueryInstanceApplications',
    'Example query to return a list of managed nodes and their applications installed.',
    `SELECT 
    app.accountid,
    app.region,
    app.resourceid,
    app.name,
    app.version,
    app.installedtime,
    app.applicationtype,
    app.summary,
    app.architecture,
    app.packageid,
    app.publisher,
    app.capturetime
FROM 
    aws_application app
JOIN 
    aws_tag t ON app.resourceid = t.resourceid
-- WHERE 
    -- Add tag filters if applicable
    -- AND t.key = 'Patch'
    -- AND t.value = 'true'
    -- Consider adding filters to narrow results
    -- AND app.applicationtype = 'AWS'
    -- AND app.installedtime >= DATE '2025-01-01'
LIMIT 20`,
  ),
  recipeQuery(
    'recipe-aggregate-non-compliant-by-resource',
    'sample: Query to aggregate non-compliant patch compliance items by resource (limited to 20 results)',
    'Query to aggregate non-compliant patch compliance items by resource (limited to 20 results).',
    `-- Query to aggregate non-compliant patch compliance items by resource (limited to 20 results)
SELECT 
    ci.resourceid,
    ci.status,
    ci.patchstate,
    LISTAGG(DISTINCT ci.id, ', ') WITHIN GROUP (ORDER BY ci.id) AS ids
FROM 
    aws_complianceitem ci
WHERE 
    ci.compliancetype = 'Patch'
    AND ci.status = 'NON_COMPLIANT'
GROUP BY 
    ci.resourceid,
    ci.status,
    ci.patchstate
ORDER BY 
    ci.resourceid
LIMIT 20;`,
  ),
  recipeQuery(
    'recipe-active-nodes',
    'sample: Query to return only Active managed nodes',
    'Query to return only Active managed nodes.',
    `-- Query to return only Active managed nodes
SELECT 
    ii.accountid,
    ii.region,
    ii.resourceid,
    ii.computername,
    ii.ipaddress,
    ii.instancestatus,
    ii.platformtype,
    ii.platformname,
    ii.platformversion,
    ii.agenttype,
    ii.agentversion,
    ii.capturetime
FROM 
    aws_instanceinformation ii
WHERE 
    ii.instancestatus = 'Active'
LIMIT 20;`,
  ),
];
