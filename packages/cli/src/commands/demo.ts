import { join } from 'node:path';
import type { Command } from 'commander';
import { compileReport, formatInstant } from '@patchboard/core';
import { resolveContext, type GlobalOptions } from '../context.js';
import { emit, renderReport } from '../output.js';
import { startProgress } from '../progress.js';
import { LocalFolderSource } from '../sources/local-folder.js';

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description(
      "The seeds' scenario end to end: 800 nodes in three accounts, ingested, then the monthly reports",
    )
    .option('--dir <dir>', 'working folder for the generated bucket copy and the database', 'patchboard-demo')
    .action(async (options: { dir: string }, command: Command) => {
      const context = await resolveContext(command.optsWithGlobals<GlobalOptions>());
      const [{ generateFleet }, { openDatabase, ingest, DuckDbQueryEngine }] = await Promise.all([
        import('@patchboard/generator'),
        import('@patchboard/engine-duckdb'),
      ]);
      // The snapshot is taken at the start of this hour, and the reports evaluate at the same instant.
      const at = formatInstant(Math.floor(context.now / 3_600_000) * 3_600_000);
      const progress = startProgress('Generating');
      const fleet = await generateFleet({
        outDir: options.dir,
        nodes: 800,
        accounts: 3,
        regions: 1,
        seed: 2028,
        at,
        onProgress: (done, total) => progress.update(done, total, 'nodes'),
      });
      progress.stop();
      process.stderr.write(
        `1/3 Generated the seeds' fleet: ${fleet.nodes} nodes, ${fleet.files} files in ${fleet.bucketDir}\n`,
      );

      const databasePath =
        command.optsWithGlobals<GlobalOptions>().db ?? join(options.dir, 'patchboard.duckdb');
      const db = await openDatabase(databasePath);
      const engine = new DuckDbQueryEngine(db);
      try {
        const summary = await ingest(db.connection, new LocalFolderSource(fleet.bucketDir));
        process.stderr.write(
          `2/3 Ingested ${summary.objectsRead} objects (${summary.rowsStored} rows, ${summary.errors} errors) into ${databasePath}\n`,
        );
        process.stderr.write(`3/3 Reports evaluated at ${at}\n\n`);
        const reportContext = { policy: context.config.policy, now: Date.parse(at), dialect: engine.dialect };
        const outputs: string[] = [];
        for (const id of ['fleet-summary', 'team-environment']) {
          const compiled = compileReport(id, {}, reportContext);
          const result = await engine.run(compiled.query);
          const title = `${compiled.report.title} — evaluated ${at}`;
          const body = renderReport(
            { report: id, title, generatedAt: at, params: compiled.params, result },
            context.format,
            context.interactive,
          );
          outputs.push(context.format === 'table' ? `${title}\n${body}` : body);
        }
        await emit(outputs.join('\n'), context.out);
        process.stderr.write(
          `\nNext: patchboard report node-compliance --db ${databasePath} --now ${at} --param status=NON_COMPLIANT\n`,
        );
      } finally {
        await engine.close();
      }
    });
}
