-- parameters: []
SELECT 
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
LIMIT 20
