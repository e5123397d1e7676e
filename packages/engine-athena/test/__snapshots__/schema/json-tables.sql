CREATE EXTERNAL TABLE IF NOT EXISTS `aws_instanceinformation_json` (
  `resourceid` string,
  `capturetime` string,
  `schemaversion` string,
  `agenttype` string,
  `agentversion` string,
  `computername` string,
  `instanceid` string,
  `ipaddress` string,
  `platformname` string,
  `platformtype` string,
  `platformversion` string,
  `instanceresourcetype` string,
  `agentstatus` string,
  `instancestatus` string,
  `iamrole` string
)
ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe'
WITH SERDEPROPERTIES ('ignore.malformed.json'='true', 'case.insensitive'='true', 'mapping.instanceresourcetype'='resourcetype')
STORED AS INPUTFORMAT 'org.apache.hadoop.mapred.TextInputFormat'
OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat'
LOCATION 's3://patch-sync-bucket/org/AWS:InstanceInformation/'
TBLPROPERTIES ('classification'='json', 'patchboard.inventory_type'='AWS:InstanceInformation');

CREATE EXTERNAL TABLE IF NOT EXISTS `aws_tag_json` (
  `resourceid` string,
  `capturetime` string,
  `schemaversion` string,
  `key` string,
  `value` string
)
ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe'
WITH SERDEPROPERTIES ('ignore.malformed.json'='true', 'case.insensitive'='true')
STORED AS INPUTFORMAT 'org.apache.hadoop.mapred.TextInputFormat'
OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat'
LOCATION 's3://patch-sync-bucket/org/AWS:Tag/'
TBLPROPERTIES ('classification'='json', 'patchboard.inventory_type'='AWS:Tag');

CREATE EXTERNAL TABLE IF NOT EXISTS `aws_patchsummary_json` (
  `resourceid` string,
  `capturetime` string,
  `schemaversion` string,
  `patchgroup` string,
  `baselineid` string,
  `snapshotid` string,
  `executionid` string,
  `ownerinformation` string,
  `installedcount` string,
  `installedothercount` string,
  `installedpendingrebootcount` string,
  `installedrejectedcount` string,
  `notapplicablecount` string,
  `unreportednotapplicablecount` string,
  `missingcount` string,
  `failedcount` string,
  `criticalnoncompliantcount` string,
  `securitynoncompliantcount` string,
  `othernoncompliantcount` string,
  `availablesecurityupdatecount` string,
  `noncompliantseverity` string,
  `operationtype` string,
  `operationstarttime` string,
  `operationendtime` string,
  `installoverridelist` string,
  `rebootoption` string,
  `lastnorebootinstalloperationtime` string
)
ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe'
WITH SERDEPROPERTIES ('ignore.malformed.json'='true', 'case.insensitive'='true')
STORED AS INPUTFORMAT 'org.apache.hadoop.mapred.TextInputFormat'
OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat'
LOCATION 's3://patch-sync-bucket/org/AWS:PatchSummary/'
TBLPROPERTIES ('classification'='json', 'patchboard.inventory_type'='AWS:PatchSummary');

CREATE EXTERNAL TABLE IF NOT EXISTS `aws_complianceitem_json` (
  `resourceid` string,
  `capturetime` string,
  `schemaversion` string,
  `compliancetype` string,
  `executionid` string,
  `executiontype` string,
  `executiontime` string,
  `id` string,
  `title` string,
  `status` string,
  `severity` string,
  `documentname` string,
  `documentversion` string,
  `classification` string,
  `patchbaselineid` string,
  `patchseverity` string,
  `patchstate` string,
  `patchgroup` string,
  `installedtime` string,
  `installoverridelist` string,
  `cveids` string,
  `detailedtext` string,
  `detailedlink` string
)
ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe'
WITH SERDEPROPERTIES ('ignore.malformed.json'='true', 'case.insensitive'='true')
STORED AS INPUTFORMAT 'org.apache.hadoop.mapred.TextInputFormat'
OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat'
LOCATION 's3://patch-sync-bucket/org/AWS:ComplianceItem/'
TBLPROPERTIES ('classification'='json', 'patchboard.inventory_type'='AWS:ComplianceItem');

