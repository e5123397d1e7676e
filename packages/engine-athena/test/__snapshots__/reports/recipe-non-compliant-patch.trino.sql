-- parameters: []
SELECT 
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

LIMIT 20
