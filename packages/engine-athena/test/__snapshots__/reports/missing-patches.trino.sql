-- parameters: ["MISSING","FAILED","INSTALLED_PENDING_REBOOT","INSTALLED_REJECTED","MISSING","FAILED","INSTALLED_PENDING_REBOOT","INSTALLED_REJECTED","Team",0,"team",1,"Team","team","Environment",0,"environment",1,"Env",2,"env",3,"Environment","environment","Env","env","Team",0,"team",1,"Team","team","Environment",0,"environment",1,"Env",2,"env",3,"Environment","environment","Env","env","(untagged)","(untagged)","Stopped","Terminated","stopping","stopped","shutting-down","terminated","2026-10-24T12:00:00Z","2026-10-24T12:00:00Z","MISSING","FAILED","INSTALLED_PENDING_REBOOT","INSTALLED_REJECTED"]
WITH nodes AS (
    SELECT accountid, region, resourceid FROM aws_instanceinformation
    UNION SELECT accountid, region, resourceid FROM aws_patchsummary
    UNION SELECT accountid, region, resourceid FROM aws_complianceitem WHERE compliancetype = 'Patch'
    UNION SELECT accountid, region, resourceid FROM custom_patchboardec2instance
  ),
  info AS (
    SELECT accountid, region, resourceid, max(capturetime) AS agent_report_time,
      max(instancestatus) AS instance_status,
      max(platformtype) AS platform_type, max(platformname) AS platform_name,
      max(agentversion) AS agent_version, max(computername) AS computer_name
    FROM aws_instanceinformation GROUP BY accountid, region, resourceid
  ),
  summary AS (
    SELECT accountid, region, resourceid, max(baselineid) AS baseline_id, max(patchgroup) AS patch_group,
      max(operationendtime) AS scan_time, max(missingcount) AS missing, max(failedcount) AS failed,
      max(installedpendingrebootcount) AS pending_reboot, max(installedrejectedcount) AS rejected,
      max(criticalnoncompliantcount) AS critical, max(noncompliantseverity) AS severity
    FROM aws_patchsummary GROUP BY accountid, region, resourceid
  ),
  items AS (
    SELECT accountid, region, resourceid, count(*) AS patch_items,
      count(*) FILTER (WHERE patchstate = 'MISSING') AS missing,
      count(*) FILTER (WHERE patchstate = 'FAILED') AS failed,
      count(*) FILTER (WHERE patchstate = 'INSTALLED_PENDING_REBOOT') AS pending_reboot,
      count(*) FILTER (WHERE patchstate = 'INSTALLED_REJECTED') AS rejected,
      count(*) FILTER (WHERE patchstate IN (?, ?, ?, ?) AND severity = 'CRITICAL') AS critical,
      max(CASE WHEN patchstate IN (?, ?, ?, ?) THEN CASE severity WHEN 'CRITICAL' THEN 5 WHEN 'HIGH' THEN 4 WHEN 'MEDIUM' THEN 3
      WHEN 'LOW' THEN 2 WHEN 'INFORMATIONAL' THEN 1 WHEN 'UNSPECIFIED' THEN 0 END END) AS severity_rank,
      max(capturetime) AS scan_time, max(patchbaselineid) AS baseline_id, max(patchgroup) AS patch_group
    FROM aws_complianceitem WHERE compliancetype = 'Patch' GROUP BY accountid, region, resourceid
  ),
  tags AS (
    SELECT accountid, region, resourceid,
      min_by(value, CASE WHEN key = ? THEN ? WHEN key = ? THEN ? END) FILTER (WHERE key IN (?, ?)) AS team,
      min_by(value, CASE WHEN key = ? THEN ? WHEN key = ? THEN ? WHEN key = ? THEN ? WHEN key = ? THEN ? END) FILTER (WHERE key IN (?, ?, ?, ?)) AS environment,
      max(value) FILTER (WHERE key = 'Name') AS name,
      max(value) FILTER (WHERE key = 'Patch Group') AS patch_group
    FROM aws_tag GROUP BY accountid, region, resourceid
  ),
  ec2 AS (
    SELECT accountid, region, resourceid, max(state) AS instance_state, max(platform) AS platform
    FROM custom_patchboardec2instance GROUP BY accountid, region, resourceid
  ),
  ec2_tags AS (
    SELECT accountid, region, resourceid,
      min_by(value, CASE WHEN key = ? THEN ? WHEN key = ? THEN ? END) FILTER (WHERE key IN (?, ?)) AS team,
      min_by(value, CASE WHEN key = ? THEN ? WHEN key = ? THEN ? WHEN key = ? THEN ? WHEN key = ? THEN ? END) FILTER (WHERE key IN (?, ?, ?, ?)) AS environment,
      max(value) FILTER (WHERE key = 'Name') AS name,
      max(value) FILTER (WHERE key = 'Patch Group') AS patch_group
    FROM custom_patchboardec2tag GROUP BY accountid, region, resourceid
  ),
  facts AS (
    SELECT n.accountid AS account_id, n.region, n.resourceid AS node_id, coalesce(t.name, et.name) AS name,
      coalesce(info.platform_name, info.platform_type, ec2.platform) AS platform, info.platform_type,
      info.instance_status, ec2.instance_state, info.agent_report_time, (ec2.resourceid IS NOT NULL) AS listed,
      info.agent_version, coalesce(t.team, et.team, ?) AS team,
      coalesce(t.environment, et.environment, ?) AS environment,
      coalesce(nullif(i.patch_group, ''), nullif(s.patch_group, ''), t.patch_group, et.patch_group) AS patch_group,
      coalesce(s.baseline_id, i.baseline_id) AS baseline_id,
      (s.resourceid IS NOT NULL OR i.resourceid IS NOT NULL) AS has_patch_data,
      CASE WHEN i.patch_items > 0 THEN i.missing ELSE coalesce(s.missing, 0) END AS missing_count,
      CASE WHEN i.patch_items > 0 THEN i.failed ELSE coalesce(s.failed, 0) END AS failed_count,
      CASE WHEN i.patch_items > 0 THEN i.pending_reboot ELSE coalesce(s.pending_reboot, 0) END AS pending_reboot_count,
      CASE WHEN i.patch_items > 0 THEN i.rejected ELSE coalesce(s.rejected, 0) END AS installed_rejected_count,
      CASE WHEN i.patch_items > 0 THEN i.critical ELSE coalesce(s.critical, 0) END AS critical_noncompliant_count,
      CASE WHEN i.patch_items > 0 THEN CASE i.severity_rank WHEN 5 THEN 'CRITICAL' WHEN 4 THEN 'HIGH'
      WHEN 3 THEN 'MEDIUM' WHEN 2 THEN 'LOW' WHEN 1 THEN 'INFORMATIONAL' WHEN 0 THEN 'UNSPECIFIED' END ELSE s.severity END
        AS highest_severity,
      coalesce(s.scan_time, i.scan_time) AS last_scan_time
    FROM nodes n
    LEFT JOIN info ON info.accountid = n.accountid AND info.region = n.region AND info.resourceid = n.resourceid
    LEFT JOIN summary s ON s.accountid = n.accountid AND s.region = n.region AND s.resourceid = n.resourceid
    LEFT JOIN items i ON i.accountid = n.accountid AND i.region = n.region AND i.resourceid = n.resourceid
    LEFT JOIN tags t ON t.accountid = n.accountid AND t.region = n.region AND t.resourceid = n.resourceid
    LEFT JOIN ec2 ON ec2.accountid = n.accountid AND ec2.region = n.region AND ec2.resourceid = n.resourceid
    LEFT JOIN ec2_tags et ON et.accountid = n.accountid AND et.region = n.region AND et.resourceid = n.resourceid
  ),
  node_facts AS (
    SELECT facts.*,
      CASE
        WHEN instance_status IN (?, ?) THEN 'INACTIVE'
        WHEN instance_state IN (?, ?, ?, ?) THEN 'INACTIVE'
        WHEN instance_state IS NOT NULL AND (agent_report_time IS NULL OR agent_report_time < from_iso8601_timestamp(?))
          THEN 'UNMANAGED'
        WHEN NOT has_patch_data THEN 'NOT_SCANNED'
        WHEN missing_count + failed_count + pending_reboot_count + installed_rejected_count > 0 THEN 'NON_COMPLIANT'
        WHEN last_scan_time IS NULL OR last_scan_time < from_iso8601_timestamp(?) THEN 'STALE'
        ELSE 'COMPLIANT'
      END AS status
    FROM facts
  ),
noncompliant_items AS (SELECT accountid, region, resourceid, id, patchstate, title, classification, severity, patchseverity,
    cveids
  FROM aws_complianceitem
  WHERE compliancetype = 'Patch' AND patchstate IN (?, ?, ?, ?))
SELECT ci.id AS patch_id, ci.patchstate AS state, max(ci.title) AS title, max(ci.classification) AS classification,
  max(ci.severity) AS severity, max(ci.patchseverity) AS patch_severity, count(*) AS node_count,
  array_join(array_sort(array_distinct(array_agg(nullif(ci.cveids, '')))), ', ') AS cve_ids
FROM noncompliant_items ci
JOIN node_facts f ON f.account_id = ci.accountid AND f.region = ci.region AND f.node_id = ci.resourceid
WHERE f.status <> 'INACTIVE'
GROUP BY ci.id, ci.patchstate
ORDER BY node_count DESC, patch_id, state