CREATE EXTERNAL TABLE IF NOT EXISTS `aws_compliancesummary_json` (
  `resourceid` string,
  `capturetime` string,
  `schemaversion` string,
  `compliancetype` string,
  `patchgroup` string,
  `patchbaselineid` string,
  `status` string,
  `overallseverity` string,
  `executionid` string,
  `executiontype` string,
  `executiontime` string,
  `compliantcriticalcount` string,
  `complianthighcount` string,
  `compliantmediumcount` string,
  `compliantlowcount` string,
  `compliantinformationalcount` string,
  `compliantunspecifiedcount` string,
  `noncompliantcriticalcount` string,
  `noncomplianthighcount` string,
  `noncompliantmediumcount` string,
  `noncompliantlowcount` string,
  `noncompliantinformationalcount` string,
  `noncompliantunspecifiedcount` string
)
ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe'
WITH SERDEPROPERTIES ('ignore.malformed.json'='true', 'case.insensitive'='true')
STORED AS INPUTFORMAT 'org.apache.hadoop.mapred.TextInputFormat'
OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat'
LOCATION 's3://patch-sync-bucket/org/AWS:ComplianceSummary/'
TBLPROPERTIES ('classification'='json', 'patchboard.inventory_type'='AWS:ComplianceSummary');

CREATE EXTERNAL TABLE IF NOT EXISTS `aws_application_json` (
  `resourceid` string,
  `capturetime` string,
  `schemaversion` string,
  `name` string,
  `applicationtype` string,
  `publisher` string,
  `version` string,
  `release` string,
  `epoch` string,
  `installedtime` string,
  `architecture` string,
  `url` string,
  `summary` string,
  `packageid` string
)
ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe'
WITH SERDEPROPERTIES ('ignore.malformed.json'='true', 'case.insensitive'='true')
STORED AS INPUTFORMAT 'org.apache.hadoop.mapred.TextInputFormat'
OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat'
LOCATION 's3://patch-sync-bucket/org/AWS:Application/'
TBLPROPERTIES ('classification'='json', 'patchboard.inventory_type'='AWS:Application');

CREATE EXTERNAL TABLE IF NOT EXISTS `aws_awscomponent_json` (
  `resourceid` string,
  `capturetime` string,
  `schemaversion` string,
  `name` string,
  `applicationtype` string,
  `publisher` string,
  `version` string,
  `installedtime` string,
  `architecture` string,
  `url` string
)
ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe'
WITH SERDEPROPERTIES ('ignore.malformed.json'='true', 'case.insensitive'='true')
STORED AS INPUTFORMAT 'org.apache.hadoop.mapred.TextInputFormat'
OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat'
LOCATION 's3://patch-sync-bucket/org/AWS:AWSComponent/'
TBLPROPERTIES ('classification'='json', 'patchboard.inventory_type'='AWS:AWSComponent');

CREATE EXTERNAL TABLE IF NOT EXISTS `aws_instancedetailedinformation_json` (
  `resourceid` string,
  `capturetime` string,
  `schemaversion` string,
  `cpumodel` string,
  `cpucores` string,
  `cpus` string,
  `cpuspeedmhz` string,
  `cpusockets` string,
  `cpuhyperthreadenabled` string,
  `osservicepack` string,
  `kernelversion` string
)
ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe'
WITH SERDEPROPERTIES ('ignore.malformed.json'='true', 'case.insensitive'='true')
STORED AS INPUTFORMAT 'org.apache.hadoop.mapred.TextInputFormat'
OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat'
LOCATION 's3://patch-sync-bucket/org/AWS:InstanceDetailedInformation/'
TBLPROPERTIES ('classification'='json', 'patchboard.inventory_type'='AWS:InstanceDetailedInformation');

