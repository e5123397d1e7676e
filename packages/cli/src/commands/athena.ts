import type { Command } from 'commander';
import { PatchboardError } from '@patchboard/core';
import { resolveContext, type CommandContext, type GlobalOptions } from '../context.js';
import { emit } from '../output.js';

interface SchemaOptions {
  location?: string;
  parquet?: string;
  configLocation?: string;
}

/** The statements for the data named by --location (JSON sync bucket) or --parquet (compact output). */
async function statements(context: CommandContext, options: SchemaOptions): Promise<string[]> {
  const { athenaSchema, schemaStatements } = await import('@patchboard/engine-athena');
  if (options.location && options.parquet) {
    throw new PatchboardError(
      'USAGE',
      '--location (the sync bucket, JSON) and --parquet (compacted Parquet) were both given; give one.',
    );
  }
  const location = options.parquet ?? options.location ?? context.config.athena?.location;
  if (!location) {
    throw new PatchboardError(
      'USAGE',
      'Say where the data is: --location s3://sync-bucket/prefix for the Resource Data Sync bucket, or --parquet s3://bucket/prefix for `patchboard compact` output (or athena.location in the configuration file).',
    );
  }
  if (options.configLocation && options.parquet) {
    throw new PatchboardError(
      'USAGE',
      '--config-location was given with --parquet: compacted Parquet already holds the instances the ingest read from AWS Config snapshots. Give --config-location with --location only.',
    );
  }
  const schema = athenaSchema({
    location,
    format: options.parquet ? 'parquet' : 'json',
    configLocation: options.configLocation,
  });
  return schemaStatements(schema, context.athena.database);
}

export function registerAthena(program: Command): void {
  const athena = program
    .command('athena')
    .description('Amazon Athena: the Glue tables and aws_* views reports read with --engine athena');

  athena
    .command('ddl')
    .description('Print the DDL (database, external tables, views) for the sync bucket or compacted Parquet')
    .option('--location <s3-url>', 'the Resource Data Sync bucket and prefix, e.g. s3://sync-bucket/org')
    .option('--parquet <s3-url>', 'the root `patchboard compact --to` wrote, instead of the JSON bucket')
    .option(
      '--config-location <s3-url>',
      'the AWS Config snapshots root, e.g. s3://sync-bucket/AWSLogs/: count EC2 instances without an SSM Agent',
    )
    .action(async (options: SchemaOptions, command: Command) => {
      const context = await resolveContext(command.optsWithGlobals<GlobalOptions>());
      await emit(`${(await statements(context, options)).join(';\n\n')};\n`, context.out);
    });

  athena
    .command('setup')
    .description('Create the database, tables and views in Athena (runs the DDL of `athena ddl`)')
    .option('--location <s3-url>', 'the Resource Data Sync bucket and prefix, e.g. s3://sync-bucket/org')
    .option('--parquet <s3-url>', 'the root `patchboard compact --to` wrote, instead of the JSON bucket')
    .option(
      '--config-location <s3-url>',
      'the AWS Config snapshots root, e.g. s3://sync-bucket/AWSLogs/: count EC2 instances without an SSM Agent',
    )
    .action(async (options: SchemaOptions, command: Command) => {
      const context = await resolveContext(command.optsWithGlobals<GlobalOptions>());
      const all = await statements(context, options);
      const { athenaEngine } = await import('../athena-engine.js');
      const controller = new AbortController();
      const interrupt = () => controller.abort();
      process.once('SIGINT', interrupt);
      const engine = athenaEngine(context.athena, controller.signal);
      try {
        for (const [index, statement] of all.entries()) {
          // The database may not exist before the first statement creates it.
          await engine.execute(
            { sql: statement, parameters: [] },
            index === 0 ? { database: 'default' } : {},
          );
          process.stderr.write(`athena setup: ${index + 1}/${all.length} ${statement.split('\n')[0]}\n`);
        }
      } finally {
        process.off('SIGINT', interrupt);
        await engine.close();
      }
      await emit(
        `Athena database ${context.athena.database} is ready: ${all.length} statements run. Run reports with --engine athena --database ${context.athena.database}.\n`,
        context.out,
      );
    });
}
