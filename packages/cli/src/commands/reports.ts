import type { Command } from 'commander';
import { ENGINE_NAMES, REPORTS, reportParameterNames, runsOn } from '@patchboard/core';
import { resolveContext, type GlobalOptions } from '../context.js';
import { printResult } from '../print.js';

export function registerReports(program: Command): void {
  program
    .command('reports')
    .description('List the report catalogue')
    .action(async (_options: unknown, command: Command) => {
      const context = await resolveContext(command.optsWithGlobals<GlobalOptions>());
      const rows = REPORTS.map((r) => ({
        id: r.id,
        title: r.title,
        description: r.description,
        params: reportParameterNames(r).join(', '),
        engines: ENGINE_NAMES.filter((engine) => runsOn(r, engine)).join(', '),
      }));
      const result = {
        columns: ['id', 'title', 'description', 'params', 'engines'].map((name) => ({
          name,
          type: 'string' as const,
        })),
        rows,
      };
      await printResult(context, { report: 'reports', title: 'Report catalogue', params: {}, result });
    });
}
