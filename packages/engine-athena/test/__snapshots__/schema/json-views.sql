CREATE OR REPLACE VIEW aws_instanceinformation AS
SELECT r.path_accountid AS accountid,
  r.path_region AS region,
  r.path_resourcetype AS resourcetype,
  r.path_node AS resourceid,
  try(from_iso8601_timestamp(regexp_replace(trim(r.capturetime), '^(\d{4}-\d{2}-\d{2}) ', '$1T')) AT TIME ZONE 'UTC') AS capturetime,
  r.schemaversion AS schemaversion,
  r.agenttype AS agenttype,
  r.agentversion AS agentversion,
  r.computername AS computername,
  r.instanceid AS instanceid,
  r.ipaddress AS ipaddress,
  r.platformname AS platformname,
  r.platformtype AS platformtype,
  r.platformversion AS platformversion,
  r.instanceresourcetype AS instanceresourcetype,
  r.agentstatus AS agentstatus,
  r.instancestatus AS instancestatus,
  r.iamrole AS iamrole
FROM (
  SELECT t.*, regexp_extract("$path", '/(?:AWS|Custom):[^/]+/accountid=(\d{12})/region=([a-z]{2}(?:-[a-z]+)+-\d{1,2})/resourcetype=([A-Za-z][A-Za-z0-9]*)/([A-Za-z0-9_.-]+)\.json$', 1) AS path_accountid, regexp_extract("$path", '/(?:AWS|Custom):[^/]+/accountid=(\d{12})/region=([a-z]{2}(?:-[a-z]+)+-\d{1,2})/resourcetype=([A-Za-z][A-Za-z0-9]*)/([A-Za-z0-9_.-]+)\.json$', 2) AS path_region,
    regexp_extract("$path", '/(?:AWS|Custom):[^/]+/accountid=(\d{12})/region=([a-z]{2}(?:-[a-z]+)+-\d{1,2})/resourcetype=([A-Za-z][A-Za-z0-9]*)/([A-Za-z0-9_.-]+)\.json$', 3) AS path_resourcetype, regexp_extract("$path", '/(?:AWS|Custom):[^/]+/accountid=(\d{12})/region=([a-z]{2}(?:-[a-z]+)+-\d{1,2})/resourcetype=([A-Za-z][A-Za-z0-9]*)/([A-Za-z0-9_.-]+)\.json$', 4) AS path_node
  FROM aws_instanceinformation_json t
) r
WHERE r.path_node IS NOT NULL AND r.path_node <> 'test' AND NOT starts_with(r.path_node, '.')
  AND (r.resourceid IS NULL OR r.resourceid = r.path_node)
  AND coalesce(r.resourceid, r.capturetime, r.schemaversion, r.agenttype, r.agentversion, r.computername, r.instanceid, r.ipaddress, r.platformname, r.platformtype, r.platformversion, r.instanceresourcetype, r.agentstatus, r.instancestatus, r.iamrole) IS NOT NULL;

CREATE OR REPLACE VIEW aws_tag AS
SELECT r.path_accountid AS accountid,
  r.path_region AS region,
  r.path_resourcetype AS resourcetype,
  r.path_node AS resourceid,
  try(from_iso8601_timestamp(regexp_replace(trim(r.capturetime), '^(\d{4}-\d{2}-\d{2}) ', '$1T')) AT TIME ZONE 'UTC') AS capturetime,
  r.schemaversion AS schemaversion,
  r.key AS key,
  r.value AS value
FROM (
  SELECT t.*, regexp_extract("$path", '/(?:AWS|Custom):[^/]+/accountid=(\d{12})/region=([a-z]{2}(?:-[a-z]+)+-\d{1,2})/resourcetype=([A-Za-z][A-Za-z0-9]*)/([A-Za-z0-9_.-]+)\.json$', 1) AS path_accountid, regexp_extract("$path", '/(?:AWS|Custom):[^/]+/accountid=(\d{12})/region=([a-z]{2}(?:-[a-z]+)+-\d{1,2})/resourcetype=([A-Za-z][A-Za-z0-9]*)/([A-Za-z0-9_.-]+)\.json$', 2) AS path_region,
    regexp_extract("$path", '/(?:AWS|Custom):[^/]+/accountid=(\d{12})/region=([a-z]{2}(?:-[a-z]+)+-\d{1,2})/resourcetype=([A-Za-z][A-Za-z0-9]*)/([A-Za-z0-9_.-]+)\.json$', 3) AS path_resourcetype, regexp_extract("$path", '/(?:AWS|Custom):[^/]+/accountid=(\d{12})/region=([a-z]{2}(?:-[a-z]+)+-\d{1,2})/resourcetype=([A-Za-z][A-Za-z0-9]*)/([A-Za-z0-9_.-]+)\.json$', 4) AS path_node
  FROM aws_tag_json t
) r
WHERE r.path_node IS NOT NULL AND r.path_node <> 'test' AND NOT starts_with(r.path_node, '.')
  AND (r.resourceid IS NULL OR r.resourceid = r.path_node)
  AND coalesce(r.resourceid, r.capturetime, r.schemaversion, r.key, r.value) IS NOT NULL;

CREATE OR REPLACE VIEW aws_patchsummary AS
SELECT r.path_accountid AS accountid,
  r.path_region AS region,
  r.path_resourcetype AS resourcetype,
  r.path_node AS resourceid,
  try(from_iso8601_timestamp(regexp_replace(trim(r.capturetime), '^(\d{4}-\d{2}-\d{2}) ', '$1T')) AT TIME ZONE 'UTC') AS capturetime,
  r.schemaversion AS schemaversion,
  r.patchgroup AS patchgroup,
  r.baselineid AS baselineid,
  r.snapshotid AS snapshotid,
  r.executionid AS executionid,
  r.ownerinformation AS ownerinformation,
  CASE WHEN regexp_like(trim(r.installedcount), '^-?\d{1,15}$') THEN CAST(trim(r.installedcount) AS bigint) END AS installedcount,
  CASE WHEN regexp_like(trim(r.installedothercount), '^-?\d{1,15}$') THEN CAST(trim(r.installedothercount) AS bigint) END AS installedothercount,
  CASE WHEN regexp_like(trim(r.installedpendingrebootcount), '^-?\d{1,15}$') THEN CAST(trim(r.installedpendingrebootcount) AS bigint) END AS installedpendingrebootcount,
  CASE WHEN regexp_like(trim(r.installedrejectedcount), '^-?\d{1,15}$') THEN CAST(trim(r.installedrejectedcount) AS bigint) END AS installedrejectedcount,
  CASE WHEN regexp_like(trim(r.notapplicablecount), '^-?\d{1,15}$') THEN CAST(trim(r.notapplicablecount) AS bigint) END AS notapplicablecount,
  CASE WHEN regexp_like(trim(r.unreportednotapplicablecount), '^-?\d{1,15}$') THEN CAST(trim(r.unreportednotapplicablecount) AS bigint) END AS unreportednotapplicablecount,
  CASE WHEN regexp_like(trim(r.missingcount), '^-?\d{1,15}$') THEN CAST(trim(r.missingcount) AS bigint) END AS missingcount,
  CASE WHEN regexp_like(trim(r.failedcount), '^-?\d{1,15}$') THEN CAST(trim(r.failedcount) AS bigint) END AS failedcount,
  CASE WHEN regexp_like(trim(r.criticalnoncompliantcount), '^-?\d{1,15}$') THEN CAST(trim(r.criticalnoncompliantcount) AS bigint) END AS criticalnoncompliantcount,
  CASE WHEN regexp_like(trim(r.securitynoncompliantcount), '^-?\d{1,15}$') THEN CAST(trim(r.securitynoncompliantcount) AS bigint) END AS securitynoncompliantcount,
  CASE WHEN regexp_like(trim(r.othernoncompliantcount), '^-?\d{1,15}$') THEN CAST(trim(r.othernoncompliantcount) AS bigint) END AS othernoncompliantcount,
  CASE WHEN regexp_like(trim(r.availablesecurityupdatecount), '^-?\d{1,15}$') THEN CAST(trim(r.availablesecurityupdatecount) AS bigint) END AS availablesecurityupdatecount,
  upper(nullif(r.noncompliantseverity, '')) AS noncompliantseverity,
  r.operationtype AS operationtype,
  try(from_iso8601_timestamp(regexp_replace(trim(r.operationstarttime), '^(\d{4}-\d{2}-\d{2}) ', '$1T')) AT TIME ZONE 'UTC') AS operationstarttime,
  try(from_iso8601_timestamp(regexp_replace(trim(r.operationendtime), '^(\d{4}-\d{2}-\d{2}) ', '$1T')) AT TIME ZONE 'UTC') AS operationendtime,
  r.installoverridelist AS installoverridelist,
  r.rebootoption AS rebootoption,
  try(from_iso8601_timestamp(regexp_replace(trim(r.lastnorebootinstalloperationtime), '^(\d{4}-\d{2}-\d{2}) ', '$1T')) AT TIME ZONE 'UTC') AS lastnorebootinstalloperationtime
