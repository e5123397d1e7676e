-- parameters: []
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
JOIN 
    aws_tag t ON ii.resourceid = t.resourceid
WHERE 
    ii.instancestatus = 'Active'
    -- Consider adding platform filter if only interested in specific platforms
    -- AND ii.platformtype IN ('Linux', 'Windows')
    -- Add tag filters if applicable
    -- AND t.key = 'Patch'
    -- AND t.value = 'true'
