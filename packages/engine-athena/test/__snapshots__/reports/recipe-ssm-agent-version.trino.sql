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
WHERE
    (
        app.name = 'Amazon SSM Agent' 
        OR app.name = 'amazon-ssm-agent'
    )
    -- Add tag filters if applicable
    -- AND t.key = 'Patch'
    -- AND t.value = 'true'