FROM (
  SELECT t.*, regexp_extract("$path", '/(?:AWS|Custom):[^/]+/accountid=(\d{12})/region=([a-z]{2}(?:-[a-z]+)+-\d{1,2})/resourcetype=([A-Za-z][A-Za-z0-9]*)/([A-Za-z0-9_.-]+)\.json$', 1) AS path_accountid, regexp_extract("$path", '/(?:AWS|Custom):[^/]+/accountid=(\d{12})/region=([a-z]{2}(?:-[a-z]+)+-\d{1,2})/resourcetype=([A-Za-z][A-Za-z0-9]*)/([A-Za-z0-9_.-]+)\.json$', 2) AS path_region,
    regexp_extract("$path", '/(?:AWS|Custom):[^/]+/accountid=(\d{12})/region=([a-z]{2}(?:-[a-z]+)+-\d{1,2})/resourcetype=([A-Za-z][A-Za-z0-9]*)/([A-Za-z0-9_.-]+)\.json$', 3) AS path_resourcetype, regexp_extract("$path", '/(?:AWS|Custom):[^/]+/accountid=(\d{12})/region=([a-z]{2}(?:-[a-z]+)+-\d{1,2})/resourcetype=([A-Za-z][A-Za-z0-9]*)/([A-Za-z0-9_.-]+)\.json$', 4) AS path_node
  FROM aws_patchsummary_json t
) r
WHERE r.path_node IS NOT NULL AND r.path_node <> 'test' AND NOT starts_with(r.path_node, '.')
  AND (r.resourceid IS NULL OR r.resourceid = r.path_node)
  AND coalesce(r.resourceid, r.capturetime, r.schemaversion, r.patchgroup, r.baselineid, r.snapshotid, r.executionid, r.ownerinformation, r.installedcount, r.installedothercount, r.installedpendingrebootcount, r.installedrejectedcount, r.notapplicablecount, r.unreportednotapplicablecount, r.missingcount, r.failedcount, r.criticalnoncompliantcount, r.securitynoncompliantcount, r.othernoncompliantcount, r.availablesecurityupdatecount, r.noncompliantseverity, r.operationtype, r.operationstarttime, r.operationendtime, r.installoverridelist, r.rebootoption, r.lastnorebootinstalloperationtime) IS NOT NULL;

CREATE OR REPLACE VIEW aws_complianceitem AS
SELECT r.path_accountid AS accountid,
  r.path_region AS region,
  r.path_resourcetype AS resourcetype,
  r.path_node AS resourceid,
  try(from_iso8601_timestamp(regexp_replace(trim(r.capturetime), '^(\d{4}-\d{2}-\d{2}) ', '$1T')) AT TIME ZONE 'UTC') AS capturetime,
  r.schemaversion AS schemaversion,
  r.compliancetype AS compliancetype,
  r.executionid AS executionid,
  r.executiontype AS executiontype,
  try(from_iso8601_timestamp(regexp_replace(trim(r.executiontime), '^(\d{4}-\d{2}-\d{2}) ', '$1T')) AT TIME ZONE 'UTC') AS executiontime,
  r.id AS id,
  r.title AS title,
  upper(nullif(r.status, '')) AS status,
  upper(nullif(r.severity, '')) AS severity,
  r.documentname AS documentname,
  r.documentversion AS documentversion,
  r.classification AS classification,
  r.patchbaselineid AS patchbaselineid,
  r.patchseverity AS patchseverity,
  CASE upper(regexp_replace(r.patchstate, '[\s_-]', ''))
      WHEN 'INSTALLED' THEN 'INSTALLED'
      WHEN 'INSTALLEDOTHER' THEN 'INSTALLED_OTHER'
      WHEN 'INSTALLEDPENDINGREBOOT' THEN 'INSTALLED_PENDING_REBOOT'
      WHEN 'INSTALLEDREJECTED' THEN 'INSTALLED_REJECTED'
      WHEN 'MISSING' THEN 'MISSING'
      WHEN 'NOTAPPLICABLE' THEN 'NOT_APPLICABLE'
      WHEN 'FAILED' THEN 'FAILED'
      WHEN 'AVAILABLESECURITYUPDATE' THEN 'AVAILABLE_SECURITY_UPDATE'
    END AS patchstate,
  r.patchgroup AS patchgroup,
  try(from_iso8601_timestamp(regexp_replace(trim(r.installedtime), '^(\d{4}-\d{2}-\d{2}) ', '$1T')) AT TIME ZONE 'UTC') AS installedtime,
  r.installoverridelist AS installoverridelist,
  r.cveids AS cveids,
  r.detailedtext AS detailedtext,
  r.detailedlink AS detailedlink
FROM (
  SELECT t.*, regexp_extract("$path", '/(?:AWS|Custom):[^/]+/accountid=(\d{12})/region=([a-z]{2}(?:-[a-z]+)+-\d{1,2})/resourcetype=([A-Za-z][A-Za-z0-9]*)/([A-Za-z0-9_.-]+)\.json$', 1) AS path_accountid, regexp_extract("$path", '/(?:AWS|Custom):[^/]+/accountid=(\d{12})/region=([a-z]{2}(?:-[a-z]+)+-\d{1,2})/resourcetype=([A-Za-z][A-Za-z0-9]*)/([A-Za-z0-9_.-]+)\.json$', 2) AS path_region,
    regexp_extract("$path", '/(?:AWS|Custom):[^/]+/accountid=(\d{12})/region=([a-z]{2}(?:-[a-z]+)+-\d{1,2})/resourcetype=([A-Za-z][A-Za-z0-9]*)/([A-Za-z0-9_.-]+)\.json$', 3) AS path_resourcetype, regexp_extract("$path", '/(?:AWS|Custom):[^/]+/accountid=(\d{12})/region=([a-z]{2}(?:-[a-z]+)+-\d{1,2})/resourcetype=([A-Za-z][A-Za-z0-9]*)/([A-Za-z0-9_.-]+)\.json$', 4) AS path_node
  FROM aws_complianceitem_json t
) r
WHERE r.path_node IS NOT NULL AND r.path_node <> 'test' AND NOT starts_with(r.path_node, '.')
  AND (r.resourceid IS NULL OR r.resourceid = r.path_node)
  AND coalesce(r.resourceid, r.capturetime, r.schemaversion, r.compliancetype, r.executionid, r.executiontype, r.executiontime, r.id, r.title, r.status, r.severity, r.documentname, r.documentversion, r.classification, r.patchbaselineid, r.patchseverity, r.patchstate, r.patchgroup, r.installedtime, r.installoverridelist, r.cveids, r.detailedtext, r.detailedlink) IS NOT NULL;

CREATE OR REPLACE VIEW aws_compliancesummary AS
SELECT r.path_accountid AS accountid,
  r.path_region AS region,
  r.path_resourcetype AS resourcetype,
  r.path_node AS resourceid,
  try(from_iso8601_timestamp(regexp_replace(trim(r.capturetime), '^(\d{4}-\d{2}-\d{2}) ', '$1T')) AT TIME ZONE 'UTC') AS capturetime,
  r.schemaversion AS schemaversion,
  r.compliancetype AS compliancetype,
  r.patchgroup AS patchgroup,
  r.patchbaselineid AS patchbaselineid,
  upper(nullif(r.status, '')) AS status,
  upper(nullif(r.overallseverity, '')) AS overallseverity,
  r.executionid AS executionid,
  r.executiontype AS executiontype,
  try(from_iso8601_timestamp(regexp_replace(trim(r.executiontime), '^(\d{4}-\d{2}-\d{2}) ', '$1T')) AT TIME ZONE 'UTC') AS executiontime,
  CASE WHEN regexp_like(trim(r.compliantcriticalcount), '^-?\d{1,15}$') THEN CAST(trim(r.compliantcriticalcount) AS bigint) END AS compliantcriticalcount,
  CASE WHEN regexp_like(trim(r.complianthighcount), '^-?\d{1,15}$') THEN CAST(trim(r.complianthighcount) AS bigint) END AS complianthighcount,
  CASE WHEN regexp_like(trim(r.compliantmediumcount), '^-?\d{1,15}$') THEN CAST(trim(r.compliantmediumcount) AS bigint) END AS compliantmediumcount,
  CASE WHEN regexp_like(trim(r.compliantlowcount), '^-?\d{1,15}$') THEN CAST(trim(r.compliantlowcount) AS bigint) END AS compliantlowcount,
  CASE WHEN regexp_like(trim(r.compliantinformationalcount), '^-?\d{1,15}$') THEN CAST(trim(r.compliantinformationalcount) AS bigint) END AS compliantinformationalcount,
  CASE WHEN regexp_like(trim(r.compliantunspecifiedcount), '^-?\d{1,15}$') THEN CAST(trim(r.compliantunspecifiedcount) AS bigint) END AS compliantunspecifiedcount,
  CASE WHEN regexp_like(trim(r.noncompliantcriticalcount), '^-?\d{1,15}$') THEN CAST(trim(r.noncompliantcriticalcount) AS bigint) END AS noncompliantcriticalcount,
  CASE WHEN regexp_like(trim(r.noncomplianthighcount), '^-?\d{1,15}$') THEN CAST(trim(r.noncomplianthighcount) AS bigint) END AS noncomplianthighcount,
  CASE WHEN regexp_like(trim(r.noncompliantmediumcount), '^-?\d{1,15}$') THEN CAST(trim(r.noncompliantmediumcount) AS bigint) END AS noncompliantmediumcount,
  CASE WHEN regexp_like(trim(r.noncompliantlowcount), '^-?\d{1,15}$') THEN CAST(trim(r.noncompliantlowcount) AS bigint) END AS noncompliantlowcount,
  CASE WHEN regexp_like(trim(r.noncompliantinformationalcount), '^-?\d{1,15}$') THEN CAST(trim(r.noncompliantinformationalcount) AS bigint) END AS noncompliantinformationalcount,
  CASE WHEN regexp_like(trim(r.noncompliantunspecifiedcount), '^-?\d{1,15}$') THEN CAST(trim(r.noncompliantunspecifiedcount) AS bigint) END AS noncompliantunspecifiedcount
