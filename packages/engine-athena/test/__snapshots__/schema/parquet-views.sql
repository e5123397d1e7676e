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
FROM aws_network GROUP BY accountid, region, resourcetype, resourceid;
