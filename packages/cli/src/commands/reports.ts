import type { Command } from 'commander';
import { REPORTS, reportParameterNames } from '@patchboard/core';
import { evaluationTime, resolveContext, type GlobalOptions } from '../context.js';
import { emit, renderReport } from '../output.js';

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
      }));
      const result = {
        columns: ['id', 'title', 'description', 'params'].map((name) => ({ name, type: 'string' as const })),
        rows,
      };
      await emit(
        renderReport(
          { report: 'reports', generatedAt: evaluationTime(context), params: {}, result },
          context.format,
          context.interactive,
        ),
        context.out,
      );
    });
}