FROM (
  SELECT t.*, regexp_extract("$path", '/(?:AWS|Custom):[^/]+/accountid=(\d{12})/region=([a-z]{2}(?:-[a-z]+)+-\d{1,2})/resourcetype=([A-Za-z][A-Za-z0-9]*)/([A-Za-z0-9_.-]+)\.json$', 1) AS path_accountid, regexp_extract("$path", '/(?:AWS|Custom):[^/]+/accountid=(\d{12})/region=([a-z]{2}(?:-[a-z]+)+-\d{1,2})/resourcetype=([A-Za-z][A-Za-z0-9]*)/([A-Za-z0-9_.-]+)\.json$', 2) AS path_region,
    regexp_extract("$path", '/(?:AWS|Custom):[^/]+/accountid=(\d{12})/region=([a-z]{2}(?:-[a-z]+)+-\d{1,2})/resourcetype=([A-Za-z][A-Za-z0-9]*)/([A-Za-z0-9_.-]+)\.json$', 3) AS path_resourcetype, regexp_extract("$path", '/(?:AWS|Custom):[^/]+/accountid=(\d{12})/region=([a-z]{2}(?:-[a-z]+)+-\d{1,2})/resourcetype=([A-Za-z][A-Za-z0-9]*)/([A-Za-z0-9_.-]+)\.json$', 4) AS path_node
  FROM aws_compliancesummary_json t
) r
WHERE r.path_node IS NOT NULL AND r.path_node <> 'test' AND NOT starts_with(r.path_node, '.')
  AND (r.resourceid IS NULL OR r.resourceid = r.path_node)
  AND coalesce(r.resourceid, r.capturetime, r.schemaversion, r.compliancetype, r.patchgroup, r.patchbaselineid, r.status, r.overallseverity, r.executionid, r.executiontype, r.executiontime, r.compliantcriticalcount, r.complianthighcount, r.compliantmediumcount, r.compliantlowcount, r.compliantinformationalcount, r.compliantunspecifiedcount, r.noncompliantcriticalcount, r.noncomplianthighcount, r.noncompliantmediumcount, r.noncompliantlowcount, r.noncompliantinformationalcount, r.noncompliantunspecifiedcount) IS NOT NULL;

CREATE OR REPLACE VIEW aws_application AS
SELECT r.path_accountid AS accountid,
  r.path_region AS region,
  r.path_resourcetype AS resourcetype,
  r.path_node AS resourceid,
  try(from_iso8601_timestamp(regexp_replace(trim(r.capturetime), '^(\d{4}-\d{2}-\d{2}) ', '$1T')) AT TIME ZONE 'UTC') AS capturetime,
  r.schemaversion AS schemaversion,
  r.name AS name,
  r.applicationtype AS applicationtype,
  r.publisher AS publisher,
  r.version AS version,
  r.release AS release,
  r.epoch AS epoch,
  r.installedtime AS installedtime,
  r.architecture AS architecture,
  r.url AS url,
  r.summary AS summary,
  r.packageid AS packageid
FROM (
  SELECT t.*, regexp_extract("$path", '/(?:AWS|Custom):[^/]+/accountid=(\d{12})/region=([a-z]{2}(?:-[a-z]+)+-\d{1,2})/resourcetype=([A-Za-z][A-Za-z0-9]*)/([A-Za-z0-9_.-]+)\.json$', 1) AS path_accountid, regexp_extract("$path", '/(?:AWS|Custom):[^/]+/accountid=(\d{12})/region=([a-z]{2}(?:-[a-z]+)+-\d{1,2})/resourcetype=([A-Za-z][A-Za-z0-9]*)/([A-Za-z0-9_.-]+)\.json$', 2) AS path_region,
    regexp_extract("$path", '/(?:AWS|Custom):[^/]+/accountid=(\d{12})/region=([a-z]{2}(?:-[a-z]+)+-\d{1,2})/resourcetype=([A-Za-z][A-Za-z0-9]*)/([A-Za-z0-9_.-]+)\.json$', 3) AS path_resourcetype, regexp_extract("$path", '/(?:AWS|Custom):[^/]+/accountid=(\d{12})/region=([a-z]{2}(?:-[a-z]+)+-\d{1,2})/resourcetype=([A-Za-z][A-Za-z0-9]*)/([A-Za-z0-9_.-]+)\.json$', 4) AS path_node
  FROM aws_application_json t
) r
WHERE r.path_node IS NOT NULL AND r.path_node <> 'test' AND NOT starts_with(r.path_node, '.')
  AND (r.resourceid IS NULL OR r.resourceid = r.path_node)
  AND coalesce(r.resourceid, r.capturetime, r.schemaversion, r.name, r.applicationtype, r.publisher, r.version, r.release, r.epoch, r.installedtime, r.architecture, r.url, r.summary, r.packageid) IS NOT NULL;

CREATE OR REPLACE VIEW aws_awscomponent AS
SELECT r.path_accountid AS accountid,
  r.path_region AS region,
  r.path_resourcetype AS resourcetype,
  r.path_node AS resourceid,
  try(from_iso8601_timestamp(regexp_replace(trim(r.capturetime), '^(\d{4}-\d{2}-\d{2}) ', '$1T')) AT TIME ZONE 'UTC') AS capturetime,
  r.schemaversion AS schemaversion,
  r.name AS name,
  r.applicationtype AS applicationtype,
  r.publisher AS publisher,
  r.version AS version,
  r.installedtime AS installedtime,
  r.architecture AS architecture,
  r.url AS url
FROM (
  SELECT t.*, regexp_extract("$path", '/(?:AWS|Custom):[^/]+/accountid=(\d{12})/region=([a-z]{2}(?:-[a-z]+)+-\d{1,2})/resourcetype=([A-Za-z][A-Za-z0-9]*)/([A-Za-z0-9_.-]+)\.json$', 1) AS path_accountid, regexp_extract("$path", '/(?:AWS|Custom):[^/]+/accountid=(\d{12})/region=([a-z]{2}(?:-[a-z]+)+-\d{1,2})/resourcetype=([A-Za-z][A-Za-z0-9]*)/([A-Za-z0-9_.-]+)\.json$', 2) AS path_region,
    regexp_extract("$path", '/(?:AWS|Custom):[^/]+/accountid=(\d{12})/region=([a-z]{2}(?:-[a-z]+)+-\d{1,2})/resourcetype=([A-Za-z][A-Za-z0-9]*)/([A-Za-z0-9_.-]+)\.json$', 3) AS path_resourcetype, regexp_extract("$path", '/(?:AWS|Custom):[^/]+/accountid=(\d{12})/region=([a-z]{2}(?:-[a-z]+)+-\d{1,2})/resourcetype=([A-Za-z][A-Za-z0-9]*)/([A-Za-z0-9_.-]+)\.json$', 4) AS path_node
  FROM aws_awscomponent_json t
) r
WHERE r.path_node IS NOT NULL AND r.path_node <> 'test' AND NOT starts_with(r.path_node, '.')
  AND (r.resourceid IS NULL OR r.resourceid = r.path_node)
  AND coalesce(r.resourceid, r.capturetime, r.schemaversion, r.name, r.applicationtype, r.publisher, r.version, r.installedtime, r.architecture, r.url) IS NOT NULL;

