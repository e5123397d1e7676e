import { access, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import type { Command } from 'commander';
import { parseBucketKey, PatchboardError } from '@patchboard/core';
import { resolveContext, type GlobalOptions } from '../context.js';
import { printResult } from '../print.js';
import { estimateScans } from '../scan-estimate.js';
import { LocalFolderSource } from '../sources/local-folder.js';

interface CompactOptions {
  to?: string;
  endpoint?: string;
  region?: string;
  compareJson?: string;
}

/** Every file under `dir`, as keys with `/` separators. */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)).split(sep).join('/'))
    .sort();
}

/** Bytes of the sync objects per inventory type, from a local copy of the bucket. */
async function jsonBytesByType(folder: string): Promise<Map<string, number>> {
  const bytes = new Map<string, number>();
  for await (const object of new LocalFolderSource(folder).list()) {
    const key = parseBucketKey(object.key);
    if (key) bytes.set(key.typeName, (bytes.get(key.typeName) ?? 0) + object.size);
  }
  return bytes;
}

/** Uploads the files and removes objects under the table folders that this compaction did not write. */
async function upload(dir: string, url: string, options: CompactOptions): Promise<number> {
  const { parseS3Url } = await import('../aws/s3.js');
  const { bucket, prefix } = parseS3Url(url);
  const base = prefix === '' || prefix.endsWith('/') ? prefix : `${prefix}/`;
  // Loaded here, not at start: `patchboard --help` must not pay for the AWS SDK.
  const { forEachLimited } = await import('@patchboard/aws');
  const { createS3Client } = await import('@patchboard/aws/s3');
  const client = await createS3Client({
    ...(options.region ? { region: options.region } : {}),
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
  });
  const { Upload } = await import('@aws-sdk/lib-storage');
  const { DeleteObjectsCommand, paginateListObjectsV2 } = await import('@aws-sdk/client-s3');
  try {
    const files = await filesUnder(dir);
    const written = new Set(files.map((file) => `${base}${file}`));
    // A few uploads at a time: enough to fill the link, bounded in memory (each file is read whole).
    await forEachLimited(files, 4, async (file) => {
      await new Upload({
        client,
        params: {
          Bucket: bucket,
          Key: `${base}${file}`,
          Body: await readFile(join(dir, ...file.split('/'))),
        },
      }).done();
    });
    // A partition (account, Region) gone from the database must not stay behind in S3 for Athena to read.
    const tables = new Set(files.map((file) => file.split('/')[0]));
    for (const table of tables) {
      const stale: { Key: string }[] = [];
      for await (const page of paginateListObjectsV2(
        { client },
        { Bucket: bucket, Prefix: `${base}${table}/` },
      )) {
        for (const object of page.Contents ?? []) {
          if (object.Key && !written.has(object.Key)) stale.push({ Key: object.Key });
        }
      }
      for (let i = 0; i < stale.length; i += 1000) {
        await client.send(
          new DeleteObjectsCommand({
            Bucket: bucket,
            Delete: { Objects: stale.slice(i, i + 1000), Quiet: true },
          }),
        );
      }
    }
    return files.length;
  } finally {
    client.destroy();
  }
}

export function registerCompact(program: Command): void {
  program
    .command('compact')
    .description(
      'Write the database’s current inventory as Parquet (zstd) partitioned by account and Region, for Athena: --to s3://bucket/prefix, or --out DIR (the global --out names the folder here)',
    )
    .option(
      '--to <s3-url>',
      'upload to s3://bucket/prefix (then: patchboard athena ddl --parquet s3://bucket/prefix)',
    )
    .option('--endpoint <url>', 'an S3-compatible endpoint, e.g. http://127.0.0.1:8080')
    .option('--region <region>', 'AWS Region of the bucket')
    .option(
      '--compare-json <bucket-copy>',
      'a local copy of the sync bucket, to compare bytes scanned on JSON',
    )
    .action(async (options: CompactOptions, command: Command) => {
      const context = await resolveContext(command.optsWithGlobals<GlobalOptions>());
      const outDir = context.out;
      if ((outDir === undefined) === (options.to === undefined)) {
        throw new PatchboardError(
          'USAGE',
          'Say where the Parquet goes: --to s3://bucket/prefix (uploaded) or --out DIR (a local folder), one of the two.',
        );
      }
      if (options.to) (await import('../aws/s3.js')).parseS3Url(options.to);
      try {
        await access(context.databasePath);
      } catch {
        throw new PatchboardError(
          'NOT_FOUND',
          `There is no database at ${context.databasePath}. Run \`patchboard ingest\` first, or point --db at one.`,
        );
      }
      const { openStore } = await import('@patchboard/engine-duckdb');
      const store = await openStore(context.databasePath, { readOnly: true });
      const dir = outDir ?? (await mkdtemp(join(tmpdir(), 'patchboard-compact-')));
      try {
        const tables = await store.compact(dir);
        const rows = tables.reduce((sum, t) => sum + t.rows, 0);
        const parquetBytes = tables.reduce(
          (sum, t) => sum + Object.values(t.columnBytes).reduce((a, b) => a + b, 0),
          0,
        );
        let where = dir;
        if (options.to) {
          const files = await upload(dir, options.to, options);
          where = `${options.to} (${files} files)`;
        }
        process.stderr.write(
          `Compacted ${rows} rows of ${tables.filter((t) => t.rows > 0).length} tables into ${where}: ${parquetBytes} bytes of Parquet column data.\n`,
        );
        const json = options.compareJson ? await jsonBytesByType(options.compareJson) : undefined;
        const estimates = estimateScans(new Map(tables.map((t) => [t.table, t.columnBytes])), json);
        await printResult(
          { ...context, out: undefined, interactive: Boolean(process.stdout.isTTY) },
          {
            report: 'compact',
            title: 'Bytes an Athena report scans: sync JSON vs compacted Parquet',
            params: { database: context.databasePath },
            result: {
              columns: [
                { name: 'report', type: 'string' },
                { name: 'json_bytes', type: 'integer' },
                { name: 'parquet_bytes', type: 'integer' },
                { name: 'ratio', type: 'number' },
              ],
              rows: estimates.map((e) => ({ ...e })),
            },
          },
        );
      } finally {
        await store.close();
        if (!outDir) await rm(dir, { recursive: true, force: true });
      }
    });
}
