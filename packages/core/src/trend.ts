/**
 * Compliance over time: the fleet summary evaluated at the end of each UTC day (or week) from history. The CLI's
 * `trend` and the dashboard's Trends page both ask this, so the points and the rows are the same.
 */
import type { QueryEngine, QueryResult, ResultRow } from './engine.js';
import { PatchboardError } from './errors.js';
import { compileReport } from './reports/catalogue.js';
import type { ReportContext } from './reports/report.js';
import { formatInstant } from './timestamp.js';

const DAY_MS = 86_400_000;
/** A trend over more points than this is a mistake (years of days); say so rather than run for minutes. */
export const MAX_TREND_POINTS = 400;
export const TREND_GROUPS = ['none', 'team', 'environment', 'account', 'region', 'baseline'] as const;
export type TrendGroup = (typeof TREND_GROUPS)[number];
export type TrendPeriod = 'day' | 'week';

export interface TrendRequest {
  /** Epoch milliseconds. */
  readonly from: number;
  readonly to: number;
  readonly every: TrendPeriod;
  readonly by: TrendGroup;
  /** Only this team's nodes (the Team tag's value, `(untagged)` for none). */
  readonly team?: string;
}

/** The end of each UTC day (or each 7th day, ending on `to`'s) from `from` to `to`; the last no later than `to`. */
export function trendPoints(from: number, to: number, every: TrendPeriod): number[] {
  const dayEnd = (t: number) => Math.floor(t / DAY_MS) * DAY_MS + DAY_MS - 1000;
  const step = every === 'day' ? DAY_MS : 7 * DAY_MS;
  const points: number[] = [];
  for (let t = dayEnd(to); t >= from; t -= step) points.unshift(Math.min(t, to));
  return points;
}

/** One row per point (and group): `at` followed by the fleet-summary columns as history knew them then. */
export async function runTrend(
  engine: QueryEngine,
  request: TrendRequest,
  context: ReportContext,
): Promise<QueryResult> {
  const points = trendPoints(request.from, request.to, request.every);
  if (points.length === 0 || points.length > MAX_TREND_POINTS) {
    throw new PatchboardError(
      'USAGE',
      `From ${formatInstant(request.from)} to ${formatInstant(request.to)} gives ${points.length} points; give a range with 1 to ${MAX_TREND_POINTS} ${request.every}s.`,
    );
  }
  const rows: ResultRow[] = [];
  let columns;
  for (const at of points) {
    const compiled = compileReport(
      'fleet-summary',
      { 'group-by': request.by, ...(request.team === undefined ? {} : { team: request.team }) },
      { ...context, now: at },
    );
    const result = await engine.run(compiled.query, { asOf: at });
    columns ??= [{ name: 'at', type: 'timestamp' as const }, ...result.columns];
    for (const row of result.rows) rows.push({ at: formatInstant(at), ...row });
  }
  return { columns: columns ?? [], rows };
}