CREATE OR REPLACE VIEW aws_instancedetailedinformation AS
SELECT r.path_accountid AS accountid,
  r.path_region AS region,
  r.path_resourcetype AS resourcetype,
  r.path_node AS resourceid,
  try(from_iso8601_timestamp(regexp_replace(trim(r.capturetime), '^(\d{4}-\d{2}-\d{2}) ', '$1T')) AT TIME ZONE 'UTC') AS capturetime,
  r.schemaversion AS schemaversion,
  r.cpumodel AS cpumodel,
  CASE WHEN regexp_like(trim(r.cpucores), '^-?\d{1,15}$') THEN CAST(trim(r.cpucores) AS bigint) END AS cpucores,
  CASE WHEN regexp_like(trim(r.cpus), '^-?\d{1,15}$') THEN CAST(trim(r.cpus) AS bigint) END AS cpus,
  CASE WHEN regexp_like(trim(r.cpuspeedmhz), '^-?\d{1,15}$') THEN CAST(trim(r.cpuspeedmhz) AS bigint) END AS cpuspeedmhz,
  CASE WHEN regexp_like(trim(r.cpusockets), '^-?\d{1,15}$') THEN CAST(trim(r.cpusockets) AS bigint) END AS cpusockets,
  r.cpuhyperthreadenabled AS cpuhyperthreadenabled,
  r.osservicepack AS osservicepack,
  r.kernelversion AS kernelversion
FROM (
  SELECT t.*, regexp_extract("$path", '/(?:AWS|Custom):[^/]+/accountid=(\d{12})/region=([a-z]{2}(?:-[a-z]+)+-\d{1,2})/resourcetype=([A-Za-z][A-Za-z0-9]*)/([A-Za-z0-9_.-]+)\.json$', 1) AS path_accountid, regexp_extract("$path", '/(?:AWS|Custom):[^/]+/accountid=(\d{12})/region=([a-z]{2}(?:-[a-z]+)+-\d{1,2})/resourcetype=([A-Za-z][A-Za-z0-9]*)/([A-Za-z0-9_.-]+)\.json$', 2) AS path_region,
    regexp_extract("$path", '/(?:AWS|Custom):[^/]+/accountid=(\d{12})/region=([a-z]{2}(?:-[a-z]+)+-\d{1,2})/resourcetype=([A-Za-z][A-Za-z0-9]*)/([A-Za-z0-9_.-]+)\.json$', 3) AS path_resourcetype, regexp_extract("$path", '/(?:AWS|Custom):[^/]+/accountid=(\d{12})/region=([a-z]{2}(?:-[a-z]+)+-\d{1,2})/resourcetype=([A-Za-z][A-Za-z0-9]*)/([A-Za-z0-9_.-]+)\.json$', 4) AS path_node
  FROM aws_instancedetailedinformation_json t
) r
WHERE r.path_node IS NOT NULL AND r.path_node <> 'test' AND NOT starts_with(r.path_node, '.')
  AND (r.resourceid IS NULL OR r.resourceid = r.path_node)
  AND coalesce(r.resourceid, r.capturetime, r.schemaversion, r.cpumodel, r.cpucores, r.cpus, r.cpuspeedmhz, r.cpusockets, r.cpuhyperthreadenabled, r.osservicepack, r.kernelversion) IS NOT NULL;

CREATE OR REPLACE VIEW aws_network AS
SELECT r.path_accountid AS accountid,
  r.path_region AS region,
  r.path_resourcetype AS resourcetype,
  r.path_node AS resourceid,
  try(from_iso8601_timestamp(regexp_replace(trim(r.capturetime), '^(\d{4}-\d{2}-\d{2}) ', '$1T')) AT TIME ZONE 'UTC') AS capturetime,
  r.schemaversion AS schemaversion,
  r.name AS name,
  r.subnetmask AS subnetmask,
  r.gateway AS gateway,
  r.dhcpserver AS dhcpserver,
  r.dnsserver AS dnsserver,
  r.macaddress AS macaddress,
  r.ipv4 AS ipv4,
  r.ipv6 AS ipv6
FROM (
  SELECT t.*, regexp_extract("$path", '/(?:AWS|Custom):[^/]+/accountid=(\d{12})/region=([a-z]{2}(?:-[a-z]+)+-\d{1,2})/resourcetype=([A-Za-z][A-Za-z0-9]*)/([A-Za-z0-9_.-]+)\.json$', 1) AS path_accountid, regexp_extract("$path", '/(?:AWS|Custom):[^/]+/accountid=(\d{12})/region=([a-z]{2}(?:-[a-z]+)+-\d{1,2})/resourcetype=([A-Za-z][A-Za-z0-9]*)/([A-Za-z0-9_.-]+)\.json$', 2) AS path_region,
    regexp_extract("$path", '/(?:AWS|Custom):[^/]+/accountid=(\d{12})/region=([a-z]{2}(?:-[a-z]+)+-\d{1,2})/resourcetype=([A-Za-z][A-Za-z0-9]*)/([A-Za-z0-9_.-]+)\.json$', 3) AS path_resourcetype, regexp_extract("$path", '/(?:AWS|Custom):[^/]+/accountid=(\d{12})/region=([a-z]{2}(?:-[a-z]+)+-\d{1,2})/resourcetype=([A-Za-z][A-Za-z0-9]*)/([A-Za-z0-9_.-]+)\.json$', 4) AS path_node
  FROM aws_network_json t
) r
WHERE r.path_node IS NOT NULL AND r.path_node <> 'test' AND NOT starts_with(r.path_node, '.')
  AND (r.resourceid IS NULL OR r.resourceid = r.path_node)
  AND coalesce(r.resourceid, r.capturetime, r.schemaversion, r.name, r.subnetmask, r.gateway, r.dhcpserver, r.dnsserver, r.macaddress, r.ipv4, r.ipv6) IS NOT NULL;

CREATE OR REPLACE VIEW custom_patchboardcatalogue AS
SELECT r.path_accountid AS accountid,
  r.path_region AS region,
  r.path_resourcetype AS resourcetype,
  r.path_node AS resourceid,
  try(from_iso8601_timestamp(regexp_replace(trim(r.capturetime), '^(\d{4}-\d{2}-\d{2}) ', '$1T')) AT TIME ZONE 'UTC') AS capturetime,
  r.schemaversion AS schemaversion,
  r.kbid AS kbid,
  r.id AS id,
  r.title AS title,
  r.product AS product,
  r.classification AS classification,
  r.severity AS severity,
  try(from_iso8601_timestamp(regexp_replace(trim(r.releasedate), '^(\d{4}-\d{2}-\d{2}) ', '$1T')) AT TIME ZONE 'UTC') AS releasedate,
  r.cveids AS cveids,
  r.advisoryids AS advisoryids,
  r.version AS version
FROM (
  SELECT t.*, regexp_extract("$path", '/(?:AWS|Custom):[^/]+/accountid=(\d{12})/region=([a-z]{2}(?:-[a-z]+)+-\d{1,2})/resourcetype=([A-Za-z][A-Za-z0-9]*)/([A-Za-z0-9_.-]+)\.json$', 1) AS path_accountid, regexp_extract("$path", '/(?:AWS|Custom):[^/]+/accountid=(\d{12})/region=([a-z]{2}(?:-[a-z]+)+-\d{1,2})/resourcetype=([A-Za-z][A-Za-z0-9]*)/([A-Za-z0-9_.-]+)\.json$', 2) AS path_region,
    regexp_extract("$path", '/(?:AWS|Custom):[^/]+/accountid=(\d{12})/region=([a-z]{2}(?:-[a-z]+)+-\d{1,2})/resourcetype=([A-Za-z][A-Za-z0-9]*)/([A-Za-z0-9_.-]+)\.json$', 3) AS path_resourcetype, regexp_extract("$path", '/(?:AWS|Custom):[^/]+/accountid=(\d{12})/region=([a-z]{2}(?:-[a-z]+)+-\d{1,2})/resourcetype=([A-Za-z][A-Za-z0-9]*)/([A-Za-z0-9_.-]+)\.json$', 4) AS path_node
  FROM custom_patchboardcatalogue_json t
) r
WHERE r.path_node IS NOT NULL AND r.path_node <> 'test' AND NOT starts_with(r.path_node, '.')
  AND (r.resourceid IS NULL OR r.resourceid = r.path_node)
  AND coalesce(r.resourceid, r.capturetime, r.schemaversion, r.kbid, r.id, r.title, r.product, r.classification, r.severity, r.releasedate, r.cveids, r.advisoryids, r.version) IS NOT NULL;

