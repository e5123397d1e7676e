CREATE OR REPLACE VIEW aws_instanceinformation AS
SELECT r.path_accountid AS accountid,
  r.path_region AS region,
  r.resourcetype,
  r.resourceid,
  with_timezone(r.capturetime, 'UTC') AS capturetime,
  r.schemaversion,
  r.agenttype,
  r.agentversion,
  r.computername,
  r.instanceid,
  r.ipaddress,
  r.platformname,
  r.platformtype,
  r.platformversion,
  r.instanceresourcetype,
  r.agentstatus,
  r.instancestatus,
  r.iamrole
FROM (SELECT t.*, regexp_extract("$path", '/accountid=([^/]+)/region=([^/]+)/[^/]+\.parquet$', 1) AS path_accountid, regexp_extract("$path", '/accountid=([^/]+)/region=([^/]+)/[^/]+\.parquet$', 2) AS path_region FROM aws_instanceinformation_parquet t) r
WHERE r.path_accountid IS NOT NULL;

CREATE OR REPLACE VIEW aws_tag AS
SELECT r.path_accountid AS accountid,
  r.path_region AS region,
  r.resourcetype,
  r.resourceid,
  with_timezone(r.capturetime, 'UTC') AS capturetime,
  r.schemaversion,
  r.key,
  r.value
FROM (SELECT t.*, regexp_extract("$path", '/accountid=([^/]+)/region=([^/]+)/[^/]+\.parquet$', 1) AS path_accountid, regexp_extract("$path", '/accountid=([^/]+)/region=([^/]+)/[^/]+\.parquet$', 2) AS path_region FROM aws_tag_parquet t) r
WHERE r.path_accountid IS NOT NULL;

CREATE OR REPLACE VIEW aws_patchsummary AS
SELECT r.path_accountid AS accountid,
  r.path_region AS region,
  r.resourcetype,
  r.resourceid,
  with_timezone(r.capturetime, 'UTC') AS capturetime,
  r.schemaversion,
  r.patchgroup,
  r.baselineid,
  r.snapshotid,
  r.executionid,
  r.ownerinformation,
  r.installedcount,
  r.installedothercount,
  r.installedpendingrebootcount,
  r.installedrejectedcount,
  r.notapplicablecount,
  r.unreportednotapplicablecount,
  r.missingcount,
  r.failedcount,
  r.criticalnoncompliantcount,
  r.securitynoncompliantcount,
  r.othernoncompliantcount,
  r.availablesecurityupdatecount,
  r.noncompliantseverity,
  r.operationtype,
  with_timezone(r.operationstarttime, 'UTC') AS operationstarttime,
  with_timezone(r.operationendtime, 'UTC') AS operationendtime,
  r.installoverridelist,
  r.rebootoption,
  with_timezone(r.lastnorebootinstalloperationtime, 'UTC') AS lastnorebootinstalloperationtime
FROM (SELECT t.*, regexp_extract("$path", '/accountid=([^/]+)/region=([^/]+)/[^/]+\.parquet$', 1) AS path_accountid, regexp_extract("$path", '/accountid=([^/]+)/region=([^/]+)/[^/]+\.parquet$', 2) AS path_region FROM aws_patchsummary_parquet t) r
WHERE r.path_accountid IS NOT NULL;

CREATE OR REPLACE VIEW aws_complianceitem AS
SELECT r.path_accountid AS accountid,
  r.path_region AS region,
  r.resourcetype,
  r.resourceid,
  with_timezone(r.capturetime, 'UTC') AS capturetime,
  r.schemaversion,
  r.compliancetype,
  r.executionid,
  r.executiontype,
  with_timezone(r.executiontime, 'UTC') AS executiontime,
  r.id,
  r.title,
  r.status,
  r.severity,
  r.documentname,
  r.documentversion,
  r.classification,
  r.patchbaselineid,
  r.patchseverity,
  r.patchstate,
  r.patchgroup,
  with_timezone(r.installedtime, 'UTC') AS installedtime,
  r.installoverridelist,
  r.cveids,
  r.detailedtext,
  r.detailedlink
