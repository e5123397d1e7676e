/**
 * One audit pack: the command line's pack and the scheduled delivery Lambda's pack of the same month, over the
 * same data at the same evaluation time, are the same bytes. The Lambda handler runs as deployed but with its
 * engine pointed at the DuckDB database the command line reads (Athena cannot run here) and its S3 client at a
 * real S3-compatible store (Swift); SES and Slack are not configured, so nothing else is called.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { PACK_SECTIONS, sha256Hex } from '@patchboard/core';
import { DuckDbQueryEngine, ingest, openDatabase } from '@patchboard/engine-duckdb';
import { generateFleet, readTruth } from '@patchboard/generator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandler } from '../../../infra/lambda/delivery/handler.js';
import { buildAuditPack } from '../src/commands/audit-pack.js';
import { resolveContext } from '../src/context.js';
import { LocalFolderSource } from '../src/sources/local-folder.js';
import { startSwift, SWIFT_ADMIN, SWIFT_REGION, type SwiftServer } from './support/swift.js';

/** The fleet's one snapshot, inside October. */
const AT = '2026-10-20T12:00:00Z';
/** The Lambda's monthly run for October: the 1st at 06:00 UTC. */
const NOW = '2026-11-01T06:00:00Z';
const BUCKET = 'patchboard-packs';

let dir: string;
let swift: SwiftServer;
let s3: S3Client;
let engine: DuckDbQueryEngine;
let nodes: number;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'patchboard-pack-lambda-'));
  const [server] = await Promise.all([
    startSwift(),
    generateFleet({ outDir: join(dir, 'fleet'), nodes: 120, accounts: 2, regions: 1, seed: 21, at: AT }),
  ]);
  swift = server;
  nodes = (await readTruth(join(dir, 'fleet'))).nodes.length;
  const db = await openDatabase(join(dir, 'fleet.duckdb'));
  engine = new DuckDbQueryEngine(db);
  expect((await ingest(db.connection, new LocalFolderSource(join(dir, 'fleet', 'bucket')))).errors).toBe(0);
  s3 = new S3Client({
    region: SWIFT_REGION,
    endpoint: swift.endpoint,
    forcePathStyle: true,
    credentials: SWIFT_ADMIN,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
}, 300_000);

afterAll(async () => {
  s3?.destroy();
  await engine?.close();
  await swift?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('the audit pack of the command line and of the delivery Lambda', () => {
  it('are the same CSV, JSON and manifest bytes for the same month, data and evaluation time', async () => {
    const out = join(dir, 'cli-pack');
    const context = await resolveContext({ db: join(dir, 'fleet.duckdb'), now: NOW });
    const written = await buildAuditPack(context, engine, { month: '2026-10', out, pdf: false });

    // The Lambda as deployed, on the same engine (its close left to this test) and a real S3 store.
    const lambdaEngine = Object.assign(Object.create(engine) as DuckDbQueryEngine, {
      close: () => Promise.resolve(),
      execute: () => Promise.reject(new Error('the monthly pack runs no DDL')),
    });
    const handler = createHandler({
      settings: { bucket: BUCKET, database: 'patchboard', workgroup: 'patchboard', to: [] },
      engine: () => lambdaEngine,
      s3,
      ses: new SESv2Client({ region: SWIFT_REGION }),
      secrets: new SecretsManagerClient({ region: SWIFT_REGION }),
      now: () => Date.parse(NOW),
    });
    const outcome = (await handler({ task: 'monthly-pack' })) as { month: string; keys: string[] };
    expect(outcome.month).toBe('2026-10');
    const tableFiles = PACK_SECTIONS.flatMap((s) => [`${s.file}.csv`, `${s.file}.json`]);
    expect(outcome.keys).toEqual([...tableFiles, 'manifest.json'].map((f) => `packs/2026-10/${f}`));
    const fromBucket = async (file: string) => {
      const object = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: `packs/2026-10/${file}` }));
      return Buffer.from((await object.Body?.transformToByteArray()) ?? []);
    };

    for (const file of tableFiles) {
      const cli = await readFile(join(out, file));
      expect((await fromBucket(file)).equals(cli), file).toBe(true);
    }

    // The command line's manifest lists its report.html as well; with that line taken out, the same bytes.
    const cliManifest = JSON.parse(await readFile(join(out, 'manifest.json'), 'utf8')) as {
      files: { path: string; sha256: string; bytes: number }[];
    };
    const html = await readFile(join(out, 'report.html'));
    expect(cliManifest.files.at(-1)).toEqual({
      path: 'report.html',
      bytes: html.length,
      sha256: await sha256Hex(html),
    });
    const withoutHtml = { ...cliManifest, files: cliManifest.files.slice(0, -1) };
    const lambdaManifest = await fromBucket('manifest.json');
    expect(lambdaManifest.toString('utf8')).toBe(`${JSON.stringify(withoutHtml, null, 2)}\n`);
    expect(written.files.map((f) => f.path)).toEqual([...tableFiles, 'report.html']);

    // What both say, checked against the data: the month's last second, the last ingest, every node.
    expect(JSON.parse(lambdaManifest.toString('utf8'))).toMatchObject({
      month: '2026-10',
      team: null,
      dataCutOff: '2026-10-31T23:59:59Z',
      monthComplete: true,
      source: { source: join(dir, 'fleet', 'bucket') },
    });
    const summary = JSON.parse((await fromBucket('summary.json')).toString('utf8')) as {
      asOf: string;
      rows: { nodes: number }[];
    };
    expect(summary.asOf).toBe('2026-10-31T23:59:59Z');
    expect(summary.rows[0]?.nodes).toBe(nodes);
  });
});
