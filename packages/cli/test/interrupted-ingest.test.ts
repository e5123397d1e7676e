/**
 * An ingest killed with SIGKILL half-way leaves the database exactly as it was, and the next ingest completes
 * with the same result as one that was never interrupted.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDbQueryEngine, ingest, openDatabase } from '@patchboard/engine-duckdb';
import { generateFleet } from '@patchboard/generator';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { LocalFolderSource } from '../src/sources/local-folder.js';

const BIN = join(import.meta.dirname, '..', 'bin', 'patchboard.js');
const FIXTURE = join(import.meta.dirname, 'fixtures', 'handmade-bucket');
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'patchboard-kill-'));
  await generateFleet({ outDir: dir, nodes: 3000, seed: 4, at: '2026-10-31T12:00:00Z' });
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function counts(dbPath: string): Promise<Record<string, unknown>> {
  const engine = new DuckDbQueryEngine(await openDatabase(dbPath));
  try {
    const { rows } = await engine.run({
      sql: `SELECT (SELECT count(*) FROM aws_complianceitem) AS items, (SELECT count(*) FROM aws_tag) AS tags,
              (SELECT count(*) FROM source_objects) AS objects, (SELECT count(*) FROM ingests) AS ingests`,
      parameters: [],
    });
    return rows[0]!;
  } finally {
    await engine.close();
  }
}

it('survives kill -9 during ingest', async () => {
  const bucket = join(dir, 'bucket');
  const db = join(dir, 'killed.duckdb');
  const reference = join(dir, 'reference.duckdb');

  // The state before: the hand-written bucket.
  const first = await openDatabase(db);
  await ingest(first.connection, new LocalFolderSource(FIXTURE));
  first.connection.closeSync();
  first.instance.closeSync();
  const before = await counts(db);

  // Kill the CLI while it reads the 3,000-node bucket (bounded: it is killed after at most 3 s).
  const child = spawn(process.execPath, [BIN, 'ingest', bucket, '--db', db], { stdio: 'ignore' });
  const exited = new Promise<NodeJS.Signals | null>((resolve) =>
    child.on('exit', (_code, signal) => resolve(signal)),
  );
  await new Promise((resolve) => setTimeout(resolve, 3000));
  child.kill('SIGKILL');
  expect(await exited).toBe('SIGKILL');
  expect(await counts(db)).toEqual(before);

  // The next ingest completes like an uninterrupted one.
  const resumed = await openDatabase(db);
  await ingest(resumed.connection, new LocalFolderSource(bucket));
  resumed.connection.closeSync();
  resumed.instance.closeSync();
  const clean = await openDatabase(reference);
  await ingest(clean.connection, new LocalFolderSource(bucket));
  clean.connection.closeSync();
  clean.instance.closeSync();
  const after = await counts(db);
  const expected = await counts(reference);
  expect({ ...after, ingests: 0 }).toEqual({ ...expected, ingests: 0 });
  expect(after.ingests).toBe(2);
});