CREATE OR REPLACE VIEW custom_patchboardec2instance AS
SELECT * FROM (
SELECT r.path_accountid AS accountid,
  r.path_region AS region,
  r.path_resourcetype AS resourcetype,
  r.path_node AS resourceid,
  try(from_iso8601_timestamp(regexp_replace(trim(r.capturetime), '^(\d{4}-\d{2}-\d{2}) ', '$1T')) AT TIME ZONE 'UTC') AS capturetime,
  r.schemaversion AS schemaversion,
  r.instanceid AS instanceid,
  r.state AS state,
  try(from_iso8601_timestamp(regexp_replace(trim(r.launchtime), '^(\d{4}-\d{2}-\d{2}) ', '$1T')) AT TIME ZONE 'UTC') AS launchtime,
  r.platform AS platform,
  r.instancetype AS instancetype,
  r.imageid AS imageid,
  r.source AS source,
  upper(nullif(r.managedrulecompliance, '')) AS managedrulecompliance,
  upper(nullif(r.patchrulecompliance, '')) AS patchrulecompliance
FROM (
  SELECT t.*, regexp_extract("$path", '/(?:AWS|Custom):[^/]+/accountid=(\d{12})/region=([a-z]{2}(?:-[a-z]+)+-\d{1,2})/resourcetype=([A-Za-z][A-Za-z0-9]*)/([A-Za-z0-9_.-]+)\.json$', 1) AS path_accountid, regexp_extract("$path", '/(?:AWS|Custom):[^/]+/accountid=(\d{12})/region=([a-z]{2}(?:-[a-z]+)+-\d{1,2})/resourcetype=([A-Za-z][A-Za-z0-9]*)/([A-Za-z0-9_.-]+)\.json$', 2) AS path_region,
    regexp_extract("$path", '/(?:AWS|Custom):[^/]+/accountid=(\d{12})/region=([a-z]{2}(?:-[a-z]+)+-\d{1,2})/resourcetype=([A-Za-z][A-Za-z0-9]*)/([A-Za-z0-9_.-]+)\.json$', 3) AS path_resourcetype, regexp_extract("$path", '/(?:AWS|Custom):[^/]+/accountid=(\d{12})/region=([a-z]{2}(?:-[a-z]+)+-\d{1,2})/resourcetype=([A-Za-z][A-Za-z0-9]*)/([A-Za-z0-9_.-]+)\.json$', 4) AS path_node
  FROM custom_patchboardec2instance_json t
) r
WHERE r.path_node IS NOT NULL AND r.path_node <> 'test' AND NOT starts_with(r.path_node, '.')
  AND (r.resourceid IS NULL OR r.resourceid = r.path_node)
  AND coalesce(r.resourceid, r.capturetime, r.schemaversion, r.instanceid, r.state, r.launchtime, r.platform, r.instancetype, r.imageid, r.source, r.managedrulecompliance, r.patchrulecompliance) IS NOT NULL
)
UNION ALL
SELECT * FROM (
WITH config_snapshots AS (
  SELECT s.configurationitems AS items, s."$path" AS path, regexp_extract(s."$path", '/AWSLogs/(\d{12})/Config/([a-z]{2}(?:-[a-z]+)+-\d{1,2})/\d{4}/\d{1,2}/\d{1,2}/ConfigSnapshot/(\d{12})_Config_([a-z0-9-]+)_ConfigSnapshot_(\d{8}T\d{6}Z)_[A-Za-z0-9-]+\.json(?:\.gz)?$', 1) AS accountid, regexp_extract(s."$path", '/AWSLogs/(\d{12})/Config/([a-z]{2}(?:-[a-z]+)+-\d{1,2})/\d{4}/\d{1,2}/\d{1,2}/ConfigSnapshot/(\d{12})_Config_([a-z0-9-]+)_ConfigSnapshot_(\d{8}T\d{6}Z)_[A-Za-z0-9-]+\.json(?:\.gz)?$', 2) AS region,
    regexp_extract(s."$path", '/AWSLogs/(\d{12})/Config/([a-z]{2}(?:-[a-z]+)+-\d{1,2})/\d{4}/\d{1,2}/\d{1,2}/ConfigSnapshot/(\d{12})_Config_([a-z0-9-]+)_ConfigSnapshot_(\d{8}T\d{6}Z)_[A-Za-z0-9-]+\.json(?:\.gz)?$', 5) AS delivered_at
  FROM aws_config_snapshot_json s
  WHERE regexp_extract(s."$path", '/AWSLogs/(\d{12})/Config/([a-z]{2}(?:-[a-z]+)+-\d{1,2})/\d{4}/\d{1,2}/\d{1,2}/ConfigSnapshot/(\d{12})_Config_([a-z0-9-]+)_ConfigSnapshot_(\d{8}T\d{6}Z)_[A-Za-z0-9-]+\.json(?:\.gz)?$', 3) = regexp_extract(s."$path", '/AWSLogs/(\d{12})/Config/([a-z]{2}(?:-[a-z]+)+-\d{1,2})/\d{4}/\d{1,2}/\d{1,2}/ConfigSnapshot/(\d{12})_Config_([a-z0-9-]+)_ConfigSnapshot_(\d{8}T\d{6}Z)_[A-Za-z0-9-]+\.json(?:\.gz)?$', 1) AND regexp_extract(s."$path", '/AWSLogs/(\d{12})/Config/([a-z]{2}(?:-[a-z]+)+-\d{1,2})/\d{4}/\d{1,2}/\d{1,2}/ConfigSnapshot/(\d{12})_Config_([a-z0-9-]+)_ConfigSnapshot_(\d{8}T\d{6}Z)_[A-Za-z0-9-]+\.json(?:\.gz)?$', 4) = regexp_extract(s."$path", '/AWSLogs/(\d{12})/Config/([a-z]{2}(?:-[a-z]+)+-\d{1,2})/\d{4}/\d{1,2}/\d{1,2}/ConfigSnapshot/(\d{12})_Config_([a-z0-9-]+)_ConfigSnapshot_(\d{8}T\d{6}Z)_[A-Za-z0-9-]+\.json(?:\.gz)?$', 2)
),
config_newest AS (
  SELECT * FROM (
    SELECT c.*, row_number() OVER (PARTITION BY accountid, region ORDER BY delivered_at DESC, path DESC) AS rank
    FROM config_snapshots c WHERE c.delivered_at IS NOT NULL
  ) WHERE rank = 1
),
config_items AS (
  SELECT n.accountid, n.region, u.item, u.position
  FROM config_newest n CROSS JOIN UNNEST(n.items) WITH ORDINALITY AS u(item, position)
),
config_verdicts AS (
  SELECT i.accountid, i.region,
    coalesce(json_extract_scalar(i.item.configuration, '$.targetResourceId'), json_extract_scalar(i.item.configuration, '$.targetresourceid')) AS instance_id,
    upper(max(coalesce(json_extract_scalar(regexp_extract(i.item.configuration, '(?i)\{[^{}]*ec2-instance-managed-by-systems-manager[^{}]*\}', 0), '$.complianceType'), json_extract_scalar(regexp_extract(i.item.configuration, '(?i)\{[^{}]*ec2-instance-managed-by-systems-manager[^{}]*\}', 0), '$.compliancetype')))) AS managed,
    upper(max(coalesce(json_extract_scalar(regexp_extract(i.item.configuration, '(?i)\{[^{}]*ec2-managedinstance-patch-compliance-status-check[^{}]*\}', 0), '$.complianceType'), json_extract_scalar(regexp_extract(i.item.configuration, '(?i)\{[^{}]*ec2-managedinstance-patch-compliance-status-check[^{}]*\}', 0), '$.compliancetype')))) AS patch
  FROM config_items i
  WHERE i.item.resourcetype = 'AWS::Config::ResourceCompliance'
  GROUP BY 1, 2, 3
),
config_instances AS (
  SELECT * FROM (
    SELECT i.accountid, i.region, i.item, row_number() OVER (
      PARTITION BY i.accountid, i.region, i.item.resourceid ORDER BY i.position) AS repeat
    FROM config_items i
    WHERE i.item.resourcetype = 'AWS::EC2::Instance' AND regexp_like(i.item.resourceid, '^i-[0-9a-f]{8,32}$')
      AND i.item.awsaccountid = i.accountid AND i.item.awsregion = i.region
      AND try(from_iso8601_timestamp(i.item.configurationitemcapturetime)) IS NOT NULL
  ) WHERE repeat = 1
)
SELECT i.accountid, i.region, CAST('EC2Instance' AS varchar) AS resourcetype, i.item.resourceid AS resourceid,
  try(from_iso8601_timestamp(i.item.configurationitemcapturetime) AT TIME ZONE 'UTC') AS capturetime, CAST('1.0' AS varchar) AS schemaversion,
  i.item.resourceid AS instanceid, coalesce(json_extract_scalar(i.item.configuration, '$.state.name'), json_extract_scalar(i.item.configuration, '$.state.name')) AS state,
  try(from_iso8601_timestamp(coalesce(json_extract_scalar(i.item.configuration, '$.launchTime'), json_extract_scalar(i.item.configuration, '$.launchtime'))) AT TIME ZONE 'UTC') AS launchtime,
  coalesce(coalesce(json_extract_scalar(i.item.configuration, '$.platformDetails'), json_extract_scalar(i.item.configuration, '$.platformdetails')), coalesce(json_extract_scalar(i.item.configuration, '$.platform'), json_extract_scalar(i.item.configuration, '$.platform'))) AS platform,
  coalesce(json_extract_scalar(i.item.configuration, '$.instanceType'), json_extract_scalar(i.item.configuration, '$.instancetype')) AS instancetype, coalesce(json_extract_scalar(i.item.configuration, '$.imageId'), json_extract_scalar(i.item.configuration, '$.imageid')) AS imageid,
  CAST('config' AS varchar) AS source, v.managed AS managedrulecompliance, v.patch AS patchrulecompliance
FROM config_instances i
LEFT JOIN config_verdicts v ON v.accountid = i.accountid AND v.region = i.region
  AND v.instance_id = i.item.resourceid
);

