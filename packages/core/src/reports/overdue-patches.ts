import * as z from 'zod';
import { formatInstant } from '../timestamp.js';
import { SEVERITIES } from '../patch-state.js';
import { sql, type SqlFragment } from '../sql.js';
import { classificationFilter, itemRunsCte } from './item-runs.js';
import { nodeFactsCte } from './node-facts.js';
import { defineReport, type ReportContext } from './report.js';

export const overdueParams = z
  .object({
    minDays: z.coerce.number().int().min(0).max(3650).default(14),
    /** `security` (Security, SecurityUpdates, CriticalUpdates), `any`, or one classification as written. */
    classification: z.string().min(1).default('security'),
    severity: z.enum(SEVERITIES).optional(),
    team: z.string().optional(),
    by: z.enum(['node', 'baseline', 'team-environment']).default('node'),
  })
  .strict();

/** Without a leading zero epoch: `0:1.1.1k-1` and `1.1.1k-1` name the same version. */
const withoutZeroEpoch = (version: string) => `regexp_replace(${version}, '^0:', '')`;
/** A catalogue row's version (`epoch:version-release` from DescribeAvailablePatches), else its title. */
const CATALOGUE_VERSION_KEY = sql.raw(
  `CASE WHEN version <> '' THEN ${withoutZeroEpoch('version')} ELSE coalesce(title, '') END`,
);
/** An item's version: what its Title carries after `Id:` (Linux), else the whole Title (Windows). */
const ITEM_VERSION_KEY = sql.raw(`CASE WHEN starts_with(r.title, r.id || ':')
        THEN ${withoutZeroEpoch('substr(r.title, length(r.id) + 2)')} ELSE r.title END`);

/**
 * CTE `open_items`: the items non-compliant at the evaluation time on active nodes, with the start of their
 * current run and how many UTC calendar days it has lasted. Shared with the SLA report.
 *
 * The start is when the item was first seen non-compliant. When that is the node's first observation, history
 * does not know how long before it the item was already missing; if the patch catalogue (`patchboard collect`)
 * has the patch's release date, and it is earlier, the run is taken to start at the release — no patch is missing
 * before it exists — and `start_basis` says `release-date` instead of `first-seen`.
 *
 * The release is that of the missing *version*. A Linux item is a package (`Id` = `name.arch`) whose Title
 * carries the version (`name.arch:epoch:version-release`), and the catalogue has one row per version: matching
 * on the id alone would date an openssl update by the package's oldest release, years back. So an item matches
 * the catalogue row of its id and version (epoch 0 written or not); an item whose Title carries no version
 * (Windows: the update's title) matches the row of its id and title.
 */
export function openItemsCte(context: ReportContext, filters: SqlFragment[] = []): SqlFragment {
  const at = context.dialect.instant(formatInstant(context.now));
  const start = sql.raw(`CASE WHEN r.run_start <= o.first_observed_at AND c.release_date < r.run_start
        THEN c.release_date ELSE r.run_start END`);
  return sql`${nodeFactsCte(context)},
  ${itemRunsCte(context)},
  item_first_observed AS (
    SELECT accountid, region, resourceid, min(first_observed_at) AS first_observed_at
    FROM history_observations WHERE type_name = 'AWS:ComplianceItem' GROUP BY accountid, region, resourceid
  ),
  patch_releases AS (
    SELECT accountid, region, kbid, ${CATALOGUE_VERSION_KEY} AS version_key, min(releasedate) AS release_date
    FROM custom_patchboardcatalogue WHERE releasedate IS NOT NULL
    GROUP BY accountid, region, kbid, ${CATALOGUE_VERSION_KEY}
  ),
  open_items AS (
    SELECT f.account_id, f.region, f.node_id, f.name, f.team, f.environment,
      coalesce(f.baseline_id, r.baseline_id) AS baseline_id,
      r.id AS patch_id, r.title, r.state, r.severity, r.classification, r.cve_ids,
      ${start} AS first_seen_noncompliant,
      CASE WHEN ${start} = r.run_start THEN 'first-seen' ELSE 'release-date' END AS start_basis,
      ${context.dialect.utcDaysBetween(start, at)} AS days_outstanding
    FROM item_runs r
    JOIN node_facts f ON f.account_id = r.accountid AND f.region = r.region AND f.node_id = r.resourceid
    LEFT JOIN item_first_observed o ON o.accountid = r.accountid AND o.region = r.region
      AND o.resourceid = r.resourceid
    LEFT JOIN patch_releases c ON c.accountid = r.accountid AND c.region = r.region AND c.kbid = r.id
      AND c.version_key = ${ITEM_VERSION_KEY}
    WHERE r.open_now AND f.status <> 'INACTIVE'${sql.join(
      filters.map((filter) => sql` AND ${filter}`),
      '',
    )}
  )`;
}

export const overduePatches = defineReport({
  id: 'overdue-patches',
  title: 'Overdue patches',
  description:
    'Patches non-compliant on active nodes for at least minDays UTC calendar days (default 14, security classifications), per node, baseline or Team x Environment.',
  requires: { history: 'to date when each item was first seen missing' },
  params: overdueParams,
  compile(params, context) {
    const filters = [classificationFilter(sql.raw('r.classification'), params.classification)];
    if (params.severity) filters.push(sql`r.severity = ${params.severity}`);
    if (params.team) filters.push(sql`f.team = ${params.team}`);
    const cte = sql`WITH ${openItemsCte(context, filters)},
  overdue AS (SELECT * FROM open_items WHERE days_outstanding >= ${params.minDays})`;
    const summary = sql`count(DISTINCT account_id || '/' || region || '/' || node_id) AS nodes, count(*) AS items,
  count(*) FILTER (WHERE severity = 'CRITICAL') AS critical_items, max(days_outstanding) AS oldest_days`;
    switch (params.by) {
      case 'node':
        return sql`${cte}
SELECT account_id, region, node_id, name, team, environment, baseline_id, patch_id, title, state, severity,
  classification, cve_ids, first_seen_noncompliant, start_basis, days_outstanding
FROM overdue
ORDER BY days_outstanding DESC, account_id, region, node_id, patch_id, title`;
      case 'baseline':
        return sql`${cte}
SELECT baseline_id, ${summary}
FROM overdue GROUP BY baseline_id ORDER BY items DESC, baseline_id`;
      case 'team-environment':
        return sql`${cte}
SELECT team, environment, ${summary}
FROM overdue GROUP BY team, environment ORDER BY team, environment`;
    }
  },
});
