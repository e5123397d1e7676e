/**
 * Coverage on the seeds' scenario: 800 EC2 instances of which 12.5 % have no working SSM Agent, known only to
 * AWS Config. Every figure is checked against the generator's ground truth (the Athena views over the same kind
 * of fleet are checked in athena-views.test.ts).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileReport, DEFAULT_POLICY, type QueryEngine } from '@patchboard/core';
import { DuckDbQueryEngine, ingest, openDatabase } from '@patchboard/engine-duckdb';
import { generateFleet, readTruth, type TruthNode } from '@patchboard/generator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalFolderSource } from '../src/sources/local-folder.js';

const AT = '2026-10-31T12:00:00Z';
let dir: string;
let engine: QueryEngine;
let truth: TruthNode[];

const report = async (id: string, params: Record<string, unknown> = {}) =>
  (
    await engine.run(
      compileReport(id, params, { policy: DEFAULT_POLICY, now: Date.parse(AT), dialect: engine.dialect })
        .query,
    )
  ).rows;
const pct = (part: number, whole: number) => Math.round((1000 * part) / whole) / 10;

/** The coverage columns of a group of truth nodes, computed from the generator's model alone. */
function expectedCoverage(nodes: readonly TruthNode[]) {
  const active = nodes.filter((n) => n.status !== 'INACTIVE');
  const unmanaged = nodes.filter((n) => n.status === 'UNMANAGED');
  return {
    active: active.length,
    unmanaged: unmanaged.length,
    compliance_pct: pct(nodes.filter((n) => n.status === 'COMPLIANT').length, active.length),
    coverage_pct: nodes.some((n) => n.instanceState !== null)
      ? pct(active.length - unmanaged.length, active.length)
      : null,
  };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'patchboard-coverage-'));
  await generateFleet({
    outDir: dir,
    nodes: 800,
    accounts: 3,
    regions: 1,
    seed: 8,
    at: AT,
    unmanagedPct: 12.5,
  });
  truth = (await readTruth(dir)).nodes;
  const db = await openDatabase(join(dir, 'p.duckdb'));
  engine = new DuckDbQueryEngine(db);
  expect((await ingest(db.connection, new LocalFolderSource(join(dir, 'bucket')))).errors).toBe(0);
}, 300_000);
afterAll(async () => {
  await engine.close();
  await rm(dir, { recursive: true, force: true });
});

describe('the instances SSM does not see, against the ground truth', () => {
  it('the fleet has the seeds’ 100 of 800 instances without an agent', () => {
    expect(truth).toHaveLength(800);
    expect(truth.filter((n) => !n.managed)).toHaveLength(100);
    // Some of them are stopped: those are inactive, the rest are running and UNMANAGED.
    const unmanaged = truth.filter((n) => n.status === 'UNMANAGED').length;
    expect(unmanaged).toBeGreaterThan(80);
    expect(unmanaged).toBeLessThan(100);
  });

  it('fleet-summary: coverage % and compliance % over all running instances', async () => {
    const [row] = await report('fleet-summary');
    expect(row).toMatchObject({ nodes: 800, ...expectedCoverage(truth) });
  });

  it.each([
    ['account', 'account_id', (n: TruthNode) => n.accountId],
    ['team', 'team', (n: TruthNode) => n.team ?? '(untagged)'],
    ['environment', 'environment', (n: TruthNode) => n.environment ?? '(untagged)'],
  ] as const)('fleet-summary by %s', async (groupBy, column, key) => {
    const groups = new Map<string, TruthNode[]>();
    for (const n of truth) groups.set(key(n), [...(groups.get(key(n)) ?? []), n]);
    const rows = await report('fleet-summary', { 'group-by': groupBy });
    expect(rows.map((r) => r[column])).toEqual([...groups.keys()].sort());
    for (const row of rows) {
      expect(row, String(row[column])).toMatchObject(expectedCoverage(groups.get(String(row[column]))!));
    }
  });

  it('team-environment names each team’s unmanaged instances', async () => {
    const rows = await report('team-environment');
    for (const row of rows) {
      const expected = truth
        .filter(
          (n) =>
            n.status === 'UNMANAGED' &&
            (n.team ?? '(untagged)') === row.team &&
            (n.environment ?? '(untagged)') === row.environment,
        )
        .map((n) => (n.name === null ? n.nodeId : `${n.nodeId} (${n.name})`))
        .sort();
      expect(row.unmanaged_instances, `${String(row.team)} ${String(row.environment)}`).toBe(
        expected.length === 0 ? null : expected.join(', '),
      );
    }
    const named = rows.flatMap((r) => (r.unmanaged_instances === null ? [] : [r]));
    expect(named.length).toBeGreaterThan(0);
  });

  it('node-compliance: every node’s status equals the truth', async () => {
    const rows = await report('node-compliance');
    const statuses = new Map(rows.map((r) => [`${String(r.account_id)}/${String(r.node_id)}`, r.status]));
    expect(statuses.size).toBe(truth.length);
    for (const n of truth) expect(statuses.get(`${n.accountId}/${n.nodeId}`), n.nodeId).toBe(n.status);
  });
});
