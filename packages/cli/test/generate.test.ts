/**
 * `patchboard generate --unmanaged-pct`: the option reaches the generator, and a share outside 0-100 is refused
 * before anything is written. The counts are checked against the generator's ground truth.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readTruth } from '@patchboard/generator';
import { runPatchboard } from './support/run-cli.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const patchboard = runPatchboard;

describe('patchboard generate --unmanaged-pct', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'patchboard-generate-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('writes round(nodes x pct / 100) unmanaged EC2 instances and a Config snapshot per account', async () => {
    const out = join(dir, 'fleet');
    const args = ['generate', '--out', out, '--nodes', '40', '--unmanaged-pct', '12.5', '--seed', '3'];
    const { code, stderr } = await patchboard(...args, '--at', '2026-10-31T00:00:00Z');
    expect(code, stderr).toBe(0);
    expect(stderr).toContain(
      'Generated 40 nodes (5 EC2 instances without an agent, in AWS Config snapshots only)',
    );
    const { meta, nodes } = await readTruth(out);
    expect(meta.unmanagedPct).toBe(12.5);
    expect(nodes).toHaveLength(40);
    expect(nodes.filter((n) => !n.managed)).toHaveLength(5);
    expect(meta.configSnapshots).toHaveLength(3);
    expect(await readdir(join(out, 'bucket', 'AWSLogs'))).toEqual([
      '022222222222',
      '111111111111',
      '333333333333',
    ]);
  });

  it('--quirks adds the robustness layer, and the answers stay those of the ground truth', async () => {
    const plain = join(dir, 'plain');
    const quirky = join(dir, 'quirky');
    for (const [out, extra] of [
      [plain, []],
      [quirky, ['--quirks']],
    ] as const) {
      const { code, stderr } = await patchboard(
        'generate',
        '--out',
        out,
        '--nodes',
        '300',
        '--seed',
        '4',
        '--at',
        '2026-10-31T00:00:00Z',
        ...extra,
      );
      expect(code, stderr).toBe(0);
    }
    const [a, b] = await Promise.all([readTruth(plain), readTruth(quirky)]);
    expect(Object.values(a.meta.quirks).every((n) => n === 0)).toBe(true);
    for (const [quirk, n] of Object.entries(b.meta.quirks)) expect(n, quirk).toBeGreaterThan(0);
    // The same fleet either way: the layer changes how files are written, never what they say.
    expect(b.nodes).toEqual(a.nodes);
    const db = join(dir, 'quirky.duckdb');
    expect((await patchboard('ingest', join(quirky, 'bucket'), '--db', db)).code).toBe(0);
    const summary = await patchboard(
      'report',
      'fleet-summary',
      '--db',
      db,
      '--now',
      '2026-10-31T00:00:00Z',
      '--format',
      'json',
    );
    const [row] = (JSON.parse(summary.stdout) as { rows: Record<string, unknown>[] }).rows;
    const count = (status: string) => b.nodes.filter((n) => n.status === status).length;
    expect(row).toMatchObject({
      nodes: b.nodes.length,
      compliant: count('COMPLIANT'),
      non_compliant: count('NON_COMPLIANT'),
      stale: count('STALE'),
      not_scanned: count('NOT_SCANNED'),
    });
    const errors = await patchboard('report', 'ingest-errors', '--db', db, '--format', 'json');
    expect((JSON.parse(errors.stdout) as { rows: unknown[] }).rows).toEqual([]);
  });

  it('refuses a share outside 0 to 100, saying what it expected', async () => {
    for (const pct of ['150', '-5', 'ten']) {
      const out = join(dir, `refused-${pct}`);
      const { code, stderr } = await patchboard(
        'generate',
        '--out',
        out,
        '--nodes',
        '20',
        '--unmanaged-pct',
        pct,
      );
      expect(code, pct).not.toBe(0);
      expect(stderr, pct).toContain(`expected a percentage from 0 to 100 such as 12.5, got "${pct}"`);
      await expect(readdir(out)).rejects.toThrow(/ENOENT/);
    }
  });
});