CREATE OR REPLACE VIEW custom_patchboardec2tag AS
SELECT * FROM (
SELECT r.path_accountid AS accountid,
  r.path_region AS region,
  r.path_resourcetype AS resourcetype,
  r.path_node AS resourceid,
  try(from_iso8601_timestamp(regexp_replace(trim(r.capturetime), '^(\d{4}-\d{2}-\d{2}) ', '$1T')) AT TIME ZONE 'UTC') AS capturetime,
  r.schemaversion AS schemaversion,
  r.key AS key,
  r.value AS value
FROM (
  SELECT t.*, regexp_extract("$path", '/(?:AWS|Custom):[^/]+/accountid=(\d{12})/region=([a-z]{2}(?:-[a-z]+)+-\d{1,2})/resourcetype=([A-Za-z][A-Za-z0-9]*)/([A-Za-z0-9_.-]+)\.json$', 1) AS path_accountid, regexp_extract("$path", '/(?:AWS|Custom):[^/]+/accountid=(\d{12})/region=([a-z]{2}(?:-[a-z]+)+-\d{1,2})/resourcetype=([A-Za-z][A-Za-z0-9]*)/([A-Za-z0-9_.-]+)\.json$', 2) AS path_region,
    regexp_extract("$path", '/(?:AWS|Custom):[^/]+/accountid=(\d{12})/region=([a-z]{2}(?:-[a-z]+)+-\d{1,2})/resourcetype=([A-Za-z][A-Za-z0-9]*)/([A-Za-z0-9_.-]+)\.json$', 3) AS path_resourcetype, regexp_extract("$path", '/(?:AWS|Custom):[^/]+/accountid=(\d{12})/region=([a-z]{2}(?:-[a-z]+)+-\d{1,2})/resourcetype=([A-Za-z][A-Za-z0-9]*)/([A-Za-z0-9_.-]+)\.json$', 4) AS path_node
  FROM custom_patchboardec2tag_json t
) r
WHERE r.path_node IS NOT NULL AND r.path_node <> 'test' AND NOT starts_with(r.path_node, '.')
  AND (r.resourceid IS NULL OR r.resourceid = r.path_node)
  AND coalesce(r.resourceid, r.capturetime, r.schemaversion, r.key, r.value) IS NOT NULL
)
UNION ALL
SELECT * FROM (
WITH config_snapshots AS (
  SELECT s.configurationitems AS items, s."$path" AS path, regexp_extract(s."$path", '/AWSLogs/(\d{12})/Config/([a-z]{2}(?:-[a-z]+)+-\d{1,2})/\d{4}/\d{1,2}/\d{1,2}/ConfigSnapshot/(\d{12})_Config_([a-z0-9-]+)_ConfigSnapshot_(\d{8}T\d{6}Z)_[A-Za-z0-9-]+\.json(?:\.gz)?$', 1) AS accountid, regexp_extract(s."$path", '/AWSLogs/(\d{12})/Config/([a-z]{2}(?:-[a-z]+)+-\d{1,2})/\d{4}/\d{1,2}/\d{1,2}/ConfigSnapshot/(\d{12})_Config_([a-z0-9-]+)_ConfigSnapshot_(\d{8}T\d{6}Z)_[A-Za-z0-9-]+\.json(?:\.gz)?$', 2) AS region,
    regexp_extract(s."$path", '/AWSLogs/(\d{12})/Config/([a-z]{2}(?:-[a-z]+)+-\d{1,2})/\d{4}/\d{1,2}/\d{1,2}/ConfigSnapshot/(\d{12})_Config_([a-z0-9-]+)_ConfigSnapshot_(\d{8}T\d{6}Z)_[A-Za-z0-9-]+\.json(?:\.gz)?$', 5) AS delivered_at
  FROM aws_config_snapshot_json s
  WHERE regexp_extract(s."$path", '/AWSLogs/(\d{12})/Config/([a-z]{2}(?:-[a-z]+)+-\d{1,2})/\d{4}/\d{1,2}/\d{1,2}/ConfigSnapshot/(\d{12})_Config_([a-z0-9-]+)_ConfigSnapshot_(\d{8}T\d{6}Z)_[A-Za-z0-9-]+\.json(?:\.gz)?$', 3) = regexp_extract(s."$path", '/AWSLogs/(\d{12})/Config/([a-z]{2}(?:-[a-z]+)+-\d{1,2})/\d{4}/\d{1,2}/\d{1,2}/ConfigSnapshot/(\d{12})_Config_([a-z0-9-]+)_ConfigSnapshot_(\d{8}T\d{6}Z)_[A-Za-z0-9-]+\.json(?:\.gz)?$', 1) AND regexp_extract(s."$path", '/AWSLogs/(\d{12})/Config/([a-z]{2}(?:-[a-z]+)+-\d{1,2})/\d{4}/\d{1,2}/\d{1,2}/ConfigSnapshot/(\d{12})_Config_([a-z0-9-]+)_ConfigSnapshot_(\d{8}T\d{6}Z)_[A-Za-z0-9-]+\.json(?:\.gz)?$', 4) = regexp_extract(s."$path", '/AWSLogs/(\d{12})/Config/([a-z]{2}(?:-[a-z]+)+-\d{1,2})/\d{4}/\d{1,2}/\d{1,2}/ConfigSnapshot/(\d{12})_Config_([a-z0-9-]+)_ConfigSnapshot_(\d{8}T\d{6}Z)_[A-Za-z0-9-]+\.json(?:\.gz)?$', 2)
),
config_newest AS (
  SELECT * FROM (
    SELECT c.*, row_number() OVER (PARTITION BY accountid, region ORDER BY delivered_at DESC, path DESC) AS rank
    FROM config_snapshots c WHERE c.delivered_at IS NOT NULL
  ) WHERE rank = 1
),
config_items AS (
  SELECT n.accountid, n.region, u.item, u.position
  FROM config_newest n CROSS JOIN UNNEST(n.items) WITH ORDINALITY AS u(item, position)
),
config_verdicts AS (
  SELECT i.accountid, i.region,
    coalesce(json_extract_scalar(i.item.configuration, '$.targetResourceId'), json_extract_scalar(i.item.configuration, '$.targetresourceid')) AS instance_id,
    upper(max(coalesce(json_extract_scalar(regexp_extract(i.item.configuration, '(?i)\{[^{}]*ec2-instance-managed-by-systems-manager[^{}]*\}', 0), '$.complianceType'), json_extract_scalar(regexp_extract(i.item.configuration, '(?i)\{[^{}]*ec2-instance-managed-by-systems-manager[^{}]*\}', 0), '$.compliancetype')))) AS managed,
    upper(max(coalesce(json_extract_scalar(regexp_extract(i.item.configuration, '(?i)\{[^{}]*ec2-managedinstance-patch-compliance-status-check[^{}]*\}', 0), '$.complianceType'), json_extract_scalar(regexp_extract(i.item.configuration, '(?i)\{[^{}]*ec2-managedinstance-patch-compliance-status-check[^{}]*\}', 0), '$.compliancetype')))) AS patch
  FROM config_items i
  WHERE i.item.resourcetype = 'AWS::Config::ResourceCompliance'
  GROUP BY 1, 2, 3
),
config_instances AS (
  SELECT * FROM (
    SELECT i.accountid, i.region, i.item, row_number() OVER (
      PARTITION BY i.accountid, i.region, i.item.resourceid ORDER BY i.position) AS repeat
    FROM config_items i
    WHERE i.item.resourcetype = 'AWS::EC2::Instance' AND regexp_like(i.item.resourceid, '^i-[0-9a-f]{8,32}$')
      AND i.item.awsaccountid = i.accountid AND i.item.awsregion = i.region
      AND try(from_iso8601_timestamp(i.item.configurationitemcapturetime)) IS NOT NULL
  ) WHERE repeat = 1
)
SELECT i.accountid, i.region, CAST('EC2Instance' AS varchar) AS resourcetype, i.item.resourceid AS resourceid,
  try(from_iso8601_timestamp(i.item.configurationitemcapturetime) AT TIME ZONE 'UTC') AS capturetime, CAST('1.0' AS varchar) AS schemaversion,
  element_at(t.tag, 'key') AS key, element_at(t.tag, 'value') AS value
FROM config_instances i
CROSS JOIN UNNEST(CAST(json_extract(i.item.configuration, '$.tags') AS array(map(varchar, varchar)))) AS t(tag)
);

