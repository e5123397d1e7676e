import type { Command } from 'commander';
import {
  compareFleets,
  compileReport,
  formatInstant,
  parseIsoInstant,
  PatchboardError,
} from '@patchboard/core';
import { reportContext, resolveContext, type GlobalOptions } from '../context.js';
import { printResult, withQueryEngine } from '../print.js';

/** An instant option: a full ISO time, or a date meaning the end of that UTC day. */
export function instantOption(flag: string, value: string): number {
  const parsed = parseIsoInstant(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T23:59:59Z` : value);
  if (parsed === undefined) {
    throw new PatchboardError(
      'USAGE',
      `${flag} ${JSON.stringify(value)} is neither a date (2026-10-31, meaning its last second UTC) nor an ISO-8601 time.`,
    );
  }
  return parsed;
}

export function registerChanges(program: Command): void {
  program
    .command('changes')
    .description(
      'What changed between two instants: new and gone nodes, newly non-compliant, fixed, other status moves, baseline changes',
    )
    .requiredOption('--from <when>', 'the earlier instant, or a date meaning the end of that UTC day')
    .option('--to <when>', 'the later instant or date (default: the evaluation time)')
    .action(async (options: { from: string; to?: string }, command: Command) => {
      const context = await resolveContext(command.optsWithGlobals<GlobalOptions>());
      const from = instantOption('--from', options.from);
      const to = options.to === undefined ? context.now : instantOption('--to', options.to);
      if (from >= to) {
        throw new PatchboardError(
          'USAGE',
          `--from must be before --to; got ${options.from} and ${options.to ?? 'now'}.`,
        );
      }
      await withQueryEngine(context, async (engine) => {
        const fleetAt = async (at: number) =>
          (
            await engine.run(
              compileReport('node-compliance', {}, { ...reportContext(context, engine), now: at }).query,
              { asOf: at },
            )
          ).rows;
        const result = compareFleets(await fleetAt(from), await fleetAt(to));
        await printResult(context, {
          report: 'changes',
          title: 'Changes',
          params: { from: formatInstant(from), to: formatInstant(to) },
          result,
        });
      });
    });
}
