/**
 * A full disk, made real with the operating system's file-size limit (`ulimit -f`, with SIGXFSZ ignored so a
 * write past it fails with EFBIG as it would with ENOSPC): the ingest and the audit pack fail with one clear
 * message, the database keeps its state from before, and no half-written pack is left behind.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { generateFleet } from '@patchboard/generator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const BIN = join(import.meta.dirname, '..', 'bin', 'patchboard.js');
const FIXTURE = join(import.meta.dirname, 'fixtures', 'handmade-bucket');
const run = promisify(execFile);
let dir: string;
let db: string;

/** The CLI with a limit on the size of any file it writes, in KiB. */
async function limited(limitKib: number, ...args: string[]) {
  const command = `trap '' XFSZ; ulimit -f ${limitKib}; exec "$0" "$@"`;
  return run('bash', ['-c', command, process.execPath, BIN, ...args]).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => error,
  );
}
const nodes = async () =>
  (
    JSON.parse(
      (await run(process.execPath, [BIN, 'report', 'fleet-summary', '--db', db, '--format', 'json'])).stdout,
    ) as { rows: { nodes: number }[] }
  ).rows[0]?.nodes;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'patchboard-disk-full-'));
  await generateFleet({
    outDir: join(dir, 'fleet'),
    nodes: 600,
    seed: 3,
    at: '2026-10-31T12:00:00Z',
    quirks: true,
  });
  db = join(dir, 'p.duckdb');
  await run(process.execPath, [BIN, 'ingest', FIXTURE, '--db', db]);
}, 120_000);
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('a full disk', () => {
  it('stops an ingest with a clear message; the database keeps its state and the next ingest completes', async ({
    task,
  }) => {
    const before = await nodes();
    const room = Math.ceil((await stat(db)).size / 1024) + 512;
    const failed = await limited(room, 'ingest', join(dir, 'fleet', 'bucket'), '--db', db);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(
      /^patchboard: The database could not be written \(File too large\): the disk is full or a file size limit was reached\. Nothing of this ingest was kept/m,
    );
    expect(failed.stderr).not.toMatch(/unexpected failure|stack/i);
    expect(await nodes()).toBe(before);
    await run(process.execPath, [BIN, 'ingest', join(dir, 'fleet', 'bucket'), '--db', db]);
    expect(await nodes()).toBe(600);
    task.meta.figures = { area: 'disk full', faults: 1 };
  });

  it('stops an audit pack with a clear message and leaves nothing that looks like a pack', async ({
    task,
  }) => {
    const out = join(dir, 'pack');
    const failed = await limited(
      16,
      'audit-pack',
      '--month',
      '2026-10',
      '--out',
      out,
      '--no-pdf',
      '--db',
      db,
    );
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain(`The audit pack could not be written to ${out} (EFBIG)`);
    expect((await readdir(dir)).filter((name) => name.includes('pack'))).toEqual([]);
    task.meta.figures = { area: 'disk full', faults: 1 };
  });
});
