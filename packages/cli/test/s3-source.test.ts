/**
 * `patchboard ingest s3://bucket/prefix` against a real S3-compatible server (OpenStack Swift with s3api), behind
 * a loopback TCP proxy that counts the requests and can cut the line. The same generated fleet is ingested from
 * a local folder in-process: every S3 result must equal the folder's, report row for report row.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CreateBucketCommand, DeleteObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  compileReport,
  DEFAULT_POLICY,
  inventoryType,
  parseBucketKey,
  type ResultRow,
} from '@patchboard/core';
import { closeDatabase, DuckDbQueryEngine, ingest, openDatabase } from '@patchboard/engine-duckdb';
import { generateFleet } from '@patchboard/generator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalFolderSource } from '../src/sources/local-folder.js';
import {
  freePort,
  startSwift,
  SWIFT_ADMIN,
  SWIFT_NO_RIGHTS,
  SWIFT_REGION,
  type SwiftServer,
} from './support/swift.js';
import { startTcpProxy, type TcpProxy } from './support/tcp-proxy.js';

const execFileAsync = promisify(execFile);
const BIN = join(import.meta.dirname, '..', 'bin', 'patchboard.js');
const AT = '2026-10-31T00:00:00Z';
const NODES = 120;
const BUCKET = 'fleet';
const PREFIX = 'sync/org-1/';
const REPORTS = ['fleet-summary', 'node-compliance', 'missing-patches', 'severity-summary'] as const;

let dir: string;
let folder: string;
let swift: SwiftServer;
let proxy: TcpProxy;
let s3: S3Client;
let keys: string[];
let inventoryKeys: string[];
let s3Db: string;
let folderDb: string;

/** The CLI as a person runs it, with credentials from the environment (the SDK's default chain). */
async function patchboard(
  args: string[],
  env: Record<string, string | undefined> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const base: Record<string, string | undefined> = {
    ...process.env,
    NO_COLOR: '1',
    AWS_ACCESS_KEY_ID: SWIFT_ADMIN.accessKeyId,
    AWS_SECRET_ACCESS_KEY: SWIFT_ADMIN.secretAccessKey,
    AWS_REGION: SWIFT_REGION,
    // Nothing from the machine's own AWS set-up may leak in: no profile, no files, no instance metadata.
    AWS_PROFILE: undefined,
    AWS_SESSION_TOKEN: undefined,
    AWS_CONFIG_FILE: join(dir, 'no-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(dir, 'no-aws-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    ...env,
  };
  const cleanEnv = Object.fromEntries(
    Object.entries(base).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
  try {
    const { stdout, stderr } = await execFileAsync(process.execPath, [BIN, ...args], {
      env: cleanEnv,
      timeout: 120_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const ingestS3 = (...extra: string[]) =>
  patchboard(['ingest', `s3://${BUCKET}/${PREFIX}`, '--endpoint', proxy.endpoint, '--db', s3Db, ...extra]);

/** Object GETs under the prefix, as keys relative to it (listing requests address the bucket itself). */
const objectGets = () =>
  proxy.requests
    .filter((r) => r.method === 'GET' && r.path.startsWith(`/${BUCKET}/${PREFIX}`))
    .map((r) => r.path.slice(`/${BUCKET}/${PREFIX}`.length));

/** Every file under `root`, as keys with `/` separators, sorted. */
async function listFiles(root: string, under = ''): Promise<string[]> {
  const keys: string[] = [];
  for (const entry of await readdir(join(root, under), { withFileTypes: true })) {
    const key = under === '' ? entry.name : `${under}/${entry.name}`;
    if (entry.isDirectory()) keys.push(...(await listFiles(root, key)));
    else keys.push(key);
  }
  return keys.sort();
}

async function reports(dbPath: string): Promise<Record<string, readonly ResultRow[]>> {
  const db = await openDatabase(dbPath, { readOnly: true });
  const engine = new DuckDbQueryEngine(db);
  try {
    const out: Record<string, readonly ResultRow[]> = {};
    for (const id of REPORTS) {
      const { query } = compileReport(
        id,
        {},
        { policy: DEFAULT_POLICY, now: Date.parse(AT), dialect: engine.dialect },
      );
      out[id] = (await engine.run(query)).rows;
    }
    return out;
  } finally {
    await engine.close();
  }
}

async function count(dbPath: string, sqlText: string): Promise<number> {
  const db = await openDatabase(dbPath, { readOnly: true });
  try {
    const reader = await db.connection.runAndReadAll(sqlText);
    return Number(reader.getRowsJS()[0]?.[0]);
  } finally {
    closeDatabase(db);
  }
}

async function ingestFolder(): Promise<void> {
  const db = await openDatabase(folderDb);
  try {
    await ingest(db.connection, new LocalFolderSource(folder));
  } finally {
    closeDatabase(db);
  }
}

/**
 * Changes the given objects the same way in the folder and in the bucket: the last record of each is dropped
 * (an object of one record gains a blank line instead), so their content, size and ETag all change.
 */
async function changeObjects(changed: readonly string[]): Promise<void> {
  for (const key of changed) {
    const path = join(folder, ...key.split('/'));
    const lines = (await readFile(path, 'utf8')).split('\n').filter((line) => line.trim() !== '');
    const text = lines.length > 1 ? `${lines.slice(0, -1).join('\n')}\n` : `${lines.join('\n')}\n\n`;
    await writeFile(path, text);
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: `${PREFIX}${key}`, Body: text }));
  }
}

/** Every `step`-th inventory key from `offset`: a spread over types, accounts and regions. */
const pick = (step: number, offset: number) => inventoryKeys.filter((_, i) => i % step === offset);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'patchboard-s3-'));
  s3Db = join(dir, 's3.duckdb');
  folderDb = join(dir, 'folder.duckdb');
  const [server, fleet] = await Promise.all([
    startSwift(),
    generateFleet({ outDir: join(dir, 'fleet'), nodes: NODES, accounts: 3, regions: 2, seed: 7, at: AT }),
  ]);
  swift = server;
  folder = fleet.bucketDir;
  keys = await listFiles(folder);
  // What Patchboard stores; the rest (the sync's test.json probe, types it does not keep) is skipped.
  inventoryKeys = keys.filter((key) => {
    const parsed = parseBucketKey(key);
    return parsed !== undefined && inventoryType(parsed.typeName) !== undefined;
  });
  s3 = new S3Client({
    region: SWIFT_REGION,
    endpoint: swift.endpoint,
    forcePathStyle: true,
    credentials: SWIFT_ADMIN,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  // The folder's own ingest, the expected side of every comparison, runs while Swift stores the objects.
  const [uploaded] = await Promise.all([swift.uploadFolder(folder, BUCKET, PREFIX), ingestFolder()]);
  expect(uploaded).toBe(keys.length);
  // Beside the prefix, not under it: the source must not list it.
  await s3.send(
    new PutObjectCommand({
      Bucket: BUCKET,
      Key: `sync/org-2/${inventoryKeys[0]}`,
      Body: await readFile(join(folder, ...inventoryKeys[0]!.split('/'))),
    }),
  );
  proxy = await startTcpProxy(swift.port);
}, 300_000);

afterAll(async () => {
  s3?.destroy();
  await proxy?.close();
  await swift?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

// Each test spawns the CLI against a Python server on two shared cores: generous limits, never reached when idle.
describe('patchboard ingest s3://bucket/prefix', { timeout: 180_000 }, () => {
  it('reads every object, in parallel, into the same rows as the folder copy', async () => {
    expect(inventoryKeys.length).toBeGreaterThan(1000);
    proxy.resetCounters();
    const result = await ingestS3();
    expect(result.stderr).toContain(
      `Ingested s3://${BUCKET}/${PREFIX} into ${s3Db}: ${inventoryKeys.length} objects read, 0 unchanged, 0 removed, ${keys.length - inventoryKeys.length} skipped`,
    );
    expect(result.code).toBe(0);
    // One GET per inventory object, no more (nothing retried here), none for keys outside the prefix.
    expect(objectGets().sort()).toEqual([...inventoryKeys].sort());
    expect(proxy.requests.some((r) => r.path.includes('org-2'))).toBe(false);
    // Reads overlap: many connections were open at once (the default is 64 reads in flight).
    expect(proxy.maxOpenConnections).toBeGreaterThanOrEqual(16);
    // Versions are the ETags: the MD5 of each object's content, as S3 gives it for a single-part upload.
    const etag = await count(
      s3Db,
      `SELECT count(*) FROM source_objects WHERE regexp_full_match(version, '[0-9a-f]{32}')`,
    );
    expect(etag).toBe(inventoryKeys.length);
    expect(await reports(s3Db)).toEqual(await reports(folderDb));
  });

  it('downloads nothing when the bucket has not changed', async () => {
    proxy.resetCounters();
    const result = await ingestS3();
    expect(result.stderr).toContain(`: 0 objects read, ${inventoryKeys.length} unchanged, 0 removed`);
    expect(result.code).toBe(0);
    expect(objectGets()).toEqual([]);
    // Only listing pages: ListObjectsV2 returns at most 1,000 keys per page.
    expect(proxy.requests.length).toBe(Math.ceil(keys.length / 1000));
    expect(await count(s3Db, `SELECT objects_read FROM ingests ORDER BY ingest_id DESC LIMIT 1`)).toBe(0);
  });

  it('reads exactly the 1% of objects that changed, and forgets a deleted one', async () => {
    const changed = pick(100, 3);
    const deleted = inventoryKeys.find(
      (key) => key.startsWith('AWS:Application/') && !changed.includes(key),
    )!;
    await changeObjects(changed);
    await unlink(join(folder, ...deleted.split('/')));
    await s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: `${PREFIX}${deleted}` }));
    proxy.resetCounters();
    const result = await ingestS3();
    expect(result.stderr).toContain(
      `: ${changed.length} objects read, ${inventoryKeys.length - changed.length - 1} unchanged, 1 removed`,
    );
    expect(result.code).toBe(0);
    expect(objectGets().sort()).toEqual([...changed].sort());
    inventoryKeys = inventoryKeys.filter((key) => key !== deleted);
    keys = keys.filter((key) => key !== deleted);
    await ingestFolder();
    expect(await reports(s3Db)).toEqual(await reports(folderDb));
  });

  it('rides out a network cut in the middle of the reads (retries with backoff)', async ({ task }) => {
    const changed = pick(25, 7);
    await changeObjects(changed);
    await ingestFolder();
    proxy.resetCounters();
    // Every connection reset after the 10th read, and nothing accepted for 1.5 s.
    proxy.cutAfter(10, `/${BUCKET}/${PREFIX}`, 1500);
    const result = await ingestS3();
    expect(proxy.connectionsReset).toBeGreaterThan(0);
    expect(result.stderr).toContain(`: ${changed.length} objects read, `);
    expect(result.code).toBe(0);
    // The reads the cut broke were made again: more GETs than objects, and every changed object among them.
    expect(objectGets().length).toBeGreaterThan(changed.length);
    expect(new Set(objectGets())).toEqual(new Set(changed));
    expect(await reports(s3Db)).toEqual(await reports(folderDb));
    task.meta.figures = { area: 'S3 faults: connections cut, store down', faults: proxy.connectionsReset };
  });

  it('stops with one clear message when the store stays down, keeps the database, and catches up next time', async ({
    task,
  }) => {
    const before = await reports(s3Db);
    const ingestsBefore = await count(s3Db, 'SELECT count(*) FROM ingests');
    const changed = pick(100, 42);
    await changeObjects(changed);
    await ingestFolder();
    proxy.resetCounters();
    proxy.cutAfter(5, `/${BUCKET}/${PREFIX}`, Infinity);
    const failed = await ingestS3();
    proxy.restore();
    expect(failed.code).toBe(1);
    const message = failed.stderr.split('\n').filter((line) => line.startsWith('patchboard:'));
    expect(message).toHaveLength(1);
    expect(message[0]).toMatch(
      new RegExp(
        `^patchboard: Could not read s3://${BUCKET}/${PREFIX}AWS:[^ ]+ \\((ECONNRESET|ECONNREFUSED|EPIPE|TimeoutError)[^)]*\\)\\. .*could not be reached.* Nothing of this ingest was kept`,
      ),
    );
    expect(failed.stderr).not.toMatch(/^\s+at /m);
    expect(failed.stderr).not.toContain(SWIFT_ADMIN.secretAccessKey);
    expect(await count(s3Db, 'SELECT count(*) FROM ingests')).toBe(ingestsBefore);
    expect(await reports(s3Db)).toEqual(before);

    proxy.resetCounters();
    const again = await ingestS3();
    expect(again.stderr).toContain(`: ${changed.length} objects read, `);
    expect(again.code).toBe(0);
    expect(objectGets().sort()).toEqual([...changed].sort());
    expect(await reports(s3Db)).toEqual(await reports(folderDb));
    task.meta.figures = { area: 'S3 faults: connections cut, store down', faults: 1 };
  });
});

