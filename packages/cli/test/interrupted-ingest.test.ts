/**
 * An ingest killed with SIGKILL half-way leaves the database exactly as it was, and the next ingest completes
 * with the same result as one that was never interrupted.
 */
import { spawn } from 'node:child_process';
import { copyFile, mkdtemp, rm, stat } from 'node:fs/promises';
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
  // With the robustness layer: an interrupted ingest of quirky files must end as an uninterrupted one.
  await generateFleet({ outDir: dir, nodes: 1200, seed: 4, at: '2026-10-31T12:00:00Z', quirks: true });
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

/**
 * Kill times, in ms after the CLI starts: spread over start-up, listing, reading and the commit. Three in
 * `npm test`; PATCHBOARD_KILL_TRIALS=50 for a long run.
 */
const TRIALS = Number(process.env.PATCHBOARD_KILL_TRIALS ?? 3);

it(`survives kill -9 at ${TRIALS} points during ingest`, async ({ task }) => {
  const bucket = join(dir, 'bucket');
  const before = join(dir, 'before.duckdb');
  const reference = join(dir, 'reference.duckdb');

  // The state before: the hand-written bucket. The state after: that, then the 1,200-node bucket.
  const first = await openDatabase(before);
  await ingest(first.connection, new LocalFolderSource(FIXTURE));
  first.connection.closeSync();
  first.instance.closeSync();
  await copyFile(before, reference);
  const clean = await openDatabase(reference);
  const started = Date.now();
  await ingest(clean.connection, new LocalFolderSource(bucket));
  const ingestMs = Date.now() - started;
  clean.connection.closeSync();
  clean.instance.closeSync();
  const beforeCounts = await counts(before);
  const afterCounts = await counts(reference);

  // A fixed sequence of kill times (seeded, so a failure can be replayed), from early start-up to past the
  // in-process ingest time plus the CLI's start-up.
  let seed = 20261123;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const outcomes: string[] = [];
  for (let trial = 0; trial < TRIALS; trial += 1) {
    const db = join(dir, `killed-${trial}.duckdb`);
    await copyFile(before, db);
    const killAfterMs = Math.round(300 + random() * (ingestMs + 2500));
    const child = spawn(process.execPath, [BIN, 'ingest', bucket, '--db', db], { stdio: 'ignore' });
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      child.on('exit', (_code, signal) => resolve(signal)),
    );
    await new Promise((resolve) => setTimeout(resolve, killAfterMs));
    child.kill('SIGKILL');
    const signal = await exited;
    // The database opens and holds exactly the state before, or (the kill came after the commit) after.
    // Whether the kill came after the ingest had started writing: the file grew or a write-ahead log is there.
    const touched =
      (await stat(db)).size > (await stat(before)).size ||
      (await stat(`${db}.wal`).then(
        () => true,
        () => false,
      ));
    const state = await counts(db);
    const which = JSON.stringify(state) === JSON.stringify(beforeCounts) ? 'before' : 'after';
    expect([beforeCounts, afterCounts], `trial ${trial}, killed at ${killAfterMs} ms`).toContainEqual(state);
    outcomes.push(
      `${killAfterMs} ms: ${signal ?? 'finished'}, ${touched ? 'while writing' : 'before writing'}, ${which}`,
    );

    // The next ingest completes with the same result as an uninterrupted one.
    const resumed = await openDatabase(db);
    await ingest(resumed.connection, new LocalFolderSource(bucket));
    resumed.connection.closeSync();
    resumed.instance.closeSync();
    const after = await counts(db);
    expect({ ...after, ingests: 0 }, `trial ${trial}`).toEqual({ ...afterCounts, ingests: 0 });
    await rm(db, { force: true });
  }
  console.log(`kill -9 trials (ingest alone takes ${ingestMs} ms): ${outcomes.join('; ')}`);
  task.meta.figures = {
    area: 'kill -9 during ingest',
    faults: outcomes.filter((o) => o.includes('SIGKILL')).length,
  };
  // At least one kill must have landed while the ingest was writing, or the test proved nothing.
  expect(outcomes.some((o) => o.includes('SIGKILL, while writing, before'))).toBe(true);
}, 600_000);
