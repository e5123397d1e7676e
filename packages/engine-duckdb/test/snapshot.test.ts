/**
 * The dashboard's reader against a real ingest in another process: the ingest is never refused, the reader
 * keeps answering from its copy meanwhile, and it shows the new data once the ingest has committed.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DatabaseSnapshots, snapshotMemoryLimitMiB } from '../src/index.js';

const CHILD = fileURLToPath(new URL('./fixtures/ingest-child.ts', import.meta.url));

/** Runs an ingest of `nodes` tag files in a child process; resolves with its exit code. */
function ingestInChild(path: string, nodes: number, captured: string, onLine = (_line: string) => {}) {
  const child = spawn(
    process.execPath,
    ['--conditions=@patchboard/source', '--import', 'tsx', CHILD, path, String(nodes), captured],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  child.stdout.on('data', (chunk: Buffer) => chunk.toString().split('\n').filter(Boolean).forEach(onLine));
  return new Promise<number | null>((resolve) => child.on('exit', resolve));
}

describe('database snapshots', () => {
  let dir: string;
  let path: string;
  let snapshots: DatabaseSnapshots | undefined;
  const tagRows = () =>
    snapshots!.use(async ({ engine }) => {
      const result = await engine.run({ sql: 'SELECT count(*) AS n FROM aws_tag', parameters: [] });
      return result.rows[0]?.n;
    });

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'patchboard-snapshot-test-'));
    path = join(dir, 'p.duckdb');
    expect(await ingestInChild(path, 200, '2026-10-01T02:00:00Z')).toBe(0);
  });
  afterEach(async () => {
    await snapshots?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps answering during an ingest in another process and shows its data once committed', async () => {
    snapshots = await DatabaseSnapshots.open(path);
    const first = snapshots.version;
    expect(await tagRows()).toBe(200);
    // A small database gets the floor of 256 MiB (DuckDB prints it as 256.0 MiB).
    const limit = await snapshots.use(({ engine }) =>
      engine.run({ sql: `SELECT current_setting('memory_limit') AS v`, parameters: [] }),
    );
    expect(limit.rows[0]?.v).toBe('256.0 MiB');

    let phase = 'before';
    const answersWhileWriting: unknown[] = [];
    const done = ingestInChild(path, 3000, '2026-10-02T02:00:00Z', (line) => (phase = line));
    const deadline = Date.now() + 60_000;
    let exit: number | null | undefined;
    void done.then((code) => (exit = code));
    // Ask while the child runs: refreshes are refused the file (it is being written) and must not fail.
    while (exit === undefined && Date.now() < deadline) {
      await snapshots.refresh();
      const answer = await tagRows();
      if (phase === 'opened') answersWhileWriting.push(answer);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    expect(exit).toBe(0);
    // While the child held the file the old copy answered. The child's "committed" line can reach us a moment
    // after its lock is gone, so the last answers may already be the new data, never anything in between.
    expect(answersWhileWriting[0]).toBe(200);
    const firstNew = answersWhileWriting.indexOf(3000);
    const old = firstNew === -1 ? answersWhileWriting : answersWhileWriting.slice(0, firstNew);
    expect(new Set(old)).toEqual(new Set([200]));
    expect(new Set(answersWhileWriting.slice(old.length))).toEqual(new Set(firstNew === -1 ? [] : [3000]));

    await snapshots.refresh();
    expect(snapshots.version).not.toBe(first);
    expect(await tagRows()).toBe(3000);
  });

  it('lets a request finish on the copy it started with, then deletes that copy', async () => {
    snapshots = await DatabaseSnapshots.open(path);
    const copies = () =>
      readdir(tmpdir()).then((names) => names.filter((n) => n.startsWith('patchboard-snapshot-')));
    const before = await copies();
    let release!: () => void;
    const held = snapshots.use(async ({ engine }) => {
      await new Promise<void>((resolve) => (release = resolve));
      return (await engine.run({ sql: 'SELECT count(*) AS n FROM aws_tag', parameters: [] })).rows[0]?.n;
    });
    expect(await ingestInChild(path, 300, '2026-10-02T02:00:00Z')).toBe(0);
    await snapshots.refresh();
    expect(await tagRows()).toBe(300);
    expect((await copies()).length).toBe(before.length + 1);
    release();
    expect(await held).toBe(200);
    expect((await copies()).length).toBe(before.length);
  });
});

describe('snapshot memory limit', () => {
  const GIB = 1024 ** 3;
  it('is 256 MiB up to a 128 MiB database, then twice the database, and at most a fifth of the machine', () => {
    expect(snapshotMemoryLimitMiB(0, 24 * GIB)).toBe(256);
    expect(snapshotMemoryLimitMiB(111_161_344, 24 * GIB)).toBe(256);
    expect(snapshotMemoryLimitMiB(600 * 1024 * 1024, 24 * GIB)).toBe(1200);
    expect(snapshotMemoryLimitMiB(20 * GIB, 24 * GIB)).toBe(Math.floor((24 * 1024) / 5));
    expect(snapshotMemoryLimitMiB(0, 1 * GIB)).toBe(204);
  });
});