describe('S3 errors: one message naming the bucket, the cause and what to do', { timeout: 180_000 }, () => {
  const scratchDb = () => join(dir, `error-${Math.random().toString(36).slice(2)}.duckdb`);
  const oneLine = (stderr: string) => {
    const lines = stderr.split('\n').filter((line) => line.startsWith('patchboard:'));
    expect(lines).toHaveLength(1);
    expect(stderr).not.toMatch(/^\s+at /m);
    expect(stderr).not.toContain(SWIFT_ADMIN.secretAccessKey);
    expect(stderr).not.toContain(SWIFT_NO_RIGHTS.secretAccessKey);
    return lines[0]!;
  };

  it('names each failure', async ({ task }) => {
    const closedPort = await freePort();
    const [noBucket, denied, badSecret, noCredentials, unreachable, folderWithEndpoint, badUrl] =
      await Promise.all([
        patchboard(['ingest', 's3://no-such-bucket/sync', '--endpoint', swift.endpoint, '--db', scratchDb()]),
        patchboard(
          ['ingest', `s3://${BUCKET}/${PREFIX}`, '--endpoint', swift.endpoint, '--db', scratchDb()],
          {
            AWS_ACCESS_KEY_ID: SWIFT_NO_RIGHTS.accessKeyId,
            AWS_SECRET_ACCESS_KEY: SWIFT_NO_RIGHTS.secretAccessKey,
          },
        ),
        patchboard(
          ['ingest', `s3://${BUCKET}/${PREFIX}`, '--endpoint', swift.endpoint, '--db', scratchDb()],
          {
            AWS_SECRET_ACCESS_KEY: 'not-the-secret',
          },
        ),
        patchboard(
          ['ingest', `s3://${BUCKET}/${PREFIX}`, '--endpoint', swift.endpoint, '--db', scratchDb()],
          {
            AWS_ACCESS_KEY_ID: undefined,
            AWS_SECRET_ACCESS_KEY: undefined,
          },
        ),
        patchboard([
          'ingest',
          `s3://${BUCKET}/${PREFIX}`,
          '--endpoint',
          `http://127.0.0.1:${closedPort}`,
          '--db',
          scratchDb(),
        ]),
        patchboard(['ingest', folder, '--endpoint', swift.endpoint, '--db', scratchDb()]),
        patchboard(['ingest', 's3://Not_A_Bucket/x', '--db', scratchDb()]),
      ]);

    expect(noBucket.code).toBe(1);
    expect(oneLine(noBucket.stderr)).toBe(
      `patchboard: Could not list the objects of s3://no-such-bucket/sync/ (NoSuchBucket, HTTP 404). The bucket no-such-bucket does not exist in the S3-compatible store at ${swift.endpoint}. Check the bucket name in the s3:// location and --endpoint. Nothing of this ingest was kept: the database is as it was before.`,
    );

    expect(denied.code).toBe(1);
    expect(oneLine(denied.stderr)).toMatch(
      /^patchboard: Could not list the objects of s3:\/\/fleet\/sync\/org-1\/ \(AccessDenied, HTTP 403\)\. The credentials in use are not allowed to list .* s3:ListBucket .* s3:GetObject .* kms:Decrypt .* AWS_PROFILE/,
    );

    expect(badSecret.code).toBe(1);
    expect(oneLine(badSecret.stderr)).toMatch(
      /^patchboard: Could not list the objects of s3:\/\/fleet\/sync\/org-1\/ \(SignatureDoesNotMatch, HTTP 403[^)]*\)\. The S3-compatible store at http:\/\/127\.0\.0\.1:\d+ rejected the credentials \(The request signature we calculated does not match .*\)\. Check AWS_PROFILE or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY/,
    );
    expect(badSecret.stderr).not.toContain('not-the-secret');

    expect(noCredentials.code).toBe(1);
    expect(oneLine(noCredentials.stderr)).toMatch(
      /^patchboard: Could not list the objects of s3:\/\/fleet\/sync\/org-1\/ \(CredentialsProviderError\)\. No AWS credentials were found\. Set AWS_PROFILE/,
    );

    expect(unreachable.code).toBe(1);
    expect(oneLine(unreachable.stderr)).toMatch(
      new RegExp(
        `^patchboard: Could not list the objects of s3://fleet/sync/org-1/ \\(ECONNREFUSED, after 6 attempts\\)\\. The S3-compatible store at http://127\\.0\\.0\\.1:${closedPort} could not be reached\\. Check the network and --endpoint`,
      ),
    );

    expect(folderWithEndpoint.code).toBe(2);
    expect(oneLine(folderWithEndpoint.stderr)).toContain('--endpoint and --region apply to an s3:// source');
    expect(badUrl.code).toBe(2);
    expect(oneLine(badUrl.stderr)).toContain('is not an S3 location; give s3://bucket or s3://bucket/prefix');
    task.meta.figures = { area: 'S3 errors: one message each', cases: 7 };
  });
});
