/**
 * Test fleets carry a few hostile tag values; a fleet generated with `hostileTags: false` (the demo's) has
 * none, and is otherwise the same fleet.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateFleet } from './generate.js';
import { readTruth, type TruthNode } from './truth.js';

const HOSTILE_NAMES = ['<img src=x onerror=alert(1)>', '<svg onload=alert(2)>'];
const ORDINARY_TEAMS = ['payments', 'checkout', 'identity', 'data', 'platform', 'search'];

let root: string;
const fleets = new Map<boolean, TruthNode[]>();

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'patchboard-generator-hostile-'));
  for (const hostileTags of [true, false]) {
    const outDir = join(root, String(hostileTags));
    await generateFleet({
      outDir,
      nodes: 120,
      seed: 9,
      at: '2026-10-31T00:00:00Z',
      unmanagedPct: 12.5,
      hostileTags,
    });
    fleets.set(hostileTags, (await readTruth(outDir)).nodes);
  }
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe('hostile tag values', () => {
  it('are on by default: two named nodes and two formula teams, one of each unmanaged', () => {
    const nodes = fleets.get(true) ?? [];
    expect(nodes.filter((n) => HOSTILE_NAMES.includes(n.name ?? '')).map((n) => [n.name, n.managed])).toEqual(
      expect.arrayContaining([
        ['<img src=x onerror=alert(1)>', true],
        ['<svg onload=alert(2)>', false],
      ]),
    );
    expect(nodes.filter((n) => n.team?.startsWith('=HYPERLINK(')).length).toBe(2);
  });

  it('off, every Name is ordinary and every Team one of the six; the other nodes are unchanged', () => {
    const plain = fleets.get(false) ?? [];
    const hostile = fleets.get(true) ?? [];
    expect(plain).toHaveLength(120);
    expect(plain.filter((n) => n.name !== null && !/^[a-z]+-[a-z]+-[a-z]+-\d{4}$/.test(n.name))).toEqual([]);
    expect(plain.filter((n) => n.team !== null && !ORDINARY_TEAMS.includes(n.team))).toEqual([]);
    const byId = new Map(hostile.map((n) => [n.nodeId, n]));
    // Nodes 7 and 13 and one unmanaged instance are the hostile ones; every other node is the same node.
    expect(plain.filter((n) => JSON.stringify(byId.get(n.nodeId)) !== JSON.stringify(n))).toHaveLength(3);
  });
});
