import { type Command, Option } from 'commander';
import { formatInstant, runTrend, TREND_GROUPS, type TrendGroup, type TrendPeriod } from '@patchboard/core';
import { reportContext, resolveContext, type GlobalOptions } from '../context.js';
import { printResult, withQueryEngine } from '../print.js';
import { instantOption } from './changes.js';

export function registerTrend(program: Command): void {
  program
    .command('trend')
    .description(
      'Compliance % at the end of each day or week, from history; optionally per team, environment, account …',
    )
    .requiredOption('--from <when>', 'first day (2026-10-01) or instant')
    .option('--to <when>', 'last day or instant (default: the evaluation time)')
    .addOption(new Option('--every <period>', 'one point per').choices(['day', 'week']).default('day'))
    .addOption(new Option('--by <group>', 'one line per').choices(TREND_GROUPS).default('none'))
    .action(
      async (
        options: { from: string; to?: string; every: TrendPeriod; by: TrendGroup },
        command: Command,
      ) => {
        const context = await resolveContext(command.optsWithGlobals<GlobalOptions>());
        const from = instantOption(
          '--from',
          options.from.length === 10 ? `${options.from}T00:00:00Z` : options.from,
        );
        const to = options.to === undefined ? context.now : instantOption('--to', options.to);
        await withQueryEngine(context, async (engine) => {
          const result = await runTrend(
            engine,
            { from, to, every: options.every, by: options.by },
            reportContext(context, engine),
          );
          await printResult(context, {
            report: 'trend',
            title: 'Compliance trend',
            params: {
              from: formatInstant(from),
              to: formatInstant(to),
              every: options.every,
              by: options.by,
            },
            result,
          });
        });
      },
    );
}
