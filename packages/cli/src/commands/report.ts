import type { Command } from 'commander';
import { checkReportRuns, type CompiledQuery, compileReport, type Dialect } from '@patchboard/core';
import { reportContext, resolveContext, type GlobalOptions } from '../context.js';
import { emit } from '../output.js';
import { printResult, withQueryEngine } from '../print.js';
import { keyValue } from './options.js';

/** The compiled SQL and its parameters; for Athena also the ExecutionParameters exactly as sent. */
async function printedSql(query: CompiledQuery, dialect: Dialect['name']): Promise<string> {
  let text = `${query.sql}\n-- parameters: ${JSON.stringify(query.parameters)}\n`;
  if (dialect === 'trino' && query.parameters.length > 0) {
    const { toExecutionParameter } = await import('@patchboard/engine-athena');
    text += `-- Athena ExecutionParameters: ${JSON.stringify(query.parameters.map(toExecutionParameter))}\n`;
  }
  return text;
}

export function registerReport(program: Command): void {
  program
    .command('report')
    .description('Run a report from the catalogue (see `patchboard reports`)')
    .argument('<id>', 'report id, e.g. team-environment')
    .option('--param <key=value>', 'report parameter (repeatable)', keyValue, {})
    .option('--print-sql', 'print the compiled SQL and its parameters instead of running it')
    .action(
      async (
        id: string,
        options: { param: Record<string, string>; printSql?: boolean },
        command: Command,
      ) => {
        const context = await resolveContext(command.optsWithGlobals<GlobalOptions>());
        await withQueryEngine(context, async (engine) => {
          const compiled = compileReport(id, options.param, reportContext(context, engine));
          if (options.printSql) {
            await emit(await printedSql(compiled.query, engine.dialect.name), context.out);
            return;
          }
          checkReportRuns(compiled.report, context.engine);
          await printResult(context, {
            report: id,
            title: compiled.report.title,
            params: compiled.params,
            result: await engine.run(compiled.query),
          });
        });
      },
    );
}
