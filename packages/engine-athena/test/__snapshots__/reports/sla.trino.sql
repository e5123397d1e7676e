-- parameters: ["MISSING","FAILED","INSTALLED_PENDING_REBOOT","INSTALLED_REJECTED","MISSING","FAILED","INSTALLED_PENDING_REBOOT","INSTALLED_REJECTED","Team",0,"team",1,"Team","team","Environment",0,"environment",1,"Env",2,"env",3,"Environment","environment","Env","env","Team",0,"team",1,"Team","team","Environment",0,"environment",1,"Env",2,"env",3,"Environment","environment","Env","env","(untagged)","(untagged)","Stopped","Terminated","stopping","stopped","shutting-down","terminated","2026-10-24T12:00:00Z","2026-10-24T12:00:00Z","2026-10-31T12:00:00Z","MISSING","FAILED","INSTALLED_PENDING_REBOOT","INSTALLED_REJECTED","2026-10-31T12:00:00Z","2026-10-31T12:00:00Z","LOW",90,"MEDIUM",30,"HIGH",14,"CRITICAL",7]
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
  item_history AS (
    SELECT accountid, region, resourceid, id, title, patchstate, severity, classification, patchbaselineid,
      installedtime, cveids, valid_from, CASE WHEN valid_to > from_iso8601_timestamp(?) THEN NULL ELSE valid_to END AS valid_to,
      last_seen, patchstate IN (?, ?, ?, ?) AS noncompliant
    FROM aws_complianceitem_history
    WHERE compliancetype = 'Patch' AND valid_from <= from_iso8601_timestamp(?)
  ),
  item_cves AS (
    SELECT accountid, region, resourceid, id, title, array_join(array_sort(array_distinct(array_agg(nullif(cveids, '')))), ', ') AS cve_ids
    FROM item_history GROUP BY accountid, region, resourceid, id, title
  ),
  item_marks AS (
    SELECT item_history.*,
      CASE WHEN noncompliant AND NOT coalesce(lag(noncompliant) OVER item AND lag(valid_to) OVER item = valid_from,
        false) THEN 1 ELSE 0 END AS starts_run,
      lead(patchstate) OVER item AS next_state,
      lead(installedtime) OVER item AS next_installed_time,
      lead(valid_from) OVER item AS next_from
    FROM item_history
    WINDOW item AS (PARTITION BY accountid, region, resourceid, id, title ORDER BY valid_from)
  ),
  item_steps AS (
    SELECT item_marks.*, sum(starts_run) OVER (PARTITION BY accountid, region, resourceid, id, title ORDER BY valid_from
      ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS run_number
    FROM item_marks
  ),
  item_run_steps AS (
    SELECT s.accountid, s.region, s.resourceid, s.id, s.title, s.run_number,
      min(s.valid_from) AS run_start,
      bool_or(s.valid_to IS NULL) AS open_now,
      max_by(s.patchstate, s.valid_from) AS state,
      max_by(s.severity, s.valid_from) AS severity,
      max(s.classification) AS classification,
      max(s.patchbaselineid) AS baseline_id,
      max_by(s.next_state, s.valid_from) AS next_state,
      max_by(coalesce(s.next_installed_time, s.next_from), s.valid_from)
        AS next_at,
      max_by(s.installedtime, s.valid_from) AS last_installed_time,
      max(c.cve_ids) AS cve_ids
    FROM item_steps s
    JOIN item_cves c ON c.accountid = s.accountid AND c.region = s.region AND c.resourceid = s.resourceid
      AND c.id = s.id AND c.title = s.title
    WHERE s.noncompliant
    GROUP BY s.accountid, s.region, s.resourceid, s.id, s.title, s.run_number
  ),
  item_runs AS (
    SELECT item_run_steps.*, CASE WHEN next_state IN ('INSTALLED', 'INSTALLED_OTHER') THEN next_at
      WHEN next_state IS NULL AND NOT open_now THEN last_installed_time END AS remediated_at
    FROM item_run_steps
  ),
  item_first_observed AS (
    SELECT accountid, region, resourceid, min(first_observed_at) AS first_observed_at
    FROM history_observations WHERE type_name = 'AWS:ComplianceItem' GROUP BY accountid, region, resourceid
  ),
  patch_releases AS (
    SELECT accountid, region, kbid, CASE WHEN version <> '' THEN regexp_replace(version, '^0:', '') ELSE coalesce(title, '') END AS version_key, min(releasedate) AS release_date
    FROM custom_patchboardcatalogue WHERE releasedate IS NOT NULL
    GROUP BY accountid, region, kbid, CASE WHEN version <> '' THEN regexp_replace(version, '^0:', '') ELSE coalesce(title, '') END
  ),
  open_items AS (
    SELECT f.account_id, f.region, f.node_id, f.name, f.team, f.environment,
      coalesce(f.baseline_id, r.baseline_id) AS baseline_id,
      r.id AS patch_id, r.title, r.state, r.severity, r.classification, r.cve_ids,
      CASE WHEN r.run_start <= o.first_observed_at AND c.release_date < r.run_start
        THEN c.release_date ELSE r.run_start END AS first_seen_noncompliant,
      CASE WHEN CASE WHEN r.run_start <= o.first_observed_at AND c.release_date < r.run_start
        THEN c.release_date ELSE r.run_start END = r.run_start THEN 'first-seen' ELSE 'release-date' END AS start_basis,
      date_diff('day', CAST(CASE WHEN r.run_start <= o.first_observed_at AND c.release_date < r.run_start
        THEN c.release_date ELSE r.run_start END AT TIME ZONE 'UTC' AS date), CAST(from_iso8601_timestamp(?) AT TIME ZONE 'UTC' AS date)) AS days_outstanding
    FROM item_runs r
    JOIN node_facts f ON f.account_id = r.accountid AND f.region = r.region AND f.node_id = r.resourceid
    LEFT JOIN item_first_observed o ON o.accountid = r.accountid AND o.region = r.region
      AND o.resourceid = r.resourceid
    LEFT JOIN patch_releases c ON c.accountid = r.accountid AND c.region = r.region AND c.kbid = r.id
      AND c.version_key = CASE WHEN starts_with(r.title, r.id || ':')
        THEN regexp_replace(substr(r.title, length(r.id) + 2), '^0:', '') ELSE r.title END
    WHERE r.open_now AND f.status <> 'INACTIVE' AND TRUE
  ),
  judged AS (SELECT open_items.*, CASE WHEN severity = ? THEN ? WHEN severity = ? THEN ? WHEN severity = ? THEN ? WHEN severity = ? THEN ? END AS allowed_days FROM open_items)
SELECT team, environment, severity, max(allowed_days) AS allowed_days, count(*) AS open_items,
  count(*) FILTER (WHERE days_outstanding > allowed_days) AS breaches,
  count(DISTINCT account_id || '/' || region || '/' || node_id)
    FILTER (WHERE days_outstanding > allowed_days) AS nodes_in_breach,
  max(days_outstanding) AS oldest_days
FROM judged
GROUP BY team, environment, severity

ORDER BY team, environment, CASE severity WHEN 'CRITICAL' THEN 0 WHEN 'HIGH' THEN 1 WHEN 'MEDIUM' THEN 2
  WHEN 'LOW' THEN 3 WHEN 'INFORMATIONAL' THEN 4 ELSE 5 END
