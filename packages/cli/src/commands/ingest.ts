import type { Command } from 'commander';
import { PatchboardError } from '@patchboard/core';
import { resolveContext, type GlobalOptions } from '../context.js';
import { startProgress } from '../progress.js';
import { LocalFolderSource } from '../sources/local-folder.js';

export function registerIngest(program: Command): void {
  program
    .command('ingest')
    .description('Read a copy of the sync bucket into the database (only changed objects; one transaction)')
    .argument('<source>', 'folder holding a copy of the bucket (the folder with the AWS:<Type>/ folders)')
    .action(async (sourceArg: string, _options: unknown, command: Command) => {
      const context = await resolveContext(command.optsWithGlobals<GlobalOptions>());
      if (/^[a-z][a-z0-9+.-]*:\/\//i.test(sourceArg)) {
        throw new PatchboardError(
          'USAGE',
          `${sourceArg} is a URL; this version reads a local copy of the bucket. Copy it first (aws s3 sync ${sourceArg} ./bucket) and ingest ./bucket.`,
        );
      }
      const { openDatabase, closeDatabase, ingest } = await import('@patchboard/engine-duckdb');
      const db = await openDatabase(context.databasePath);
      const progress = startProgress('Ingesting');
      try {
        const summary = await ingest(db.connection, new LocalFolderSource(sourceArg), {
          onProgress: ({ phase, done, total }) =>
            progress.update(done, total, phase === 'listing' ? 'listed' : 'objects'),
        });
        progress.stop();
        process.stderr.write(
          `Ingested ${summary.source} into ${context.databasePath}: ${summary.objectsRead} objects read, ` +
            `${summary.objectsUnchanged} unchanged, ${summary.objectsRemoved} removed, ${summary.objectsSkipped} skipped (not inventory); ` +
            `${summary.rowsStored} rows from ${summary.records} records, ${summary.errors} error${summary.errors === 1 ? '' : 's'} ` +
            `in ${(summary.durationMs / 1000).toFixed(1)} s` +
            (summary.errors > 0 ? ' (see `patchboard report ingest-errors`)' : '') +
            '\n',
        );
      } finally {
        progress.stop();
        try {
          closeDatabase(db);
        } catch {
          // A database DuckDB invalidated after a failed write cannot close cleanly; the ingest's error says why.
        }
      }
    });
}
