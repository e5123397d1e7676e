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
