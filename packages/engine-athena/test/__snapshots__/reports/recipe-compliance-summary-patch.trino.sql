-- parameters: []
SELECT 
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
LIMIT 20
