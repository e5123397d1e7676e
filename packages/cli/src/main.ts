/**
 * The `patchboard` command line: global options, one module per command, and the one place where errors
 * become exit codes (0 ok, 1 failure, 2 usage, 3 threshold breached) and one-line messages.
 */
import { Command, CommanderError, Option } from 'commander';
import { ENGINE_NAMES, ENGINES, isPatchboardError } from '@patchboard/core';
import { registerAthena } from './commands/athena.js';
import { registerAuditPack } from './commands/audit-pack.js';
import { registerChanges } from './commands/changes.js';
import { registerCompact } from './commands/compact.js';
import { registerCheck } from './commands/check.js';
import { registerCollect } from './commands/collect.js';
import { registerCve } from './commands/cve.js';
import { registerDemo } from './commands/demo.js';
import { registerGenerate } from './commands/generate.js';
import { registerIngest } from './commands/ingest.js';
import { registerNode } from './commands/node.js';
import { registerNotify } from './commands/notify.js';
import { registerReport } from './commands/report.js';
import { registerReports } from './commands/reports.js';
import { registerServe } from './commands/serve.js';
import { registerSql } from './commands/sql.js';
import { registerTrend } from './commands/trend.js';
import { OUTPUT_FORMATS } from './output.js';
import { PACKAGE_VERSION } from './version.js';

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;
/** `patchboard check`: a threshold was breached. */
export const EXIT_THRESHOLD = 3;

export function buildProgram(): Command {
  const program = new Command('patchboard')
    .description('Patch compliance reporting for AWS Systems Manager fleets, from Resource Data Sync data')
    .version(PACKAGE_VERSION, '-V, --version', 'print the version (the one audit-pack manifests record)')
    .option('--db <file>', 'DuckDB database file (env PATCHBOARD_DB; default patchboard.duckdb)')
    .option('--config <file>', 'configuration file, YAML or JSON (env PATCHBOARD_CONFIG)')
    .option('--now <iso>', 'evaluation time, so a report can be reproduced (e.g. 2026-10-31T23:59:59Z)')
    .option(
      '--as-of <iso>',
      'evaluate the fleet as history knew it at this time, e.g. 2026-10-31T23:59:59Z (the month-end figure)',
    )
    .addOption(
      new Option(
        '--engine <engine>',
        `query engine: ${ENGINE_NAMES.map((name) => `${name} (${ENGINES[name].summary})`).join(', ')}`,
      )
        .choices(ENGINE_NAMES)
        .env('PATCHBOARD_ENGINE'),
    )
    .option('--workgroup <name>', 'Athena workgroup (--engine athena; default primary)')
    .option('--database <name>', 'Glue database of the aws_* views (--engine athena; default patchboard)')
    .option('--output-location <s3-url>', 'S3 location for Athena query results, if the workgroup sets none')
    .addOption(new Option('--format <format>', 'output format').choices(OUTPUT_FORMATS).default('table'))
    .option('--out <file>', 'write the output to a file instead of standard output')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  for (const register of [
    registerGenerate,
    registerCollect,
    registerIngest,
    registerReports,
    registerReport,
    registerSql,
    registerNode,
    registerCve,
    registerChanges,
    registerTrend,
    registerAuditPack,
    registerCheck,
    registerNotify,
    registerServe,
    registerDemo,
    registerAthena,
    registerCompact,
  ]) {
    register(program);
  }
  for (const command of program.commands) command.exitOverride();
  return program;
}

export async function main(argv: readonly string[]): Promise<number> {
  try {
    await buildProgram().parseAsync([...argv]);
    return EXIT_OK;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander has already printed its message (and help where asked for).
      return error.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
    }
    if (isPatchboardError(error)) {
      process.stderr.write(`patchboard: ${error.message}\n`);
      if (error.code === 'THRESHOLD') return EXIT_THRESHOLD;
      return error.code === 'USAGE' ? EXIT_USAGE : EXIT_FAILURE;
    }
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(
      `patchboard: unexpected failure: ${message}. Run again with NODE_DEBUG=patchboard for a stack trace, and report it.\n`,
    );
    if (process.env.NODE_DEBUG?.includes('patchboard') && error instanceof Error)
      process.stderr.write(`${error.stack}\n`);
    return EXIT_FAILURE;
  }
}