CREATE EXTERNAL TABLE IF NOT EXISTS `aws_network_json` (
  `resourceid` string,
  `capturetime` string,
  `schemaversion` string,
  `name` string,
  `subnetmask` string,
  `gateway` string,
  `dhcpserver` string,
  `dnsserver` string,
  `macaddress` string,
  `ipv4` string,
  `ipv6` string
)
ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe'
WITH SERDEPROPERTIES ('ignore.malformed.json'='true', 'case.insensitive'='true')
STORED AS INPUTFORMAT 'org.apache.hadoop.mapred.TextInputFormat'
OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat'
LOCATION 's3://patch-sync-bucket/org/AWS:Network/'
TBLPROPERTIES ('classification'='json', 'patchboard.inventory_type'='AWS:Network');

CREATE EXTERNAL TABLE IF NOT EXISTS `custom_patchboardcatalogue_json` (
  `resourceid` string,
  `capturetime` string,
  `schemaversion` string,
  `kbid` string,
  `id` string,
  `title` string,
  `product` string,
  `classification` string,
  `severity` string,
  `releasedate` string,
  `cveids` string,
  `advisoryids` string,
  `version` string
)
ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe'
WITH SERDEPROPERTIES ('ignore.malformed.json'='true', 'case.insensitive'='true')
STORED AS INPUTFORMAT 'org.apache.hadoop.mapred.TextInputFormat'
OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat'
LOCATION 's3://patch-sync-bucket/org/Custom:PatchboardCatalogue/'
TBLPROPERTIES ('classification'='json', 'patchboard.inventory_type'='Custom:PatchboardCatalogue');

CREATE EXTERNAL TABLE IF NOT EXISTS `custom_patchboardec2instance_json` (
  `resourceid` string,
  `capturetime` string,
  `schemaversion` string,
  `instanceid` string,
  `state` string,
  `launchtime` string,
  `platform` string,
  `instancetype` string,
  `imageid` string,
  `source` string,
  `managedrulecompliance` string,
  `patchrulecompliance` string
)
ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe'
WITH SERDEPROPERTIES ('ignore.malformed.json'='true', 'case.insensitive'='true')
STORED AS INPUTFORMAT 'org.apache.hadoop.mapred.TextInputFormat'
OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat'
LOCATION 's3://patch-sync-bucket/org/Custom:PatchboardEc2Instance/'
TBLPROPERTIES ('classification'='json', 'patchboard.inventory_type'='Custom:PatchboardEc2Instance');

CREATE EXTERNAL TABLE IF NOT EXISTS `custom_patchboardec2tag_json` (
  `resourceid` string,
  `capturetime` string,
  `schemaversion` string,
  `key` string,
  `value` string
)
ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe'
WITH SERDEPROPERTIES ('ignore.malformed.json'='true', 'case.insensitive'='true')
STORED AS INPUTFORMAT 'org.apache.hadoop.mapred.TextInputFormat'
OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat'
LOCATION 's3://patch-sync-bucket/org/Custom:PatchboardEc2Tag/'
TBLPROPERTIES ('classification'='json', 'patchboard.inventory_type'='Custom:PatchboardEc2Tag');

CREATE EXTERNAL TABLE IF NOT EXISTS `aws_config_snapshot_json` (
  `fileversion` string,
  `configsnapshotid` string,
  `configurationitems` array<struct<configurationitemcapturetime:string,awsaccountid:string,awsregion:string,resourcetype:string,resourceid:string,configuration:string>>
)
ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe'
WITH SERDEPROPERTIES ('ignore.malformed.json'='true', 'case.insensitive'='true')
STORED AS INPUTFORMAT 'org.apache.hadoop.mapred.TextInputFormat'
OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat'
LOCATION 's3://patch-sync-bucket/AWSLogs/'
TBLPROPERTIES ('classification'='json', 'patchboard.source'='aws-config');