CREATE OR REPLACE VIEW aws_instanceinformation_history AS
SELECT accountid, region, resourcetype, resourceid, capturetime, schemaversion, agenttype, agentversion, computername, instanceid, ipaddress, platformname, platformtype, platformversion, instanceresourcetype, agentstatus, instancestatus, iamrole,
  valid_from, CAST(NULL AS timestamp(3) with time zone) AS valid_to, CAST(NULL AS timestamp(3) with time zone) AS last_seen
FROM (
  SELECT c.*, max(c.capturetime) OVER (PARTITION BY accountid, region, resourcetype, resourceid) AS valid_from,
    row_number() OVER (PARTITION BY accountid, region, resourcetype, resourceid, schemaversion, agenttype, agentversion, computername, instanceid, ipaddress, platformname, platformtype, platformversion, instanceresourcetype, agentstatus, instancestatus, iamrole ORDER BY c.capturetime) AS row_in_state
  FROM aws_instanceinformation c
) h
WHERE row_in_state = 1;

CREATE OR REPLACE VIEW aws_tag_history AS
SELECT accountid, region, resourcetype, resourceid, capturetime, schemaversion, key, value,
  valid_from, CAST(NULL AS timestamp(3) with time zone) AS valid_to, CAST(NULL AS timestamp(3) with time zone) AS last_seen
FROM (
  SELECT c.*, max(c.capturetime) OVER (PARTITION BY accountid, region, resourcetype, resourceid) AS valid_from,
    row_number() OVER (PARTITION BY accountid, region, resourcetype, resourceid, schemaversion, key, value ORDER BY c.capturetime) AS row_in_state
  FROM aws_tag c
) h
WHERE row_in_state = 1;

CREATE OR REPLACE VIEW aws_patchsummary_history AS
SELECT accountid, region, resourcetype, resourceid, capturetime, schemaversion, patchgroup, baselineid, CAST(NULL AS varchar) AS snapshotid, CAST(NULL AS varchar) AS executionid, ownerinformation, installedcount, installedothercount, installedpendingrebootcount, installedrejectedcount, notapplicablecount, unreportednotapplicablecount, missingcount, failedcount, criticalnoncompliantcount, securitynoncompliantcount, othernoncompliantcount, availablesecurityupdatecount, noncompliantseverity, operationtype, operationstarttime, operationendtime, installoverridelist, rebootoption, lastnorebootinstalloperationtime,
  valid_from, CAST(NULL AS timestamp(3) with time zone) AS valid_to, CAST(NULL AS timestamp(3) with time zone) AS last_seen
FROM (
  SELECT c.*, max(c.capturetime) OVER (PARTITION BY accountid, region, resourcetype, resourceid) AS valid_from,
    row_number() OVER (PARTITION BY accountid, region, resourcetype, resourceid, schemaversion, patchgroup, baselineid, ownerinformation, installedcount, installedothercount, installedpendingrebootcount, installedrejectedcount, notapplicablecount, unreportednotapplicablecount, missingcount, failedcount, criticalnoncompliantcount, securitynoncompliantcount, othernoncompliantcount, availablesecurityupdatecount, noncompliantseverity, installoverridelist, rebootoption, lastnorebootinstalloperationtime ORDER BY c.capturetime) AS row_in_state
  FROM aws_patchsummary c
) h
WHERE row_in_state = 1;

CREATE OR REPLACE VIEW aws_complianceitem_history AS
SELECT accountid, region, resourcetype, resourceid, capturetime, schemaversion, compliancetype, CAST(NULL AS varchar) AS executionid, executiontype, executiontime, id, title, status, severity, documentname, documentversion, classification, patchbaselineid, patchseverity, patchstate, patchgroup, installedtime, installoverridelist, cveids, detailedtext, detailedlink,
  valid_from, CAST(NULL AS timestamp(3) with time zone) AS valid_to, CAST(NULL AS timestamp(3) with time zone) AS last_seen
FROM (
  SELECT c.*, max(c.capturetime) OVER (PARTITION BY accountid, region, resourcetype, resourceid) AS valid_from,
    row_number() OVER (PARTITION BY accountid, region, resourcetype, resourceid, schemaversion, compliancetype, id, title, status, severity, documentname, documentversion, classification, patchbaselineid, patchseverity, patchstate, patchgroup, installedtime, installoverridelist, cveids, detailedtext, detailedlink ORDER BY c.capturetime) AS row_in_state
  FROM aws_complianceitem c
) h
WHERE row_in_state = 1;

CREATE OR REPLACE VIEW aws_compliancesummary_history AS
SELECT accountid, region, resourcetype, resourceid, capturetime, schemaversion, compliancetype, patchgroup, patchbaselineid, status, overallseverity, CAST(NULL AS varchar) AS executionid, executiontype, executiontime, compliantcriticalcount, complianthighcount, compliantmediumcount, compliantlowcount, compliantinformationalcount, compliantunspecifiedcount, noncompliantcriticalcount, noncomplianthighcount, noncompliantmediumcount, noncompliantlowcount, noncompliantinformationalcount, noncompliantunspecifiedcount,
  valid_from, CAST(NULL AS timestamp(3) with time zone) AS valid_to, CAST(NULL AS timestamp(3) with time zone) AS last_seen
FROM (
  SELECT c.*, max(c.capturetime) OVER (PARTITION BY accountid, region, resourcetype, resourceid) AS valid_from,
    row_number() OVER (PARTITION BY accountid, region, resourcetype, resourceid, schemaversion, compliancetype, patchgroup, patchbaselineid, status, overallseverity, compliantcriticalcount, complianthighcount, compliantmediumcount, compliantlowcount, compliantinformationalcount, compliantunspecifiedcount, noncompliantcriticalcount, noncomplianthighcount, noncompliantmediumcount, noncompliantlowcount, noncompliantinformationalcount, noncompliantunspecifiedcount ORDER BY c.capturetime) AS row_in_state
  FROM aws_compliancesummary c
) h
WHERE row_in_state = 1;

CREATE OR REPLACE VIEW aws_application_history AS
SELECT accountid, region, resourcetype, resourceid, capturetime, schemaversion, name, applicationtype, publisher, version, release, epoch, installedtime, architecture, url, summary, packageid,
  valid_from, CAST(NULL AS timestamp(3) with time zone) AS valid_to, CAST(NULL AS timestamp(3) with time zone) AS last_seen
FROM (
  SELECT c.*, max(c.capturetime) OVER (PARTITION BY accountid, region, resourcetype, resourceid) AS valid_from,
    row_number() OVER (PARTITION BY accountid, region, resourcetype, resourceid, schemaversion, name, applicationtype, publisher, version, release, epoch, installedtime, architecture, url, summary, packageid ORDER BY c.capturetime) AS row_in_state
  FROM aws_application c
) h
WHERE row_in_state = 1;

CREATE OR REPLACE VIEW aws_awscomponent_history AS
SELECT accountid, region, resourcetype, resourceid, capturetime, schemaversion, name, applicationtype, publisher, version, installedtime, architecture, url,
  valid_from, CAST(NULL AS timestamp(3) with time zone) AS valid_to, CAST(NULL AS timestamp(3) with time zone) AS last_seen
FROM (
  SELECT c.*, max(c.capturetime) OVER (PARTITION BY accountid, region, resourcetype, resourceid) AS valid_from,
    row_number() OVER (PARTITION BY accountid, region, resourcetype, resourceid, schemaversion, name, applicationtype, publisher, version, installedtime, architecture, url ORDER BY c.capturetime) AS row_in_state
  FROM aws_awscomponent c
) h
WHERE row_in_state = 1;

CREATE OR REPLACE VIEW aws_instancedetailedinformation_history AS
SELECT accountid, region, resourcetype, resourceid, capturetime, schemaversion, cpumodel, cpucores, cpus, cpuspeedmhz, cpusockets, cpuhyperthreadenabled, osservicepack, kernelversion,
  valid_from, CAST(NULL AS timestamp(3) with time zone) AS valid_to, CAST(NULL AS timestamp(3) with time zone) AS last_seen