FROM (SELECT t.*, regexp_extract("$path", '/accountid=([^/]+)/region=([^/]+)/[^/]+\.parquet$', 1) AS path_accountid, regexp_extract("$path", '/accountid=([^/]+)/region=([^/]+)/[^/]+\.parquet$', 2) AS path_region FROM aws_complianceitem_parquet t) r
WHERE r.path_accountid IS NOT NULL;

CREATE OR REPLACE VIEW aws_compliancesummary AS
SELECT r.path_accountid AS accountid,
  r.path_region AS region,
  r.resourcetype,
  r.resourceid,
  with_timezone(r.capturetime, 'UTC') AS capturetime,
  r.schemaversion,
  r.compliancetype,
  r.patchgroup,
  r.patchbaselineid,
  r.status,
  r.overallseverity,
  r.executionid,
  r.executiontype,
  with_timezone(r.executiontime, 'UTC') AS executiontime,
  r.compliantcriticalcount,
  r.complianthighcount,
  r.compliantmediumcount,
  r.compliantlowcount,
  r.compliantinformationalcount,
  r.compliantunspecifiedcount,
  r.noncompliantcriticalcount,
  r.noncomplianthighcount,
  r.noncompliantmediumcount,
  r.noncompliantlowcount,
  r.noncompliantinformationalcount,
  r.noncompliantunspecifiedcount
FROM (SELECT t.*, regexp_extract("$path", '/accountid=([^/]+)/region=([^/]+)/[^/]+\.parquet$', 1) AS path_accountid, regexp_extract("$path", '/accountid=([^/]+)/region=([^/]+)/[^/]+\.parquet$', 2) AS path_region FROM aws_compliancesummary_parquet t) r
WHERE r.path_accountid IS NOT NULL;

CREATE OR REPLACE VIEW aws_application AS
SELECT r.path_accountid AS accountid,
  r.path_region AS region,
  r.resourcetype,
  r.resourceid,
  with_timezone(r.capturetime, 'UTC') AS capturetime,
  r.schemaversion,
  r.name,
  r.applicationtype,
  r.publisher,
  r.version,
  r.release,
  r.epoch,
  r.installedtime,
  r.architecture,
  r.url,
  r.summary,
  r.packageid
FROM (SELECT t.*, regexp_extract("$path", '/accountid=([^/]+)/region=([^/]+)/[^/]+\.parquet$', 1) AS path_accountid, regexp_extract("$path", '/accountid=([^/]+)/region=([^/]+)/[^/]+\.parquet$', 2) AS path_region FROM aws_application_parquet t) r
WHERE r.path_accountid IS NOT NULL;

CREATE OR REPLACE VIEW aws_awscomponent AS
SELECT r.path_accountid AS accountid,
  r.path_region AS region,
  r.resourcetype,
  r.resourceid,
  with_timezone(r.capturetime, 'UTC') AS capturetime,
  r.schemaversion,
  r.name,
  r.applicationtype,
  r.publisher,
  r.version,
  r.installedtime,
  r.architecture,
  r.url
FROM (SELECT t.*, regexp_extract("$path", '/accountid=([^/]+)/region=([^/]+)/[^/]+\.parquet$', 1) AS path_accountid, regexp_extract("$path", '/accountid=([^/]+)/region=([^/]+)/[^/]+\.parquet$', 2) AS path_region FROM aws_awscomponent_parquet t) r
WHERE r.path_accountid IS NOT NULL;

CREATE OR REPLACE VIEW aws_instancedetailedinformation AS
SELECT r.path_accountid AS accountid,
  r.path_region AS region,
  r.resourcetype,
  r.resourceid,
  with_timezone(r.capturetime, 'UTC') AS capturetime,
  r.schemaversion,
  r.cpumodel,
  r.cpucores,
  r.cpus,
  r.cpuspeedmhz,
  r.cpusockets,
  r.cpuhyperthreadenabled,
  r.osservicepack,
  r.kernelversion
