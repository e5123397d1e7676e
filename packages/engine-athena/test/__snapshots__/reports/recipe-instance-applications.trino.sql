-- parameters: []
SELECT 
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
LIMIT 20
