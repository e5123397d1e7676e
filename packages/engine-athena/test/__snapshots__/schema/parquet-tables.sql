CREATE EXTERNAL TABLE IF NOT EXISTS `aws_instanceinformation_parquet` (
  `resourcetype` string,
  `resourceid` string,
  `capturetime` timestamp,
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
ROW FORMAT SERDE 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe'
STORED AS INPUTFORMAT 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat'
OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat'
LOCATION 's3://patch-sync-bucket/org/aws_instanceinformation/'
TBLPROPERTIES ('classification'='parquet', 'parquet.compression'='ZSTD', 'patchboard.inventory_type'='AWS:InstanceInformation');

CREATE EXTERNAL TABLE IF NOT EXISTS `aws_tag_parquet` (
  `resourcetype` string,
  `resourceid` string,
  `capturetime` timestamp,
  `schemaversion` string,
  `key` string,
  `value` string
)
ROW FORMAT SERDE 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe'
STORED AS INPUTFORMAT 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat'
OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat'
LOCATION 's3://patch-sync-bucket/org/aws_tag/'
TBLPROPERTIES ('classification'='parquet', 'parquet.compression'='ZSTD', 'patchboard.inventory_type'='AWS:Tag');

CREATE EXTERNAL TABLE IF NOT EXISTS `aws_patchsummary_parquet` (
  `resourcetype` string,
  `resourceid` string,
  `capturetime` timestamp,
  `schemaversion` string,
  `patchgroup` string,
  `baselineid` string,
  `snapshotid` string,
  `executionid` string,
  `ownerinformation` string,
  `installedcount` bigint,
  `installedothercount` bigint,
  `installedpendingrebootcount` bigint,
  `installedrejectedcount` bigint,
  `notapplicablecount` bigint,
  `unreportednotapplicablecount` bigint,
  `missingcount` bigint,
  `failedcount` bigint,
  `criticalnoncompliantcount` bigint,
  `securitynoncompliantcount` bigint,
  `othernoncompliantcount` bigint,
  `availablesecurityupdatecount` bigint,
  `noncompliantseverity` string,
  `operationtype` string,
  `operationstarttime` timestamp,
  `operationendtime` timestamp,
  `installoverridelist` string,
  `rebootoption` string,
  `lastnorebootinstalloperationtime` timestamp
)
ROW FORMAT SERDE 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe'
STORED AS INPUTFORMAT 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat'
OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat'
LOCATION 's3://patch-sync-bucket/org/aws_patchsummary/'
TBLPROPERTIES ('classification'='parquet', 'parquet.compression'='ZSTD', 'patchboard.inventory_type'='AWS:PatchSummary');

CREATE EXTERNAL TABLE IF NOT EXISTS `aws_complianceitem_parquet` (
  `resourcetype` string,
  `resourceid` string,
  `capturetime` timestamp,
  `schemaversion` string,
  `compliancetype` string,
  `executionid` string,
  `executiontype` string,
  `executiontime` timestamp,
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
  `installedtime` timestamp,
  `installoverridelist` string,
  `cveids` string,
  `detailedtext` string,
  `detailedlink` string
)
ROW FORMAT SERDE 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe'
STORED AS INPUTFORMAT 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat'
OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat'
LOCATION 's3://patch-sync-bucket/org/aws_complianceitem/'
TBLPROPERTIES ('classification'='parquet', 'parquet.compression'='ZSTD', 'patchboard.inventory_type'='AWS:ComplianceItem');

CREATE EXTERNAL TABLE IF NOT EXISTS `aws_compliancesummary_parquet` (
  `resourcetype` string,
  `resourceid` string,
  `capturetime` timestamp,
  `schemaversion` string,
  `compliancetype` string,
  `patchgroup` string,
  `patchbaselineid` string,
  `status` string,
  `overallseverity` string,
  `executionid` string,
  `executiontype` string,
  `executiontime` timestamp,
  `compliantcriticalcount` bigint,
  `complianthighcount` bigint,
  `compliantmediumcount` bigint,
  `compliantlowcount` bigint,
  `compliantinformationalcount` bigint,
  `compliantunspecifiedcount` bigint,
  `noncompliantcriticalcount` bigint,
  `noncomplianthighcount` bigint,
  `noncompliantmediumcount` bigint,
  `noncompliantlowcount` bigint,
  `noncompliantinformationalcount` bigint,
  `noncompliantunspecifiedcount` bigint
)
ROW FORMAT SERDE 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe'
STORED AS INPUTFORMAT 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat'
OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat'
LOCATION 's3://patch-sync-bucket/org/aws_compliancesummary/'
TBLPROPERTIES ('classification'='parquet', 'parquet.compression'='ZSTD', 'patchboard.inventory_type'='AWS:ComplianceSummary');

CREATE EXTERNAL TABLE IF NOT EXISTS `aws_application_parquet` (
  `resourcetype` string,
  `resourceid` string,
  `capturetime` timestamp,
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
ROW FORMAT SERDE 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe'
STORED AS INPUTFORMAT 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat'
OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat'
LOCATION 's3://patch-sync-bucket/org/aws_application/'
TBLPROPERTIES ('classification'='parquet', 'parquet.compression'='ZSTD', 'patchboard.inventory_type'='AWS:Application');

CREATE EXTERNAL TABLE IF NOT EXISTS `aws_awscomponent_parquet` (
  `resourcetype` string,
  `resourceid` string,
  `capturetime` timestamp,
  `schemaversion` string,
  `name` string,
  `applicationtype` string,
  `publisher` string,
  `version` string,
  `installedtime` string,
  `architecture` string,
  `url` string
)
ROW FORMAT SERDE 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe'
STORED AS INPUTFORMAT 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat'
OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat'
LOCATION 's3://patch-sync-bucket/org/aws_awscomponent/'
TBLPROPERTIES ('classification'='parquet', 'parquet.compression'='ZSTD', 'patchboard.inventory_type'='AWS:AWSComponent');

CREATE EXTERNAL TABLE IF NOT EXISTS `aws_instancedetailedinformation_parquet` (
  `resourcetype` string,
  `resourceid` string,
  `capturetime` timestamp,
  `schemaversion` string,
  `cpumodel` string,
  `cpucores` bigint,
  `cpus` bigint,
  `cpuspeedmhz` bigint,
  `cpusockets` bigint,
  `cpuhyperthreadenabled` string,
  `osservicepack` string,
  `kernelversion` string
)
ROW FORMAT SERDE 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe'
STORED AS INPUTFORMAT 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat'
OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat'
LOCATION 's3://patch-sync-bucket/org/aws_instancedetailedinformation/'
TBLPROPERTIES ('classification'='parquet', 'parquet.compression'='ZSTD', 'patchboard.inventory_type'='AWS:InstanceDetailedInformation');

CREATE EXTERNAL TABLE IF NOT EXISTS `aws_network_parquet` (
  `resourcetype` string,
  `resourceid` string,
  `capturetime` timestamp,
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
ROW FORMAT SERDE 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe'
STORED AS INPUTFORMAT 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat'
OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat'
LOCATION 's3://patch-sync-bucket/org/aws_network/'
TBLPROPERTIES ('classification'='parquet', 'parquet.compression'='ZSTD', 'patchboard.inventory_type'='AWS:Network');

CREATE EXTERNAL TABLE IF NOT EXISTS `custom_patchboardcatalogue_parquet` (
  `resourcetype` string,
  `resourceid` string,
  `capturetime` timestamp,
  `schemaversion` string,
  `kbid` string,
  `id` string,
  `title` string,
  `product` string,
  `classification` string,
  `severity` string,
  `releasedate` timestamp,
  `cveids` string,
  `advisoryids` string,
  `version` string
)
ROW FORMAT SERDE 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe'
STORED AS INPUTFORMAT 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat'
OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat'
LOCATION 's3://patch-sync-bucket/org/custom_patchboardcatalogue/'
TBLPROPERTIES ('classification'='parquet', 'parquet.compression'='ZSTD', 'patchboard.inventory_type'='Custom:PatchboardCatalogue');

CREATE EXTERNAL TABLE IF NOT EXISTS `custom_patchboardec2instance_parquet` (
  `resourcetype` string,
  `resourceid` string,
  `capturetime` timestamp,
  `schemaversion` string,
  `instanceid` string,
  `state` string,
  `launchtime` timestamp,
  `platform` string,
  `instancetype` string,
  `imageid` string,
  `source` string,
  `managedrulecompliance` string,
  `patchrulecompliance` string
)
ROW FORMAT SERDE 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe'
STORED AS INPUTFORMAT 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat'
OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat'
LOCATION 's3://patch-sync-bucket/org/custom_patchboardec2instance/'
TBLPROPERTIES ('classification'='parquet', 'parquet.compression'='ZSTD', 'patchboard.inventory_type'='Custom:PatchboardEc2Instance');

CREATE EXTERNAL TABLE IF NOT EXISTS `custom_patchboardec2tag_parquet` (
  `resourcetype` string,
  `resourceid` string,
  `capturetime` timestamp,
  `schemaversion` string,
  `key` string,
  `value` string
)
ROW FORMAT SERDE 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe'
STORED AS INPUTFORMAT 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat'
OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat'
LOCATION 's3://patch-sync-bucket/org/custom_patchboardec2tag/'
TBLPROPERTIES ('classification'='parquet', 'parquet.compression'='ZSTD', 'patchboard.inventory_type'='Custom:PatchboardEc2Tag');

CREATE EXTERNAL TABLE IF NOT EXISTS `aws_instanceinformation_history_parquet` (
  `resourcetype` string,
  `resourceid` string,
  `capturetime` timestamp,
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
  `iamrole` string,
  `valid_from` timestamp,
  `valid_to` timestamp,
  `last_seen` timestamp
)
ROW FORMAT SERDE 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe'
STORED AS INPUTFORMAT 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat'
OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat'
LOCATION 's3://patch-sync-bucket/org/aws_instanceinformation_history/'
TBLPROPERTIES ('classification'='parquet', 'parquet.compression'='ZSTD');

CREATE EXTERNAL TABLE IF NOT EXISTS `aws_tag_history_parquet` (
  `resourcetype` string,
  `resourceid` string,
  `capturetime` timestamp,
  `schemaversion` string,
  `key` string,
  `value` string,
  `valid_from` timestamp,
  `valid_to` timestamp,
  `last_seen` timestamp
)
ROW FORMAT SERDE 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe'
STORED AS INPUTFORMAT 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat'
OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat'
LOCATION 's3://patch-sync-bucket/org/aws_tag_history/'
TBLPROPERTIES ('classification'='parquet', 'parquet.compression'='ZSTD');

CREATE EXTERNAL TABLE IF NOT EXISTS `aws_patchsummary_history_parquet` (
  `resourcetype` string,
  `resourceid` string,
  `capturetime` timestamp,
  `schemaversion` string,
  `patchgroup` string,
  `baselineid` string,
  `snapshotid` string,
  `executionid` string,
  `ownerinformation` string,
  `installedcount` bigint,
  `installedothercount` bigint,
  `installedpendingrebootcount` bigint,
  `installedrejectedcount` bigint,
  `notapplicablecount` bigint,
  `unreportednotapplicablecount` bigint,
  `missingcount` bigint,
  `failedcount` bigint,
  `criticalnoncompliantcount` bigint,
  `securitynoncompliantcount` bigint,
  `othernoncompliantcount` bigint,
  `availablesecurityupdatecount` bigint,
  `noncompliantseverity` string,
  `operationtype` string,
  `operationstarttime` timestamp,
  `operationendtime` timestamp,
  `installoverridelist` string,
  `rebootoption` string,
  `lastnorebootinstalloperationtime` timestamp,
  `valid_from` timestamp,
  `valid_to` timestamp,
  `last_seen` timestamp
)
ROW FORMAT SERDE 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe'
STORED AS INPUTFORMAT 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat'
OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat'
LOCATION 's3://patch-sync-bucket/org/aws_patchsummary_history/'
TBLPROPERTIES ('classification'='parquet', 'parquet.compression'='ZSTD');

CREATE EXTERNAL TABLE IF NOT EXISTS `aws_complianceitem_history_parquet` (
  `resourcetype` string,
  `resourceid` string,
  `capturetime` timestamp,
  `schemaversion` string,
  `compliancetype` string,
  `executionid` string,
  `executiontype` string,
  `executiontime` timestamp,
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
  `installedtime` timestamp,
  `installoverridelist` string,
  `cveids` string,
  `detailedtext` string,
  `detailedlink` string,
  `valid_from` timestamp,
  `valid_to` timestamp,
  `last_seen` timestamp
)
ROW FORMAT SERDE 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe'
STORED AS INPUTFORMAT 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat'
OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat'
LOCATION 's3://patch-sync-bucket/org/aws_complianceitem_history/'
TBLPROPERTIES ('classification'='parquet', 'parquet.compression'='ZSTD');

CREATE EXTERNAL TABLE IF NOT EXISTS `aws_compliancesummary_history_parquet` (
  `resourcetype` string,
  `resourceid` string,
  `capturetime` timestamp,
  `schemaversion` string,
  `compliancetype` string,
  `patchgroup` string,
  `patchbaselineid` string,
  `status` string,
  `overallseverity` string,
  `executionid` string,
  `executiontype` string,
  `executiontime` timestamp,
  `compliantcriticalcount` bigint,
  `complianthighcount` bigint,
  `compliantmediumcount` bigint,
  `compliantlowcount` bigint,
  `compliantinformationalcount` bigint,
  `compliantunspecifiedcount` bigint,
  `noncompliantcriticalcount` bigint,
  `noncomplianthighcount` bigint,
  `noncompliantmediumcount` bigint,
  `noncompliantlowcount` bigint,
  `noncompliantinformationalcount` bigint,
  `noncompliantunspecifiedcount` bigint,
  `valid_from` timestamp,
  `valid_to` timestamp,
  `last_seen` timestamp
)
ROW FORMAT SERDE 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe'
STORED AS INPUTFORMAT 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat'
OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat'
LOCATION 's3://patch-sync-bucket/org/aws_compliancesummary_history/'
TBLPROPERTIES ('classification'='parquet', 'parquet.compression'='ZSTD');

CREATE EXTERNAL TABLE IF NOT EXISTS `aws_application_history_parquet` (
  `resourcetype` string,
  `resourceid` string,
  `capturetime` timestamp,
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
  `packageid` string,
  `valid_from` timestamp,
  `valid_to` timestamp,
  `last_seen` timestamp
)
ROW FORMAT SERDE 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe'
STORED AS INPUTFORMAT 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat'
OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat'
LOCATION 's3://patch-sync-bucket/org/aws_application_history/'
TBLPROPERTIES ('classification'='parquet', 'parquet.compression'='ZSTD');

CREATE EXTERNAL TABLE IF NOT EXISTS `aws_awscomponent_history_parquet` (
  `resourcetype` string,
  `resourceid` string,
  `capturetime` timestamp,
  `schemaversion` string,
  `name` string,
  `applicationtype` string,
  `publisher` string,
  `version` string,
  `installedtime` string,
  `architecture` string,
  `url` string,
  `valid_from` timestamp,
  `valid_to` timestamp,
  `last_seen` timestamp
)
ROW FORMAT SERDE 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe'
STORED AS INPUTFORMAT 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat'
OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat'
LOCATION 's3://patch-sync-bucket/org/aws_awscomponent_history/'
TBLPROPERTIES ('classification'='parquet', 'parquet.compression'='ZSTD');

CREATE EXTERNAL TABLE IF NOT EXISTS `aws_instancedetailedinformation_history_parquet` (
  `resourcetype` string,
  `resourceid` string,
  `capturetime` timestamp,
  `schemaversion` string,
  `cpumodel` string,
  `cpucores` bigint,
  `cpus` bigint,
  `cpuspeedmhz` bigint,
  `cpusockets` bigint,
  `cpuhyperthreadenabled` string,
  `osservicepack` string,
  `kernelversion` string,
  `valid_from` timestamp,
  `valid_to` timestamp,
  `last_seen` timestamp
)
ROW FORMAT SERDE 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe'
STORED AS INPUTFORMAT 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat'
OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat'
LOCATION 's3://patch-sync-bucket/org/aws_instancedetailedinformation_history/'
TBLPROPERTIES ('classification'='parquet', 'parquet.compression'='ZSTD');

CREATE EXTERNAL TABLE IF NOT EXISTS `aws_network_history_parquet` (
  `resourcetype` string,
  `resourceid` string,
  `capturetime` timestamp,
  `schemaversion` string,
  `name` string,
  `subnetmask` string,
  `gateway` string,
  `dhcpserver` string,
  `dnsserver` string,
  `macaddress` string,
  `ipv4` string,
  `ipv6` string,
  `valid_from` timestamp,
  `valid_to` timestamp,
  `last_seen` timestamp
)
ROW FORMAT SERDE 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe'
STORED AS INPUTFORMAT 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat'
OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat'
LOCATION 's3://patch-sync-bucket/org/aws_network_history/'
TBLPROPERTIES ('classification'='parquet', 'parquet.compression'='ZSTD');

CREATE EXTERNAL TABLE IF NOT EXISTS `custom_patchboardcatalogue_history_parquet` (
  `resourcetype` string,
  `resourceid` string,
  `capturetime` timestamp,
  `schemaversion` string,
  `kbid` string,
  `id` string,
  `title` string,
  `product` string,
  `classification` string,
  `severity` string,
  `releasedate` timestamp,
  `cveids` string,
  `advisoryids` string,
  `version` string,
  `valid_from` timestamp,
  `valid_to` timestamp,
  `last_seen` timestamp
)
ROW FORMAT SERDE 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe'
STORED AS INPUTFORMAT 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat'
OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat'
LOCATION 's3://patch-sync-bucket/org/custom_patchboardcatalogue_history/'
TBLPROPERTIES ('classification'='parquet', 'parquet.compression'='ZSTD');

CREATE EXTERNAL TABLE IF NOT EXISTS `custom_patchboardec2instance_history_parquet` (
  `resourcetype` string,
  `resourceid` string,
  `capturetime` timestamp,
  `schemaversion` string,
  `instanceid` string,
  `state` string,
  `launchtime` timestamp,
  `platform` string,
  `instancetype` string,
  `imageid` string,
  `source` string,
  `managedrulecompliance` string,
  `patchrulecompliance` string,
  `valid_from` timestamp,
  `valid_to` timestamp,
  `last_seen` timestamp
)
ROW FORMAT SERDE 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe'
STORED AS INPUTFORMAT 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat'
OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat'
LOCATION 's3://patch-sync-bucket/org/custom_patchboardec2instance_history/'
TBLPROPERTIES ('classification'='parquet', 'parquet.compression'='ZSTD');

CREATE EXTERNAL TABLE IF NOT EXISTS `custom_patchboardec2tag_history_parquet` (
  `resourcetype` string,
  `resourceid` string,
  `capturetime` timestamp,
  `schemaversion` string,
  `key` string,
  `value` string,
  `valid_from` timestamp,
  `valid_to` timestamp,
  `last_seen` timestamp
)
ROW FORMAT SERDE 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe'
STORED AS INPUTFORMAT 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat'
OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat'
LOCATION 's3://patch-sync-bucket/org/custom_patchboardec2tag_history/'
TBLPROPERTIES ('classification'='parquet', 'parquet.compression'='ZSTD');

CREATE EXTERNAL TABLE IF NOT EXISTS `history_observations_parquet` (
  `type_name` string,
  `resourcetype` string,
  `resourceid` string,
  `first_observed_at` timestamp,
  `last_observed_at` timestamp,
  `gone_at` timestamp
)
ROW FORMAT SERDE 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe'
STORED AS INPUTFORMAT 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat'
OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat'
LOCATION 's3://patch-sync-bucket/org/history_observations/'
TBLPROPERTIES ('classification'='parquet', 'parquet.compression'='ZSTD');

CREATE EXTERNAL TABLE IF NOT EXISTS `history_scans_parquet` (
  `resourcetype` string,
  `resourceid` string,
  `scan_time` timestamp
)
ROW FORMAT SERDE 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe'
STORED AS INPUTFORMAT 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat'
OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat'
LOCATION 's3://patch-sync-bucket/org/history_scans/'
TBLPROPERTIES ('classification'='parquet', 'parquet.compression'='ZSTD');

CREATE EXTERNAL TABLE IF NOT EXISTS `history_reports_parquet` (
  `resourcetype` string,
  `resourceid` string,
  `report_time` timestamp
)
ROW FORMAT SERDE 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe'
STORED AS INPUTFORMAT 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat'
OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat'
LOCATION 's3://patch-sync-bucket/org/history_reports/'
TBLPROPERTIES ('classification'='parquet', 'parquet.compression'='ZSTD');
