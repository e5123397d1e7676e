import type { Command } from 'commander';
import { evaluationTime, openQueryEngine, resolveContext, type GlobalOptions } from '../context.js';
import { emit, renderReport } from '../output.js';

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
      const engine = await openQueryEngine(context);
      try {
        const result = await engine.run({ sql: query, parameters: [] });
        await emit(
          renderReport(
            { report: 'sql', generatedAt: evaluationTime(context), params: { query }, result },
            context.format,
            context.interactive,
          ),
          context.out,
        );
      } finally {
        await engine.close();
      }
    });
}
