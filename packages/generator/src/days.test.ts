import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateFleet, type GenerateSummary } from './generate.js';
import { type Bucket, deriveTruth, listFiles, patchState, readBucket } from './test-support.js';
import { readPatchEvents, readTruth, type TruthPatchEvent } from './truth.js';

const AT = '2026-10-31T00:00:00Z';
const DAYS = 6;
let root: string;
let summary: GenerateSummary;
const buckets = new Map<string, Bucket>();

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'patchboard-generator-days-'));
  summary = await generateFleet({ outDir: root, nodes: 200, days: DAYS, seed: 7, at: AT });
  for (const date of summary.snapshots) buckets.set(date, readBucket(join(root, 'days', date)));
});
afterAll(() => rm(root, { recursive: true, force: true }));

const lastDate = () => summary.snapshots.at(-1) ?? '';

describe('a fleet over days', () => {
  it('writes one snapshot per day, ending at `at`, each borne out by its own truth', async () => {
    expect(summary.snapshots).toHaveLength(DAYS);
    expect(summary.snapshots[0]).toBe('2026-10-26');
    expect(lastDate()).toBe('2026-10-31');
    for (const [d, date] of summary.snapshots.entries()) {
      const { meta, nodes } = await readTruth(root, date);
      const bucket = buckets.get(date);
      expect(meta.date).toBe(date);
      expect(meta.files).toBe(bucket?.keys.length);
      expect(bucket?.nodes.size).toBe(nodes.length);
      const at = Date.parse(AT) - (DAYS - 1 - d) * 86_400_000;
      for (const node of nodes) {
        const files = bucket?.nodes.get(`${node.accountId}/${node.region}/${node.nodeId}`);
        expect(files, `${date} ${node.nodeId}`).toBeDefined();
        if (files) expect(deriveTruth(files, at), `${date} ${node.nodeId}`).toEqual(node);
      }
    }
  });

  it('keeps the last day as the bucket copy, hard-linking what did not change', async () => {
    const last = join(root, 'days', lastDate());
    const keys = listFiles(join(root, 'bucket'));
    expect(keys).toEqual(listFiles(last));
    for (const key of keys.slice(0, 200)) {
      expect((await stat(join(root, 'bucket', key))).ino).toBe((await stat(join(last, key))).ino);
    }
    const tagKeys = (buckets.get(summary.snapshots[5] ?? '')?.keys ?? []).filter((k) =>
      k.startsWith('AWS:Tag/'),
    );
    const linked = await Promise.all(
      tagKeys.map(async (key) => (await stat(join(root, 'days', summary.snapshots[5] ?? '', key))).nlink),
    );
    expect(linked.filter((n) => n > 2).length / linked.length).toBeGreaterThan(0.5);
  });

  it('lets nodes come and go, and changes about 2% of compliance items a day', async () => {
    const first = await readTruth(root, summary.snapshots[0]);
    const last = await readTruth(root);
    expect(first.meta.nodes).toBeLessThan(last.meta.nodes);
    expect(first.nodes.filter((n) => n.status === 'INACTIVE').length).toBeLessThan(
      last.nodes.filter((n) => n.status === 'INACTIVE').length,
    );
    const itemsOf = (bucket: Bucket | undefined) =>
      new Map(
        [...(bucket?.nodes ?? [])].map(([id, node]) => [
          id,
          new Map(
            (node.lines.get('AWS:ComplianceItem') ?? [])
              .filter((l) => l.ComplianceType === 'Patch')
              .map((l) => [String(l.Id), `${patchState(l.PatchState)} ${String(l.InstalledTime)}`]),
          ),
        ]),
      );
    const rates: number[] = [];
    for (let d = 1; d < DAYS; d++) {
      const before = itemsOf(buckets.get(summary.snapshots[d - 1] ?? ''));
      const after = itemsOf(buckets.get(summary.snapshots[d] ?? ''));
      let changed = 0;
      let total = 0;
      for (const [id, items] of after) {
        const previous = before.get(id) ?? new Map<string, string>();
        total += items.size;
        for (const [patch, state] of items) if (previous.get(patch) !== state) changed++;
        for (const patch of previous.keys()) if (!items.has(patch)) changed++;
      }
      rates.push(changed / total);
    }
    const average = rates.reduce((sum, r) => sum + r, 0) / rates.length;
    // Linux items are packages (`name.arch`), so each new release of a package changes its item the day the
    // release supersedes the last: a little over 4% a day, as on a fleet patched weekly.
    expect(average).toBeGreaterThan(0.01);
    expect(average).toBeLessThan(0.05);
  });

  it('records patch events whose install times are those the last snapshot reports', async () => {
    const events = await readPatchEvents(root);
    expect(events.length).toBeGreaterThan(100);
    // An item is one release: Linux ids are packages and the removal tool keeps KB890830, so the title tells a
    // newer release from the one it supersedes.
    const byNodeAndItem = new Map<string, TruthPatchEvent>();
    for (const event of events) byNodeAndItem.set(`${event.nodeId} ${event.patchId} ${event.title}`, event);
    let compared = 0;
    for (const node of buckets.get(lastDate())?.nodes.values() ?? []) {
      for (const line of node.lines.get('AWS:ComplianceItem') ?? []) {
        const event = byNodeAndItem.get(`${node.nodeId} ${String(line.Id)} ${String(line.Title)}`);
        if (line.ComplianceType !== 'Patch' || !event) continue;
        expect(event.installedTime, `${node.nodeId} ${String(line.Id)}`).toBe(line.InstalledTime || null);
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(100);
    expect(events.filter((e) => e.installedTime !== null).length).toBeGreaterThan(events.length / 2);
    const platformOf = (event: TruthPatchEvent): string | undefined =>
      buckets
        .get(lastDate())
        ?.nodes.get(`${event.accountId}/${event.region}/${event.nodeId}`)
        ?.lines.get('AWS:InstanceInformation')?.[0]?.PlatformName as string | undefined;
    let ubuntuSecurity = 0;
    for (const event of events) {
      expect(event.firstSeenNonCompliant >= event.releasedAt, event.patchId).toBe(true);
      if (!['Security', 'SecurityUpdates'].includes(event.classification)) continue;
      // The agent writes no CVE ids for apt packages: Ubuntu's and Debian's security patches carry none.
      const platform = platformOf(event);
      if (platform === 'Ubuntu' || platform?.startsWith('Debian') === true) {
        expect(event.cveIds, event.patchId).toEqual([]);
        ubuntuSecurity++;
      } else expect(event.cveIds.length, event.patchId).toBeGreaterThan(0);
    }
    expect(ubuntuSecurity).toBeGreaterThan(0);
    const text = await readFile(join(root, 'truth', 'patch-events.ndjson'), 'utf8');
    expect(text.trimEnd().split('\n')).toHaveLength(events.length);
  });
});

describe('a fleet over days, one copy every few days', () => {
  it('writes the same copies as every day would, on every third day back from the last', async () => {
    const sparse = await mkdtemp(join(tmpdir(), 'patchboard-generator-every-'));
    try {
      const written = await generateFleet({
        outDir: sparse,
        nodes: 200,
        days: DAYS,
        everyDays: 3,
        seed: 7,
        at: AT,
      });
      // Days 6 and 3 of the six: the last, then three days before it.
      expect(written.snapshots).toEqual(['2026-10-28', '2026-10-31']);
      for (const date of written.snapshots) {
        const keys = listFiles(join(sparse, 'days', date));
        expect(keys).toEqual(buckets.get(date)?.keys);
        for (const key of keys) {
          const [mine, daily] = await Promise.all([
            readFile(join(sparse, 'days', date, key)),
            readFile(join(root, 'days', date, key)),
          ]);
          expect(mine.equals(daily), `${date} ${key}`).toBe(true);
        }
        expect((await readTruth(sparse, date)).nodes).toEqual((await readTruth(root, date)).nodes);
      }
    } finally {
      await rm(sparse, { recursive: true, force: true });
    }
  });
});