FROM (
  SELECT c.*, max(c.capturetime) OVER (PARTITION BY accountid, region, resourcetype, resourceid) AS valid_from,
    row_number() OVER (PARTITION BY accountid, region, resourcetype, resourceid, schemaversion, cpumodel, cpucores, cpus, cpuspeedmhz, cpusockets, cpuhyperthreadenabled, osservicepack, kernelversion ORDER BY c.capturetime) AS row_in_state
  FROM aws_instancedetailedinformation c
) h
WHERE row_in_state = 1;

CREATE OR REPLACE VIEW aws_network_history AS
SELECT accountid, region, resourcetype, resourceid, capturetime, schemaversion, name, subnetmask, gateway, dhcpserver, dnsserver, macaddress, ipv4, ipv6,
  valid_from, CAST(NULL AS timestamp(3) with time zone) AS valid_to, CAST(NULL AS timestamp(3) with time zone) AS last_seen
FROM (
  SELECT c.*, max(c.capturetime) OVER (PARTITION BY accountid, region, resourcetype, resourceid) AS valid_from,
    row_number() OVER (PARTITION BY accountid, region, resourcetype, resourceid, schemaversion, name, subnetmask, gateway, dhcpserver, dnsserver, macaddress, ipv4, ipv6 ORDER BY c.capturetime) AS row_in_state
  FROM aws_network c
) h
WHERE row_in_state = 1;

CREATE OR REPLACE VIEW custom_patchboardcatalogue_history AS
SELECT accountid, region, resourcetype, resourceid, capturetime, schemaversion, kbid, id, title, product, classification, severity, releasedate, cveids, advisoryids, version,
  valid_from, CAST(NULL AS timestamp(3) with time zone) AS valid_to, CAST(NULL AS timestamp(3) with time zone) AS last_seen
FROM (
  SELECT c.*, max(c.capturetime) OVER (PARTITION BY accountid, region, resourcetype, resourceid) AS valid_from,
    row_number() OVER (PARTITION BY accountid, region, resourcetype, resourceid, schemaversion, kbid, id, title, product, classification, severity, releasedate, cveids, advisoryids, version ORDER BY c.capturetime) AS row_in_state
  FROM custom_patchboardcatalogue c
) h
WHERE row_in_state = 1;

CREATE OR REPLACE VIEW custom_patchboardec2instance_history AS
SELECT accountid, region, resourcetype, resourceid, capturetime, schemaversion, instanceid, state, launchtime, platform, instancetype, imageid, source, managedrulecompliance, patchrulecompliance,
  valid_from, CAST(NULL AS timestamp(3) with time zone) AS valid_to, CAST(NULL AS timestamp(3) with time zone) AS last_seen
FROM (
  SELECT c.*, max(c.capturetime) OVER (PARTITION BY accountid, region, resourcetype, resourceid) AS valid_from,
    row_number() OVER (PARTITION BY accountid, region, resourcetype, resourceid, schemaversion, instanceid, state, launchtime, platform, instancetype, imageid, source, managedrulecompliance, patchrulecompliance ORDER BY c.capturetime) AS row_in_state
  FROM custom_patchboardec2instance c
) h
WHERE row_in_state = 1;

CREATE OR REPLACE VIEW custom_patchboardec2tag_history AS
SELECT accountid, region, resourcetype, resourceid, capturetime, schemaversion, key, value,
  valid_from, CAST(NULL AS timestamp(3) with time zone) AS valid_to, CAST(NULL AS timestamp(3) with time zone) AS last_seen
FROM (
  SELECT c.*, max(c.capturetime) OVER (PARTITION BY accountid, region, resourcetype, resourceid) AS valid_from,
    row_number() OVER (PARTITION BY accountid, region, resourcetype, resourceid, schemaversion, key, value ORDER BY c.capturetime) AS row_in_state
  FROM custom_patchboardec2tag c
) h
WHERE row_in_state = 1;

CREATE OR REPLACE VIEW history_observations AS
SELECT CAST('AWS:InstanceInformation' AS varchar) AS type_name, accountid, region, resourcetype, resourceid,
  max(capturetime) AS first_observed_at, max(capturetime) AS last_observed_at, CAST(NULL AS timestamp(3) with time zone) AS gone_at
FROM aws_instanceinformation GROUP BY accountid, region, resourcetype, resourceid
UNION ALL
SELECT CAST('AWS:Tag' AS varchar) AS type_name, accountid, region, resourcetype, resourceid,
  max(capturetime) AS first_observed_at, max(capturetime) AS last_observed_at, CAST(NULL AS timestamp(3) with time zone) AS gone_at
FROM aws_tag GROUP BY accountid, region, resourcetype, resourceid
UNION ALL
SELECT CAST('AWS:PatchSummary' AS varchar) AS type_name, accountid, region, resourcetype, resourceid,
  max(capturetime) AS first_observed_at, max(capturetime) AS last_observed_at, CAST(NULL AS timestamp(3) with time zone) AS gone_at
FROM aws_patchsummary GROUP BY accountid, region, resourcetype, resourceid
UNION ALL
SELECT CAST('AWS:ComplianceItem' AS varchar) AS type_name, accountid, region, resourcetype, resourceid,
  max(capturetime) AS first_observed_at, max(capturetime) AS last_observed_at, CAST(NULL AS timestamp(3) with time zone) AS gone_at
FROM aws_complianceitem GROUP BY accountid, region, resourcetype, resourceid
UNION ALL
SELECT CAST('AWS:ComplianceSummary' AS varchar) AS type_name, accountid, region, resourcetype, resourceid,
  max(capturetime) AS first_observed_at, max(capturetime) AS last_observed_at, CAST(NULL AS timestamp(3) with time zone) AS gone_at
FROM aws_compliancesummary GROUP BY accountid, region, resourcetype, resourceid
UNION ALL
SELECT CAST('AWS:Application' AS varchar) AS type_name, accountid, region, resourcetype, resourceid,
  max(capturetime) AS first_observed_at, max(capturetime) AS last_observed_at, CAST(NULL AS timestamp(3) with time zone) AS gone_at
FROM aws_application GROUP BY accountid, region, resourcetype, resourceid
UNION ALL
SELECT CAST('AWS:AWSComponent' AS varchar) AS type_name, accountid, region, resourcetype, resourceid,
  max(capturetime) AS first_observed_at, max(capturetime) AS last_observed_at, CAST(NULL AS timestamp(3) with time zone) AS gone_at
FROM aws_awscomponent GROUP BY accountid, region, resourcetype, resourceid
UNION ALL
SELECT CAST('AWS:InstanceDetailedInformation' AS varchar) AS type_name, accountid, region, resourcetype, resourceid,
  max(capturetime) AS first_observed_at, max(capturetime) AS last_observed_at, CAST(NULL AS timestamp(3) with time zone) AS gone_at
FROM aws_instancedetailedinformation GROUP BY accountid, region, resourcetype, resourceid
UNION ALL
SELECT CAST('AWS:Network' AS varchar) AS type_name, accountid, region, resourcetype, resourceid,
  max(capturetime) AS first_observed_at, max(capturetime) AS last_observed_at, CAST(NULL AS timestamp(3) with time zone) AS gone_at
FROM aws_network GROUP BY accountid, region, resourcetype, resourceid
UNION ALL
SELECT CAST('Custom:PatchboardCatalogue' AS varchar) AS type_name, accountid, region, resourcetype, resourceid,
  max(capturetime) AS first_observed_at, max(capturetime) AS last_observed_at, CAST(NULL AS timestamp(3) with time zone) AS gone_at
FROM custom_patchboardcatalogue GROUP BY accountid, region, resourcetype, resourceid
UNION ALL
SELECT CAST('Custom:PatchboardEc2Instance' AS varchar) AS type_name, accountid, region, resourcetype, resourceid,
  max(capturetime) AS first_observed_at, max(capturetime) AS last_observed_at, CAST(NULL AS timestamp(3) with time zone) AS gone_at
FROM custom_patchboardec2instance GROUP BY accountid, region, resourcetype, resourceid
UNION ALL
SELECT CAST('Custom:PatchboardEc2Tag' AS varchar) AS type_name, accountid, region, resourcetype, resourceid,
  max(capturetime) AS first_observed_at, max(capturetime) AS last_observed_at, CAST(NULL AS timestamp(3) with time zone) AS gone_at
FROM custom_patchboardec2tag GROUP BY accountid, region, resourcetype, resourceid;

CREATE OR REPLACE VIEW history_scans AS
SELECT DISTINCT accountid, region, resourcetype, resourceid, operationendtime AS scan_time
FROM aws_patchsummary WHERE operationendtime IS NOT NULL;

CREATE OR REPLACE VIEW history_reports AS
SELECT DISTINCT accountid, region, resourcetype, resourceid, capturetime AS report_time
FROM aws_instanceinformation WHERE capturetime IS NOT NULL;
