import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateFleet } from './generate.js';
import { readPatchEvents, readTruth } from './truth.js';

const KEY =
  /^(?:(.+)\/)?((?:AWS|Custom):[^/]+)\/accountid=(\d{12})\/region=([a-z0-9-]+)\/resourcetype=([^/]+)\/([^/]+)\.json$/;
const AT = '2026-10-31T12:00:00Z';
let root: string;

async function files(folder: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await walk(path);
      else out.set(relative(folder, path), await readFile(path, 'utf8'));
    }
  };
  await walk(folder);
  return out;
}
const digest = (map: Map<string, string>) =>
  createHash('sha256')
    .update(JSON.stringify([...map].sort(([a], [b]) => (a < b ? -1 : 1))))
    .digest('hex');
const records = (text: string) =>
  text
    .replace(/^\ufeff/, '')
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'patchboard-gen-'));
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe('generateFleet', () => {
  it('writes the same bytes for the same seed, and others for another seed', async () => {
    await generateFleet({ outDir: join(root, 'a'), nodes: 200, seed: 5, at: AT });
    await generateFleet({ outDir: join(root, 'b'), nodes: 200, seed: 5, at: AT });
    await generateFleet({ outDir: join(root, 'c'), nodes: 200, seed: 6, at: AT });
    const [a, b, c] = await Promise.all(['a', 'b', 'c'].map((d) => files(join(root, d, 'bucket'))));
    expect(digest(a!)).toBe(digest(b!));
    expect(digest(a!)).not.toBe(digest(c!));
  });

  it('follows the sync key layout and keeps its truth consistent with the files', async () => {
    const out = join(root, 'layout');
    await generateFleet({ outDir: out, nodes: 2000, accounts: 3, regions: 2, seed: 3, at: AT });
    const bucket = await files(join(out, 'bucket'));
    const { meta, nodes } = await readTruth(out);
    const probes = [...bucket.keys()].filter((k) => k.endsWith('test.json'));
    expect(probes).toHaveLength(3);
    for (const key of bucket.keys()) if (!key.endsWith('test.json')) expect(key).toMatch(KEY);
    expect(meta.accounts.map((a) => a.accountId)).toContain('022222222222');
    for (const quirk of Object.values(meta.quirks)) expect(quirk).toBeGreaterThan(0);

    // Re-derive each node's counts from its written files: PatchSummary counts equal the Patch items.
    for (const node of nodes.slice(0, 400)) {
      const path = (type: string) =>
        `${type}/accountid=${node.accountId}/region=${node.region}/resourcetype=ManagedInstanceInventory/${node.nodeId}.json`;
      const items = records(bucket.get(path('AWS:ComplianceItem')) ?? '').filter(
        (r) => r.ComplianceType === 'Patch',
      );
      const state = (s: string) =>
        items.filter((r) => String(r.PatchState).replaceAll('_', '').toUpperCase() === s.toUpperCase())
          .length;
      expect(state('Missing')).toBe(node.missing);
      expect(state('Failed')).toBe(node.failed);
      expect(state('InstalledPendingReboot')).toBe(node.pendingReboot);
      const summary = records(bucket.get(path('AWS:PatchSummary')) ?? '')[0];
      if (node.status === 'NOT_SCANNED') expect(summary).toBeUndefined();
      else expect(Number(summary?.MissingCount)).toBe(node.missing);
    }
    const statuses = new Set(nodes.map((n) => n.status));
    expect(statuses).toEqual(new Set(['COMPLIANT', 'NON_COMPLIANT', 'STALE', 'NOT_SCANNED', 'INACTIVE']));
  });

  it('evolves the fleet over days, linking unchanged files, with patch events matching the last day', async () => {
    const out = join(root, 'days');
    const summary = await generateFleet({ outDir: out, nodes: 300, days: 10, seed: 9, at: AT });
    expect(summary.snapshots).toHaveLength(10);
    expect(summary.snapshots.at(-1)).toBe('2026-10-31');
    const first = await readTruth(out, summary.snapshots[0]);
    const last = await readTruth(out);
    expect(first.meta.date).toBe('2026-10-22');
    expect(first.nodes.map((n) => n.status)).not.toEqual(last.nodes.map((n) => n.status));
    const events = await readPatchEvents(out);
    expect(events.length).toBeGreaterThan(0);
    const installed = events.filter((e) => e.installedTime !== null);
    expect(installed.length).toBeGreaterThan(0);
    for (const event of installed.slice(0, 50)) {
      expect(Date.parse(event.installedTime!)).toBeGreaterThanOrEqual(Date.parse(event.releasedAt));
      expect(last.nodes.find((n) => n.nodeId === event.nodeId)?.nonCompliantPatchIds).not.toContain(
        event.patchId,
      );
    }
    // A stopped node's files do not change from day to day: they are hard links, not copies.
    const tagFile = (date: string) => {
      const n = last.nodes.find((x) => x.status === 'INACTIVE')!;
      return join(
        out,
        'days',
        date,
        `AWS:Tag/accountid=${n.accountId}/region=${n.region}/resourcetype=ManagedInstanceInventory/${n.nodeId}.json`,
      );
    };
    expect((await stat(tagFile(summary.snapshots[8]!))).nlink).toBeGreaterThan(1);
  });
});
