/**
 * Non-compliant runs of patch items, from history: the facts behind overdue patches, SLAs, time to remediate
 * and CVE evidence.
 *
 * An item is one patch release on one node: (account, region, node, Id, Title). The Title carries the version,
 * so a newer release of the same package (same Id) is another item, as it is another advisory. A run is an
 * unbroken sequence of the item's history intervals in a non-compliant state (Missing, Failed, pending reboot,
 * rejected), back to back; it starts when first seen non-compliant and is remediated by the compliant state
 * that follows it (Installed or InstalledOther), at that record's InstalledTime — or, when the item stopped being
 * reported while installed and pending a reboot (a newer release superseded it), at the InstalledTime it had.
 *
 * History is read as it stood at the evaluation time: intervals opened later are ignored, closed later are open.
 */
import { formatInstant } from '../timestamp.js';
import { NON_COMPLIANT_PATCH_STATES } from '../patch-state.js';
import { sql, type SqlFragment } from '../sql.js';
import type { Dialect } from '../dialect.js';
import type { ReportContext } from './report.js';

/**
 * The classifications that mean "security" across operating systems (Amazon Linux, RHEL, Ubuntu, Windows), in
 * any case: SUSE's zypper writes `security` (docs/data-format.md), and the agent's own security count compares
 * case-insensitively.
 */
export const SECURITY_CLASSIFICATIONS = ['Security', 'SecurityUpdates', 'CriticalUpdates'] as const;
const SECURITY_LOWER = SECURITY_CLASSIFICATIONS.map((c) => c.toLowerCase());

const ITEM = sql.raw('accountid, region, resourceid, id, title');

/** The table engine-duckdb keeps of `item_runs` as history stands (derived.ts). */
export const ITEM_RUNS_TABLE = 'derived_item_runs';

/**
 * The common table expressions ending in `item_runs`, derived from history as it stood at `at` (epoch
 * milliseconds), or from all of it: one row per run with `run_start`, `open_now`, `remediated_at`, the item's
 * last state, severity, classification and every CVE it ever carried. `only` narrows the history read to whole
 * items (a condition on node or patch id).
 */
export function itemRunsFromHistory(
  dialect: Dialect,
  at: number | undefined,
  only?: SqlFragment,
): SqlFragment {
  const until = at === undefined ? undefined : dialect.instant(formatInstant(at));
  const noncompliant = sql`patchstate IN ${sql.list(NON_COMPLIANT_PATCH_STATES)}`;
  const conditions = [sql`compliancetype = 'Patch'`];
  if (until) conditions.push(sql`valid_from <= ${until}`);
  if (only) conditions.push(only);
  return sql`item_history AS (
    SELECT accountid, region, resourceid, id, title, patchstate, severity, classification, patchbaselineid,
      installedtime, cveids, valid_from, ${until ? sql`CASE WHEN valid_to > ${until} THEN NULL ELSE valid_to END` : sql`valid_to`} AS valid_to,
      last_seen, ${noncompliant} AS noncompliant
    FROM aws_complianceitem_history
    WHERE ${sql.join(conditions, ' AND ')}
  ),
  item_cves AS (
    SELECT ${ITEM}, ${dialect.stringAgg(sql.raw("nullif(cveids, '')"))} AS cve_ids
    FROM item_history GROUP BY ${ITEM}
  ),
  item_marks AS (
    SELECT item_history.*,
      CASE WHEN noncompliant AND NOT coalesce(lag(noncompliant) OVER item AND lag(valid_to) OVER item = valid_from,
        false) THEN 1 ELSE 0 END AS starts_run,
      lead(patchstate) OVER item AS next_state,
      lead(installedtime) OVER item AS next_installed_time,
      lead(valid_from) OVER item AS next_from
    FROM item_history
    WINDOW item AS (PARTITION BY ${ITEM} ORDER BY valid_from)
  ),
  item_steps AS (
    SELECT item_marks.*, sum(starts_run) OVER (PARTITION BY ${ITEM} ORDER BY valid_from
      ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS run_number
    FROM item_marks
  ),
  item_run_steps AS (
    SELECT s.accountid, s.region, s.resourceid, s.id, s.title, s.run_number,
      min(s.valid_from) AS run_start,
      bool_or(s.valid_to IS NULL) AS open_now,
      ${dialect.maxBy(sql.raw('s.patchstate'), sql.raw('s.valid_from'))} AS state,
      ${dialect.maxBy(sql.raw('s.severity'), sql.raw('s.valid_from'))} AS severity,
      max(s.classification) AS classification,
      max(s.patchbaselineid) AS baseline_id,
      ${dialect.maxBy(sql.raw('s.next_state'), sql.raw('s.valid_from'))} AS next_state,
      ${dialect.maxBy(sql.raw('coalesce(s.next_installed_time, s.next_from)'), sql.raw('s.valid_from'))}
        AS next_at,
      ${dialect.maxBy(sql.raw('s.installedtime'), sql.raw('s.valid_from'))} AS last_installed_time,
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
  )`;
}

/**
 * The CTE `item_runs` at the evaluation time. The engine's table holds from the newest change of history on;
 * an earlier evaluation time (`--now`, `--as-of` in the past) reads history as it stood then.
 */
export function itemRunsCte(context: ReportContext, only?: SqlFragment): SqlFragment {
  const derived = context.dialect.derived;
  if (derived && (derived.itemRunsFrom === null || context.now >= derived.itemRunsFrom)) {
    return sql`item_runs AS (SELECT * FROM ${sql.raw(ITEM_RUNS_TABLE)}${only ? sql` WHERE ${only}` : sql``})`;
  }
  return itemRunsFromHistory(context.dialect, context.now, only);
}

/** A node's runs as the node page lists them (node-detail.ts), from `item_runs`. */
export const RUN_HISTORY_COLUMNS = sql.raw(`id AS patch_id, title, severity, classification,
  run_start AS first_seen_noncompliant,
  CASE WHEN remediated_at IS NOT NULL THEN 'REMEDIATED' WHEN open_now THEN state ELSE 'NO_LONGER_REPORTED' END AS outcome,
  remediated_at, cve_ids`);

/** A classification filter: `security` (the default), `any`, or one classification as written. */
export function classificationFilter(column: SqlFragment, classification: string): SqlFragment {
  if (classification === 'any') return sql`TRUE`;
  if (classification === 'security') return sql`lower(${column}) IN ${sql.list(SECURITY_LOWER)}`;
  return sql`${column} = ${classification}`;
}