FROM (SELECT t.*, regexp_extract("$path", '/accountid=([^/]+)/region=([^/]+)/[^/]+\.parquet$', 1) AS path_accountid, regexp_extract("$path", '/accountid=([^/]+)/region=([^/]+)/[^/]+\.parquet$', 2) AS path_region FROM aws_instancedetailedinformation_parquet t) r
WHERE r.path_accountid IS NOT NULL;

CREATE OR REPLACE VIEW aws_network AS
SELECT r.path_accountid AS accountid,
  r.path_region AS region,
  r.resourcetype,
  r.resourceid,
  with_timezone(r.capturetime, 'UTC') AS capturetime,
  r.schemaversion,
  r.name,
  r.subnetmask,
  r.gateway,
  r.dhcpserver,
  r.dnsserver,
  r.macaddress,
  r.ipv4,
  r.ipv6
FROM (SELECT t.*, regexp_extract("$path", '/accountid=([^/]+)/region=([^/]+)/[^/]+\.parquet$', 1) AS path_accountid, regexp_extract("$path", '/accountid=([^/]+)/region=([^/]+)/[^/]+\.parquet$', 2) AS path_region FROM aws_network_parquet t) r
WHERE r.path_accountid IS NOT NULL;

CREATE OR REPLACE VIEW custom_patchboardcatalogue AS
SELECT r.path_accountid AS accountid,
  r.path_region AS region,
  r.resourcetype,
  r.resourceid,
  with_timezone(r.capturetime, 'UTC') AS capturetime,
  r.schemaversion,
  r.kbid,
  r.id,
  r.title,
  r.product,
  r.classification,
  r.severity,
  with_timezone(r.releasedate, 'UTC') AS releasedate,
  r.cveids,
  r.advisoryids,
  r.version
FROM (SELECT t.*, regexp_extract("$path", '/accountid=([^/]+)/region=([^/]+)/[^/]+\.parquet$', 1) AS path_accountid, regexp_extract("$path", '/accountid=([^/]+)/region=([^/]+)/[^/]+\.parquet$', 2) AS path_region FROM custom_patchboardcatalogue_parquet t) r
WHERE r.path_accountid IS NOT NULL;

CREATE OR REPLACE VIEW custom_patchboardec2instance AS
SELECT r.path_accountid AS accountid,
  r.path_region AS region,
  r.resourcetype,
  r.resourceid,
  with_timezone(r.capturetime, 'UTC') AS capturetime,
  r.schemaversion,
  r.instanceid,
  r.state,
  with_timezone(r.launchtime, 'UTC') AS launchtime,
  r.platform,
  r.instancetype,
  r.imageid,
  r.source,
  r.managedrulecompliance,
  r.patchrulecompliance
FROM (SELECT t.*, regexp_extract("$path", '/accountid=([^/]+)/region=([^/]+)/[^/]+\.parquet$', 1) AS path_accountid, regexp_extract("$path", '/accountid=([^/]+)/region=([^/]+)/[^/]+\.parquet$', 2) AS path_region FROM custom_patchboardec2instance_parquet t) r
WHERE r.path_accountid IS NOT NULL;

CREATE OR REPLACE VIEW custom_patchboardec2tag AS
SELECT r.path_accountid AS accountid,
  r.path_region AS region,
  r.resourcetype,
  r.resourceid,
  with_timezone(r.capturetime, 'UTC') AS capturetime,
  r.schemaversion,
  r.key,
  r.value
FROM (SELECT t.*, regexp_extract("$path", '/accountid=([^/]+)/region=([^/]+)/[^/]+\.parquet$', 1) AS path_accountid, regexp_extract("$path", '/accountid=([^/]+)/region=([^/]+)/[^/]+\.parquet$', 2) AS path_region FROM custom_patchboardec2tag_parquet t) r
WHERE r.path_accountid IS NOT NULL;

