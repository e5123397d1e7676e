import { join } from 'node:path';
import type { Command } from 'commander';
import { compileReport, formatInstant } from '@patchboard/core';
import { resolveContext, type GlobalOptions } from '../context.js';
import { printResult } from '../print.js';
import { startProgress } from '../progress.js';
import { LocalFolderSource } from '../sources/local-folder.js';
import { buildAuditPack } from './audit-pack.js';

const DAYS = 30;

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description(
      "The seeds' scenario end to end: 800 nodes in three accounts over 30 days, ingested day by day, then the monthly reports, overdue patches and this month's audit pack",
    )
    .option(
      '--dir <dir>',
      'working folder for the generated bucket copies, the database and the pack',
      'patchboard-demo',
    )
    .option('--no-pdf', "skip the audit pack's PDF (it needs Chromium)")
    .action(async (options: { dir: string; pdf: boolean }, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      const [{ generateFleet }, { openStore }, { rm }] = await Promise.all([
        import('@patchboard/generator'),
        import('@patchboard/engine-duckdb'),
        import('node:fs/promises'),
      ]);
      // The last snapshot is taken at the start of this hour, and everything is evaluated at that instant.
      const now = Math.floor((await resolveContext(globals)).now / 3_600_000) * 3_600_000;
      const at = formatInstant(now);
      const context = await resolveContext({ ...globals, now: at });
      const generating = startProgress('Generating');
      const fleet = await generateFleet({
        outDir: options.dir,
        nodes: 800,
        accounts: 3,
        regions: 1,
        days: DAYS,
        seed: 2028,
        at,
        // The seeds' scenario: 800 EC2 instances, of which 100 have no working SSM Agent.
        unmanagedPct: 12.5,
        // The headline output shows ordinary names; the hostile values belong to the tests.
        hostileTags: false,
        onProgress: (done, total) => generating.update(done, total, 'nodes'),
      });
      generating.stop();
      process.stderr.write(
        `1/4 Generated the seeds' fleet: ${fleet.nodes} nodes, one bucket copy per day for ${DAYS} days under ${join(options.dir, 'days')}\n`,
      );

      const databasePath = globals.db ?? join(options.dir, 'patchboard.duckdb');
      // A fresh database: the days are a history, ingested oldest first.
      await rm(databasePath, { force: true });
      await rm(`${databasePath}.wal`, { force: true });
      const store = await openStore(databasePath);
      const { engine } = store;
      try {
        const ingesting = startProgress('Ingesting');
        let changes = 0;
        for (const [d, date] of fleet.snapshots.entries()) {
          const summary = await store.ingest(new LocalFolderSource(join(options.dir, 'days', date)), {
            tagKeys: context.config.policy.tagKeys,
          });
          if (d > 0) changes += summary.historyOpened + summary.historyClosed;
          ingesting.update(d + 1, fleet.snapshots.length, 'days');
        }
        ingesting.stop();
        process.stderr.write(
          `2/4 Ingested ${fleet.snapshots.length} daily snapshots (${fleet.snapshots[0]} to ${fleet.snapshots.at(-1)}) into ${databasePath}; history recorded ${changes} changes after the first day\n`,
        );
        process.stderr.write(`3/4 Reports evaluated at ${at}\n\n`);
        const reportContext = { policy: context.config.policy, now, dialect: engine.dialect };
        for (const [id, params] of [
          ['fleet-summary', {}],
          ['team-environment', {}],
          ['overdue-patches', { by: 'team-environment' }],
        ] as const) {
          const compiled = compileReport(id, params, reportContext);
          const title = `${compiled.report.title} — evaluated ${at}`;
          if (context.format === 'table') process.stdout.write(`${title}\n`);
          await printResult(context, {
            report: id,
            title,
            params: compiled.params,
            result: await engine.run(compiled.query),
          });
          if (context.format === 'table') process.stdout.write('\n');
        }
        const month = at.slice(0, 7);
        const pack = await buildAuditPack(context, engine, {
          month,
          out: join(options.dir, `audit-pack-${month}`),
          pdf: options.pdf,
          replace: true,
        });
        process.stderr.write(
          `4/4 Wrote the ${month} audit pack (month to date) to ${pack.dir}: report.html, ${options.pdf ? 'report.pdf, ' : ''}CSV, JSON and manifest.json\n`,
        );
        process.stderr.write(
          `\nNext: patchboard --db ${databasePath} --as-of ${fleet.snapshots[10]}T00:00:00Z report fleet-summary\n` +
            `      patchboard --db ${databasePath} --now ${at} cve --patch <id from overdue-patches>\n` +
            `      patchboard --db ${databasePath} --now ${at} serve    (the web dashboard; open the link it prints)\n`,
        );
      } finally {
        await store.close();
      }
    });
}
