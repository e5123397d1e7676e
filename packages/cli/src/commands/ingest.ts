import { type Command, InvalidArgumentError } from 'commander';
import { isPatchboardError, PatchboardError, type SourceReader } from '@patchboard/core';
import { resolveContext, type GlobalOptions } from '../context.js';
import { startProgress } from '../progress.js';
import { LocalFolderSource } from '../sources/local-folder.js';
import { wholeNumber } from './options.js';

interface IngestOptions {
  readonly region?: string;
  readonly endpoint?: string;
  readonly concurrency?: number;
}

/** Reads from a folder at once: the disk is local, more in flight only adds memory. */
const FOLDER_READ_CONCURRENCY = 32;
const MAX_CONCURRENCY = 512;

function positiveConcurrency(value: string): number {
  const n = wholeNumber(value);
  if (n < 1 || n > MAX_CONCURRENCY) {
    throw new InvalidArgumentError(`expected 1 to ${MAX_CONCURRENCY} objects read at once, got "${value}".`);
  }
  return n;
}

/** `--endpoint` names a store to send credentials to: only a plain http(s) origin, nothing that hides a path. */
function checkEndpoint(endpoint: string): string {
  let url: URL | undefined;
  try {
    url = new URL(endpoint);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.username || url.password) {
    throw new PatchboardError(
      'USAGE',
      `--endpoint ${JSON.stringify(endpoint)} is not an http(s) URL; give the S3-compatible store's address, e.g. https://s3.example.internal or http://127.0.0.1:9000.`,
    );
  }
  return endpoint;
}

async function openSource(
  sourceArg: string,
  options: IngestOptions,
): Promise<{ source: SourceReader; readConcurrency: number }> {
  if (sourceArg.startsWith('s3://')) {
    const { createS3Client, S3_READ_CONCURRENCY } = await import('@patchboard/aws/s3');
    const { parseS3Url } = await import('../aws/s3.js');
    const { S3Source } = await import('../sources/s3.js');
    const location = parseS3Url(sourceArg);
    const endpoint = options.endpoint === undefined ? undefined : checkEndpoint(options.endpoint);
    const readConcurrency = options.concurrency ?? S3_READ_CONCURRENCY;
    const client = await createS3Client({
      region: options.region,
      endpoint,
      maxConcurrentRequests: readConcurrency,
    });
    return { source: new S3Source(client, location, endpoint), readConcurrency };
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(sourceArg)) {
    throw new PatchboardError(
      'USAGE',
      `${sourceArg} is a URL Patchboard cannot read; give s3://bucket/prefix, or a folder holding a copy of the bucket.`,
    );
  }
  if (options.endpoint !== undefined || options.region !== undefined) {
    throw new PatchboardError(
      'USAGE',
      `--endpoint and --region apply to an s3:// source; ${sourceArg} is a folder. Drop them, or give s3://bucket/prefix.`,
    );
  }
  return {
    source: new LocalFolderSource(sourceArg),
    readConcurrency: options.concurrency ?? FOLDER_READ_CONCURRENCY,
  };
}

export function registerIngest(program: Command): void {
  program
    .command('ingest')
    .description(
      'Read the sync bucket, or a copy of it, into the database (only changed objects; one transaction)',
    )
    .argument(
      '<source>',
      's3://bucket/prefix (the prefix holding the AWS:<Type>/ folders), or a folder holding a copy of the bucket',
    )
    .option(
      '--region <region>',
      "the bucket's Region (default: AWS_REGION or the profile; S3 redirects are followed)",
    )
    .option('--endpoint <url>', 'an S3-compatible store, addressed path-style (e.g. http://127.0.0.1:9000)')
    .option(
      '--concurrency <n>',
      'objects read at once (default 64 from S3, 32 from a folder)',
      positiveConcurrency,
    )
    .action(async (sourceArg: string, options: IngestOptions, command: Command) => {
      const context = await resolveContext(command.optsWithGlobals<GlobalOptions>());
      const { source, readConcurrency } = await openSource(sourceArg, options);
      const { openStore } = await import('@patchboard/engine-duckdb');
      const store = await openStore(context.databasePath);
      const progress = startProgress('Ingesting');
      try {
        const summary = await store.ingest(source, {
          readConcurrency,
          tagKeys: context.config.policy.tagKeys,
          onProgress: ({ phase, done, total }) =>
            progress.update(done, total, phase === 'listing' ? 'listed' : 'objects'),
        });
        progress.stop();
        process.stderr.write(
          `Ingested ${summary.source} into ${context.databasePath}: ${summary.objectsRead} objects read, ` +
            `${summary.objectsUnchanged} unchanged, ${summary.objectsRemoved} removed, ${summary.objectsSkipped} skipped (not inventory); ` +
            `${summary.rowsStored} rows from ${summary.records} records, ${summary.errors} error${summary.errors === 1 ? '' : 's'} ` +
            `in ${(summary.durationMs / 1000).toFixed(1)} s (${Object.entries(summary.phasesMs)
              .map(([phase, ms]) => `${phase} ${(ms / 1000).toFixed(1)} s`)
              .join(', ')})` +
            (summary.errors > 0 ? ' (see `patchboard report ingest-errors`)' : '') +
            '\n',
        );
      } catch (error) {
        // The ingest is one transaction: whatever failed, the database still holds the previous ingest.
        if (isPatchboardError(error) && !/Nothing of this ingest was kept/.test(error.message)) {
          throw new PatchboardError(
            error.code,
            `${error.message} Nothing of this ingest was kept: the database is as it was before.`,
            { cause: error },
          );
        }
        throw error;
      } finally {
        progress.stop();
        try {
          await store.close();
        } catch {
          // A database DuckDB invalidated after a failed write cannot close cleanly; the ingest's error says why.
        }
      }
    });
}