CREATE OR REPLACE VIEW aws_instanceinformation_history AS
SELECT r.path_accountid AS accountid,
  r.path_region AS region,
  r.resourcetype,
  r.resourceid,
  with_timezone(r.capturetime, 'UTC') AS capturetime,
  r.schemaversion,
  r.agenttype,
  r.agentversion,
  r.computername,
  r.instanceid,
  r.ipaddress,
  r.platformname,
  r.platformtype,
  r.platformversion,
  r.instanceresourcetype,
  r.agentstatus,
  r.instancestatus,
  r.iamrole,
  with_timezone(r.valid_from, 'UTC') AS valid_from,
  with_timezone(r.valid_to, 'UTC') AS valid_to,
  with_timezone(r.last_seen, 'UTC') AS last_seen
FROM (SELECT t.*, regexp_extract("$path", '/accountid=([^/]+)/region=([^/]+)/[^/]+\.parquet$', 1) AS path_accountid, regexp_extract("$path", '/accountid=([^/]+)/region=([^/]+)/[^/]+\.parquet$', 2) AS path_region FROM aws_instanceinformation_history_parquet t) r
WHERE r.path_accountid IS NOT NULL;

CREATE OR REPLACE VIEW aws_tag_history AS
SELECT r.path_accountid AS accountid,
  r.path_region AS region,
  r.resourcetype,
  r.resourceid,
  with_timezone(r.capturetime, 'UTC') AS capturetime,
  r.schemaversion,
  r.key,
  r.value,
  with_timezone(r.valid_from, 'UTC') AS valid_from,
  with_timezone(r.valid_to, 'UTC') AS valid_to,
  with_timezone(r.last_seen, 'UTC') AS last_seen
FROM (SELECT t.*, regexp_extract("$path", '/accountid=([^/]+)/region=([^/]+)/[^/]+\.parquet$', 1) AS path_accountid, regexp_extract("$path", '/accountid=([^/]+)/region=([^/]+)/[^/]+\.parquet$', 2) AS path_region FROM aws_tag_history_parquet t) r
WHERE r.path_accountid IS NOT NULL;

CREATE OR REPLACE VIEW aws_patchsummary_history AS
SELECT r.path_accountid AS accountid,
  r.path_region AS region,
  r.resourcetype,
  r.resourceid,
  with_timezone(r.capturetime, 'UTC') AS capturetime,
  r.schemaversion,
  r.patchgroup,
  r.baselineid,
  r.snapshotid,
  r.executionid,
  r.ownerinformation,
  r.installedcount,
  r.installedothercount,
  r.installedpendingrebootcount,
  r.installedrejectedcount,
  r.notapplicablecount,
  r.unreportednotapplicablecount,
  r.missingcount,
  r.failedcount,
  r.criticalnoncompliantcount,
  r.securitynoncompliantcount,
  r.othernoncompliantcount,
  r.availablesecurityupdatecount,
  r.noncompliantseverity,
  r.operationtype,
  with_timezone(r.operationstarttime, 'UTC') AS operationstarttime,
  with_timezone(r.operationendtime, 'UTC') AS operationendtime,
  r.installoverridelist,
  r.rebootoption,
  with_timezone(r.lastnorebootinstalloperationtime, 'UTC') AS lastnorebootinstalloperationtime,
  with_timezone(r.valid_from, 'UTC') AS valid_from,
  with_timezone(r.valid_to, 'UTC') AS valid_to,
  with_timezone(r.last_seen, 'UTC') AS last_seen
FROM (SELECT t.*, regexp_extract("$path", '/accountid=([^/]+)/region=([^/]+)/[^/]+\.parquet$', 1) AS path_accountid, regexp_extract("$path", '/accountid=([^/]+)/region=([^/]+)/[^/]+\.parquet$', 2) AS path_region FROM aws_patchsummary_history_parquet t) r
WHERE r.path_accountid IS NOT NULL;

