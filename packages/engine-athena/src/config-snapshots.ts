/**
 * AWS Config snapshots on Athena: the same EC2 instance list the DuckDB ingest derives from them
 * (engine-duckdb config-snapshots.ts, core config-snapshot.ts), as SQL over the delivered objects.
 *
 * One table (schema.ts, `configSnapshotTable`) reads every object under the Config `AWSLogs/` root (the recipe's `aws_config_snapshot` shape,
 * unpartitioned like the inventory tables, for the same reasons). The rows for `custom_patchboardec2instance`
 * and `custom_patchboardec2tag` come from the newest snapshot of each account and Region, found by the delivery
 * time in the object's name, so a new account's instances appear with its first snapshot.
 *
 * The OpenX SerDe may hand nested objects over as text with their keys lower-cased, so every JSON path into
 * `configuration` is tried in Config's spelling and in lower case.
 */
import { EC2_INSTANCE_TYPE, EC2_TAG_TYPE } from '@patchboard/core';

export const CONFIG_SNAPSHOT_TABLE = 'aws_config_snapshot_json';

/**
 * `"$path"` of a snapshot object (core's parseConfigSnapshotKey): groups 1 account and 2 Region of the folder,
 * 3 and 4 as the file names them (they must agree; no back-references, which not every regex engine has),
 * 5 the delivery time.
 */
const SNAPSHOT_PATH =
  '/AWSLogs/(\\d{12})/Config/([a-z]{2}(?:-[a-z]+)+-\\d{1,2})/\\d{4}/\\d{1,2}/\\d{1,2}/ConfigSnapshot/(\\d{12})_Config_([a-z0-9-]+)_ConfigSnapshot_(\\d{8}T\\d{6}Z)_[A-Za-z0-9-]+\\.json(?:\\.gz)?$';
const INSTANCE_ID = '^i-[0-9a-f]{8,32}$';

/** A string from the item's `configuration` text, in Config's key spelling or lower-cased. */
const field = (path: string) =>
  `coalesce(json_extract_scalar(i.item.configuration, '${path}'), json_extract_scalar(i.item.configuration, '${path.toLowerCase()}'))`;

/** The verdict of the rule whose name contains `rule`, from the rule object inside the compliance item's text. */
function ruleVerdict(rule: string): string {
  const object = `regexp_extract(i.item.configuration, '(?i)\\{[^{}]*${rule}[^{}]*\\}', 0)`;
  return `upper(max(coalesce(json_extract_scalar(${object}, '$.complianceType'), json_extract_scalar(${object}, '$.compliancetype'))))`;
}

/**
 * The EC2 instance items of the newest snapshot per account and Region, the first of any repeated id: the
 * common table expressions `config_items` and `config_instances`.
 */
function configCte(): string {
  const extract = (group: number) => `regexp_extract(s."$path", '${SNAPSHOT_PATH}', ${group})`;
  return `config_snapshots AS (
  SELECT s.configurationitems AS items, s."$path" AS path, ${extract(1)} AS accountid, ${extract(2)} AS region,
    ${extract(5)} AS delivered_at
  FROM ${CONFIG_SNAPSHOT_TABLE} s
  WHERE ${extract(3)} = ${extract(1)} AND ${extract(4)} = ${extract(2)}
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
    ${field('$.targetResourceId')} AS instance_id,
    ${ruleVerdict('ec2-instance-managed-by-systems-manager')} AS managed,
    ${ruleVerdict('ec2-managedinstance-patch-compliance-status-check')} AS patch
  FROM config_items i
  WHERE i.item.resourcetype = 'AWS::Config::ResourceCompliance'
  GROUP BY 1, 2, 3
),
config_instances AS (
  SELECT * FROM (
    SELECT i.accountid, i.region, i.item, row_number() OVER (
      PARTITION BY i.accountid, i.region, i.item.resourceid ORDER BY i.position) AS repeat
    FROM config_items i
    WHERE i.item.resourcetype = 'AWS::EC2::Instance' AND regexp_like(i.item.resourceid, '${INSTANCE_ID}')
      AND i.item.awsaccountid = i.accountid AND i.item.awsregion = i.region
      AND try(from_iso8601_timestamp(i.item.configurationitemcapturetime)) IS NOT NULL
  ) WHERE repeat = 1
)`;
}

const instant = (text: string) => `try(from_iso8601_timestamp(${text}) AT TIME ZONE 'UTC')`;

/** Rows of `custom_patchboardec2instance` (all its columns, in table order) from the newest snapshots. */
function configInstanceRows(): string {
  return `WITH ${configCte()}
SELECT i.accountid, i.region, CAST('EC2Instance' AS varchar) AS resourcetype, i.item.resourceid AS resourceid,
  ${instant('i.item.configurationitemcapturetime')} AS capturetime, CAST('1.0' AS varchar) AS schemaversion,
  i.item.resourceid AS instanceid, ${field('$.state.name')} AS state,
  ${instant(field('$.launchTime'))} AS launchtime,
  coalesce(${field('$.platformDetails')}, ${field('$.platform')}) AS platform,
  ${field('$.instanceType')} AS instancetype, ${field('$.imageId')} AS imageid,
  CAST('config' AS varchar) AS source, v.managed AS managedrulecompliance, v.patch AS patchrulecompliance
FROM config_instances i
LEFT JOIN config_verdicts v ON v.accountid = i.accountid AND v.region = i.region
  AND v.instance_id = i.item.resourceid`;
}

/** Rows of `custom_patchboardec2tag` from the instances' `configuration.tags` (`[{key, value}]`). */
function configTagRows(): string {
  return `WITH ${configCte()}
SELECT i.accountid, i.region, CAST('EC2Instance' AS varchar) AS resourcetype, i.item.resourceid AS resourceid,
  ${instant('i.item.configurationitemcapturetime')} AS capturetime, CAST('1.0' AS varchar) AS schemaversion,
  element_at(t.tag, 'key') AS key, element_at(t.tag, 'value') AS value
FROM config_instances i
CROSS JOIN UNNEST(CAST(json_extract(i.item.configuration, '$.tags') AS array(map(varchar, varchar)))) AS t(tag)`;
}

/** The inventory types whose Athena views add the Config rows. */
export const CONFIG_DERIVED = new Map([
  [EC2_INSTANCE_TYPE, configInstanceRows],
  [EC2_TAG_TYPE, configTagRows],
]);
