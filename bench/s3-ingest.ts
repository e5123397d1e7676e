/**
 * `npm run bench:s3`: ingest straight from an S3-compatible store (OpenStack Swift with s3api on loopback),
 * next to a baseline measured in the same run: a plain parallel download of every object with the SDK, what
 * `aws s3 sync` to an empty folder would cost before a local ingest could even start.
 *
 *   BENCH_NODES=10000 (default)   fleet size; the fleet `npm run bench` generates is reused
 *   BENCH_CONCURRENCY=64          reads in flight (the ingest's S3 default)
 *
 * Targets (issue: organisation scale): an unchanged bucket re-ingests in under 10% of the first ingest's time,
 * and so does a bucket where 1% of the objects changed. Figures are printed, never asserted: these machines
 * are noisy, and a loopback Swift is not S3 (no network latency; the server's CPU is the limit).
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  CreateBucketCommand,
  GetObjectCommand,
  paginateListObjectsV2,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { closeDatabase, ingest, openDatabase } from '@patchboard/engine-duckdb';
import { createS3Client, S3_READ_CONCURRENCY } from '@patchboard/aws/s3';
import { S3Source } from '@patchboard/cli';
// The same single-node Swift the S3 tests start (test infrastructure, not part of the CLI).
import { startSwift, SWIFT_ADMIN, SWIFT_REGION } from '../packages/cli/test/support/swift.js';
import { generatedFleet, OUT, seconds, setting, timed } from './common.js';

const NODES = setting('BENCH_NODES', 10_000);
const CONCURRENCY = setting('BENCH_CONCURRENCY', S3_READ_CONCURRENCY);
const AT = '2026-10-31T12:00:00Z';
const BUCKET = 'bench';
const PREFIX = 'sync/';

async function fleet(nodes: number): Promise<string> {
  const { dir } = await generatedFleet(`fleet-${nodes}-10x3`, {
    nodes,
    accounts: 10,
    regions: 3,
    seed: 42,
    at: AT,
  });
  return join(dir, 'bucket');
}

async function main(): Promise<void> {
  await mkdir(OUT, { recursive: true });
  const folder = await fleet(NODES);
  const swift = await startSwift();
  // The ingest finds its credentials the way it does in production: the SDK's default chain.
  process.env.AWS_ACCESS_KEY_ID = SWIFT_ADMIN.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = SWIFT_ADMIN.secretAccessKey;
  process.env.AWS_EC2_METADATA_DISABLED = 'true';
  const client = await createS3Client({
    region: SWIFT_REGION,
    endpoint: swift.endpoint,
    maxConcurrentRequests: CONCURRENCY,
  });
  const dbPath = join(OUT, 's3-ingest.duckdb');
  const copy = join(OUT, 's3-download-copy');
  try {
    await client.send(new CreateBucketCommand({ Bucket: BUCKET }));
    const [uploaded, uploadMs] = await timed(() => swift.uploadFolder(folder, BUCKET, PREFIX));
    console.log(`uploaded ${uploaded} objects to Swift in ${seconds(uploadMs)} (bulk extract)`);

    await rm(dbPath, { force: true });
    await rm(`${dbPath}.wal`, { force: true });
    const db = await openDatabase(dbPath);
    const source = () => new S3Source(client, { bucket: BUCKET, prefix: PREFIX }, swift.endpoint);
    const run = () => ingest(db.connection, source(), { readConcurrency: CONCURRENCY });
    const [first, firstMs] = await timed(run);
    const [unchanged, unchangedMs] = await timed(run);

    // 1% of the objects get new content (a trailing blank line: a new ETag, the same records).
    const keys: string[] = [];
    for await (const page of paginateListObjectsV2({ client }, { Bucket: BUCKET, Prefix: PREFIX })) {
      for (const object of page.Contents ?? []) if (object.Key) keys.push(object.Key);
    }
    const changed = keys.filter((_, i) => i % 100 === 37);
    let next = 0;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (next < changed.length) {
          const key = changed[next++]!;
          const body = await readFile(join(folder, ...key.slice(PREFIX.length).split('/')), 'utf8');
          await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: `${body}\n` }));
        }
      }),
    );
    const [onePercent, onePercentMs] = await timed(run);
    closeDatabase(db);

    // Baseline: every object downloaded to a folder, CONCURRENCY at a time, as a sync to an empty folder would.
    await rm(copy, { recursive: true, force: true });
    const [bytes, downloadMs] = await timed(async () => {
      let total = 0;
      let i = 0;
      const listed: string[] = [];
      for await (const page of paginateListObjectsV2({ client }, { Bucket: BUCKET, Prefix: PREFIX })) {
        for (const object of page.Contents ?? []) if (object.Key) listed.push(object.Key);
      }
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          while (i < listed.length) {
            const key = listed[i++]!;
            const response = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
            const body = await response.Body!.transformToByteArray();
            const path = join(copy, ...key.split('/'));
            await mkdir(join(path, '..'), { recursive: true });
            await writeFile(path, body);
            total += body.length;
          }
        }),
      );
      return total;
    });

    const pct = (ms: number) => `${((100 * ms) / firstMs).toFixed(1)}% of the first`;
    console.log(
      `\nIngest from S3 (Swift + s3api on loopback) of ${NODES} nodes: ${first.objectsListed} objects, ${first.rowsStored} rows, ${CONCURRENCY} reads in flight`,
    );
    console.log(`  first ingest             ${seconds(firstMs)}   (${first.objectsRead} objects read)`);
    console.log(
      `  unchanged re-ingest      ${seconds(unchangedMs)}   (${unchanged.objectsRead} objects read; ${pct(unchangedMs)}, target < 10%)`,
    );
    console.log(
      `  1% changed re-ingest     ${seconds(onePercentMs)}   (${onePercent.objectsRead} objects read; ${pct(onePercentMs)}, target < 10%)`,
    );
    console.log(
      `  SDK parallel download    ${seconds(downloadMs)}   (baseline: ${keys.length} objects, ${(bytes / 1e6).toFixed(1)} MB to a folder, what aws s3 sync would cost)`,
    );
    console.log(`  first ingest / download  ${(firstMs / downloadMs).toFixed(2)}x`);
  } finally {
    client.destroy();
    await swift.stop();
    await rm(copy, { recursive: true, force: true });
  }
}

await main();