CREATE OR REPLACE VIEW aws_complianceitem_history AS
SELECT r.path_accountid AS accountid,
  r.path_region AS region,
  r.resourcetype,
  r.resourceid,
  with_timezone(r.capturetime, 'UTC') AS capturetime,
  r.schemaversion,
  r.compliancetype,
  r.executionid,
  r.executiontype,
  with_timezone(r.executiontime, 'UTC') AS executiontime,
  r.id,
  r.title,
  r.status,
  r.severity,
  r.documentname,
  r.documentversion,
  r.classification,
  r.patchbaselineid,
  r.patchseverity,
  r.patchstate,
  r.patchgroup,
  with_timezone(r.installedtime, 'UTC') AS installedtime,
  r.installoverridelist,
  r.cveids,
  r.detailedtext,
  r.detailedlink,
  with_timezone(r.valid_from, 'UTC') AS valid_from,
  with_timezone(r.valid_to, 'UTC') AS valid_to,
  with_timezone(r.last_seen, 'UTC') AS last_seen
FROM (SELECT t.*, regexp_extract("$path", '/accountid=([^/]+)/region=([^/]+)/[^/]+\.parquet$', 1) AS path_accountid, regexp_extract("$path", '/accountid=([^/]+)/region=([^/]+)/[^/]+\.parquet$', 2) AS path_region FROM aws_complianceitem_history_parquet t) r
WHERE r.path_accountid IS NOT NULL;

CREATE OR REPLACE VIEW aws_compliancesummary_history AS
SELECT r.path_accountid AS accountid,
  r.path_region AS region,
  r.resourcetype,
  r.resourceid,
  with_timezone(r.capturetime, 'UTC') AS capturetime,
  r.schemaversion,
  r.compliancetype,
  r.patchgroup,
  r.patchbaselineid,
  r.status,
  r.overallseverity,
  r.executionid,
  r.executiontype,
  with_timezone(r.executiontime, 'UTC') AS executiontime,
  r.compliantcriticalcount,
  r.complianthighcount,
  r.compliantmediumcount,
  r.compliantlowcount,
  r.compliantinformationalcount,
  r.compliantunspecifiedcount,
  r.noncompliantcriticalcount,
  r.noncomplianthighcount,
  r.noncompliantmediumcount,
  r.noncompliantlowcount,
  r.noncompliantinformationalcount,
  r.noncompliantunspecifiedcount,
  with_timezone(r.valid_from, 'UTC') AS valid_from,
  with_timezone(r.valid_to, 'UTC') AS valid_to,
  with_timezone(r.last_seen, 'UTC') AS last_seen
FROM (SELECT t.*, regexp_extract("$path", '/accountid=([^/]+)/region=([^/]+)/[^/]+\.parquet$', 1) AS path_accountid, regexp_extract("$path", '/accountid=([^/]+)/region=([^/]+)/[^/]+\.parquet$', 2) AS path_region FROM aws_compliancesummary_history_parquet t) r
WHERE r.path_accountid IS NOT NULL;

CREATE OR REPLACE VIEW aws_application_history AS
SELECT r.path_accountid AS accountid,
  r.path_region AS region,
  r.resourcetype,
  r.resourceid,
  with_timezone(r.capturetime, 'UTC') AS capturetime,
  r.schemaversion,
  r.name,
  r.applicationtype,
  r.publisher,
  r.version,
  r.release,
  r.epoch,
  r.installedtime,
  r.architecture,
  r.url,
  r.summary,
  r.packageid,
  with_timezone(r.valid_from, 'UTC') AS valid_from,
  with_timezone(r.valid_to, 'UTC') AS valid_to,
  with_timezone(r.last_seen, 'UTC') AS last_seen
FROM (SELECT t.*, regexp_extract("$path", '/accountid=([^/]+)/region=([^/]+)/[^/]+\.parquet$', 1) AS path_accountid, regexp_extract("$path", '/accountid=([^/]+)/region=([^/]+)/[^/]+\.parquet$', 2) AS path_region FROM aws_application_history_parquet t) r
WHERE r.path_accountid IS NOT NULL;

CREATE OR REPLACE VIEW aws_awscomponent_history AS
SELECT r.path_accountid AS accountid,
  r.path_region AS region,
  r.resourcetype,
  r.resourceid,
  with_timezone(r.capturetime, 'UTC') AS capturetime,
  r.schemaversion,
  r.name,
  r.applicationtype,
  r.publisher,
  r.version,
  r.installedtime,
  r.architecture,
  r.url,
  with_timezone(r.valid_from, 'UTC') AS valid_from,
  with_timezone(r.valid_to, 'UTC') AS valid_to,
  with_timezone(r.last_seen, 'UTC') AS last_seen
