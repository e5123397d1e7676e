import type { Command } from 'commander';
import { resolveContext, type GlobalOptions } from '../context.js';
import { printResult, withQueryEngine } from '../print.js';

export function registerSql(program: Command): void {
  program
    .command('sql')
    .description(
      'Run a read-only SQL query over the aws_* tables (Athena/Trino syntax of the AWS recipe works)',
    )
    .argument('<query>', 'the SQL text')
    .action(async (query: string, _options: unknown, command: Command) => {
      const context = await resolveContext(command.optsWithGlobals<GlobalOptions>());
      // The database is opened read-only: a query can read everything and change nothing.
      await withQueryEngine(context, async (engine) => {
        const result = await engine.run({ sql: query, parameters: [] });
        await printResult(context, { report: 'sql', params: { query }, result });
      });
    });
}
