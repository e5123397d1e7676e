import { type Command, Option } from 'commander';
import { compileReport, formatInstant, PatchboardError, type ResultRow } from '@patchboard/core';
import { reportContext, resolveContext, type GlobalOptions } from '../context.js';
import { printResult, withQueryEngine } from '../print.js';
import { instantOption } from './changes.js';

const DAY_MS = 86_400_000;
/** A trend over more points than this is a mistake (years of days); say so rather than run for minutes. */
const MAX_POINTS = 400;
const GROUPS = ['none', 'team', 'environment', 'account', 'region', 'baseline'] as const;

/** The end of each UTC day (or each 7th day, ending on `to`'s) from `from` to `to`; the last no later than `to`. */
export function trendPoints(from: number, to: number, every: 'day' | 'week'): number[] {
  const dayEnd = (t: number) => Math.floor(t / DAY_MS) * DAY_MS + DAY_MS - 1000;
  const step = every === 'day' ? DAY_MS : 7 * DAY_MS;
  const points: number[] = [];
  for (let t = dayEnd(to); t >= from; t -= step) points.unshift(Math.min(t, to));
  return points;
}

export function registerTrend(program: Command): void {
  program
    .command('trend')
    .description(
      'Compliance % at the end of each day or week, from history; optionally per team, environment, account …',
    )
    .requiredOption('--from <when>', 'first day (2026-10-01) or instant')
    .option('--to <when>', 'last day or instant (default: the evaluation time)')
    .addOption(new Option('--every <period>', 'one point per').choices(['day', 'week']).default('day'))
    .addOption(new Option('--by <group>', 'one line per').choices(GROUPS).default('none'))
    .action(
      async (
        options: { from: string; to?: string; every: 'day' | 'week'; by: (typeof GROUPS)[number] },
        command: Command,
      ) => {
        const context = await resolveContext(command.optsWithGlobals<GlobalOptions>());
        const from = instantOption(
          '--from',
          options.from.length === 10 ? `${options.from}T00:00:00Z` : options.from,
        );
        const to = options.to === undefined ? context.now : instantOption('--to', options.to);
        const points = trendPoints(from, to, options.every);
        if (points.length === 0 || points.length > MAX_POINTS) {
          throw new PatchboardError(
            'USAGE',
            `--from ${options.from} to --to ${options.to ?? 'now'} gives ${points.length} points; give a range with 1 to ${MAX_POINTS} ${options.every}s.`,
          );
        }
        const groupBy = options.by === 'none' ? 'none' : options.by;
        await withQueryEngine(context, async (engine) => {
          const rows: ResultRow[] = [];
          let columns;
          for (const at of points) {
            const compiled = compileReport(
              'fleet-summary',
              { 'group-by': groupBy },
              { ...reportContext(context, engine), now: at },
            );
            const result = await engine.run(compiled.query, { asOf: at });
            columns ??= [{ name: 'at', type: 'timestamp' as const }, ...result.columns];
            for (const row of result.rows) rows.push({ at: formatInstant(at), ...row });
          }
          await printResult(context, {
            report: 'trend',
            title: 'Compliance trend',
            params: {
              from: formatInstant(from),
              to: formatInstant(to),
              every: options.every,
              by: options.by,
            },
            result: { columns: columns ?? [], rows },
          });
        });
      },
    );
}