FROM (SELECT t.*, regexp_extract("$path", '/accountid=([^/]+)/region=([^/]+)/[^/]+\.parquet$', 1) AS path_accountid, regexp_extract("$path", '/accountid=([^/]+)/region=([^/]+)/[^/]+\.parquet$', 2) AS path_region FROM aws_awscomponent_history_parquet t) r
WHERE r.path_accountid IS NOT NULL;

CREATE OR REPLACE VIEW aws_instancedetailedinformation_history AS
SELECT r.path_accountid AS accountid,
  r.path_region AS region,
  r.resourcetype,
  r.resourceid,
  with_timezone(r.capturetime, 'UTC') AS capturetime,
  r.schemaversion,
  r.cpumodel,
  r.cpucores,
  r.cpus,
  r.cpuspeedmhz,
  r.cpusockets,
  r.cpuhyperthreadenabled,
  r.osservicepack,
  r.kernelversion,
  with_timezone(r.valid_from, 'UTC') AS valid_from,
  with_timezone(r.valid_to, 'UTC') AS valid_to,
  with_timezone(r.last_seen, 'UTC') AS last_seen
FROM (SELECT t.*, regexp_extract("$path", '/accountid=([^/]+)/region=([^/]+)/[^/]+\.parquet$', 1) AS path_accountid, regexp_extract("$path", '/accountid=([^/]+)/region=([^/]+)/[^/]+\.parquet$', 2) AS path_region FROM aws_instancedetailedinformation_history_parquet t) r
WHERE r.path_accountid IS NOT NULL;

CREATE OR REPLACE VIEW aws_network_history AS
SELECT r.path_accountid AS accountid,
  r.path_region AS region,
  r.resourcetype,
  r.resourceid,
  with_timezone(r.capturetime, 'UTC') AS capturetime,
  r.schemaversion,
  r.name,
  r.subnetmask,
  r.gateway,
  r.dhcpserver,
  r.dnsserver,
  r.macaddress,
  r.ipv4,
  r.ipv6,
  with_timezone(r.valid_from, 'UTC') AS valid_from,
  with_timezone(r.valid_to, 'UTC') AS valid_to,
  with_timezone(r.last_seen, 'UTC') AS last_seen
FROM (SELECT t.*, regexp_extract("$path", '/accountid=([^/]+)/region=([^/]+)/[^/]+\.parquet$', 1) AS path_accountid, regexp_extract("$path", '/accountid=([^/]+)/region=([^/]+)/[^/]+\.parquet$', 2) AS path_region FROM aws_network_history_parquet t) r
WHERE r.path_accountid IS NOT NULL;

CREATE OR REPLACE VIEW custom_patchboardcatalogue_history AS
SELECT r.path_accountid AS accountid,
  r.path_region AS region,
  r.resourcetype,
  r.resourceid,
  with_timezone(r.capturetime, 'UTC') AS capturetime,
  r.schemaversion,
  r.kbid,
  r.id,
  r.title,
  r.product,
  r.classification,
  r.severity,
  with_timezone(r.releasedate, 'UTC') AS releasedate,
  r.cveids,
  r.advisoryids,
  r.version,
  with_timezone(r.valid_from, 'UTC') AS valid_from,
  with_timezone(r.valid_to, 'UTC') AS valid_to,
  with_timezone(r.last_seen, 'UTC') AS last_seen
FROM (SELECT t.*, regexp_extract("$path", '/accountid=([^/]+)/region=([^/]+)/[^/]+\.parquet$', 1) AS path_accountid, regexp_extract("$path", '/accountid=([^/]+)/region=([^/]+)/[^/]+\.parquet$', 2) AS path_region FROM custom_patchboardcatalogue_history_parquet t) r
WHERE r.path_accountid IS NOT NULL;

CREATE OR REPLACE VIEW custom_patchboardec2instance_history AS
SELECT r.path_accountid AS accountid,
  r.path_region AS region,
  r.resourcetype,
  r.resourceid,
  with_timezone(r.capturetime, 'UTC') AS capturetime,
  r.schemaversion,
  r.instanceid,
  r.state,
  with_timezone(r.launchtime, 'UTC') AS launchtime,
  r.platform,
  r.instancetype,
  r.imageid,
  r.source,
  r.managedrulecompliance,
  r.patchrulecompliance,
  with_timezone(r.valid_from, 'UTC') AS valid_from,
  with_timezone(r.valid_to, 'UTC') AS valid_to,
  with_timezone(r.last_seen, 'UTC') AS last_seen
FROM (SELECT t.*, regexp_extract("$path", '/accountid=([^/]+)/region=([^/]+)/[^/]+\.parquet$', 1) AS path_accountid, regexp_extract("$path", '/accountid=([^/]+)/region=([^/]+)/[^/]+\.parquet$', 2) AS path_region FROM custom_patchboardec2instance_history_parquet t) r
WHERE r.path_accountid IS NOT NULL;

CREATE OR REPLACE VIEW custom_patchboardec2tag_history AS
SELECT r.path_accountid AS accountid,
  r.path_region AS region,
  r.resourcetype,
  r.resourceid,
  with_timezone(r.capturetime, 'UTC') AS capturetime,
  r.schemaversion,
  r.key,
  r.value,
  with_timezone(r.valid_from, 'UTC') AS valid_from,
  with_timezone(r.valid_to, 'UTC') AS valid_to,
  with_timezone(r.last_seen, 'UTC') AS last_seen
FROM (SELECT t.*, regexp_extract("$path", '/accountid=([^/]+)/region=([^/]+)/[^/]+\.parquet$', 1) AS path_accountid, regexp_extract("$path", '/accountid=([^/]+)/region=([^/]+)/[^/]+\.parquet$', 2) AS path_region FROM custom_patchboardec2tag_history_parquet t) r
WHERE r.path_accountid IS NOT NULL;

CREATE OR REPLACE VIEW history_observations AS
SELECT r.type_name,
  r.path_accountid AS accountid,
  r.path_region AS region,
  r.resourcetype,
  r.resourceid,
  with_timezone(r.first_observed_at, 'UTC') AS first_observed_at,
  with_timezone(r.last_observed_at, 'UTC') AS last_observed_at,
  with_timezone(r.gone_at, 'UTC') AS gone_at
FROM (SELECT t.*, regexp_extract("$path", '/accountid=([^/]+)/region=([^/]+)/[^/]+\.parquet$', 1) AS path_accountid, regexp_extract("$path", '/accountid=([^/]+)/region=([^/]+)/[^/]+\.parquet$', 2) AS path_region FROM history_observations_parquet t) r
WHERE r.path_accountid IS NOT NULL;

CREATE OR REPLACE VIEW history_scans AS
SELECT r.path_accountid AS accountid,
  r.path_region AS region,
  r.resourcetype,
  r.resourceid,
  with_timezone(r.scan_time, 'UTC') AS scan_time
FROM (SELECT t.*, regexp_extract("$path", '/accountid=([^/]+)/region=([^/]+)/[^/]+\.parquet$', 1) AS path_accountid, regexp_extract("$path", '/accountid=([^/]+)/region=([^/]+)/[^/]+\.parquet$', 2) AS path_region FROM history_scans_parquet t) r
WHERE r.path_accountid IS NOT NULL;

CREATE OR REPLACE VIEW history_reports AS
SELECT r.path_accountid AS accountid,
  r.path_region AS region,
  r.resourcetype,
  r.resourceid,
  with_timezone(r.report_time, 'UTC') AS report_time
FROM (SELECT t.*, regexp_extract("$path", '/accountid=([^/]+)/region=([^/]+)/[^/]+\.parquet$', 1) AS path_accountid, regexp_extract("$path", '/accountid=([^/]+)/region=([^/]+)/[^/]+\.parquet$', 2) AS path_region FROM history_reports_parquet t) r
WHERE r.path_accountid IS NOT NULL;
