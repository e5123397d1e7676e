/**
 * overdue-patches on a generated fleet with the patch catalogue (one row per version, as DescribeAvailablePatches
 * answers): a single day ingested, so history cannot say when any item became non-compliant and every overdue
 * item's clock starts at the release of its missing *version*, which the generator's ground truth records. Linux
 * packages have many versions in the catalogue: dating an item by its package's oldest release would age it by
 * months.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileReport, DEFAULT_POLICY } from '@patchboard/core';
import { DuckDbQueryEngine, ingest, openDatabase } from '@patchboard/engine-duckdb';
import { generateFleet, readPatchEvents, readTruth } from '@patchboard/generator';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { LocalFolderSource } from '../src/sources/local-folder.js';

const AT = '2026-10-31T12:00:00Z';
const DAY_MS = 86_400_000;
const utcDays = (from: string, to: string) =>
  Math.round((Date.parse(to.slice(0, 10)) - Date.parse(from.slice(0, 10))) / DAY_MS);

let dir: string;
let engine: DuckDbQueryEngine;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'patchboard-overdue-catalogue-'));
  await generateFleet({ outDir: dir, nodes: 500, accounts: 2, seed: 21, at: AT, catalogue: true });
  const db = await openDatabase(join(dir, 'p.duckdb'));
  expect((await ingest(db.connection, new LocalFolderSource(join(dir, 'bucket')))).errors).toBe(0);
  engine = new DuckDbQueryEngine(db);
});
afterAll(async () => {
  await engine.close();
  await rm(dir, { recursive: true, force: true });
});

it('starts every overdue item at the release of its missing version', async () => {
  const nodes = (await readTruth(dir)).nodes;
  const open = new Map(
    nodes
      .filter((n) => n.status !== 'INACTIVE')
      .map((n) => [`${n.accountId}/${n.region}/${n.nodeId}`, new Set(n.nonCompliantPatchIds)]),
  );
  // In any case: SUSE writes `security`.
  const security = new Set(['security', 'securityupdates', 'criticalupdates']);
  const expected = (await readPatchEvents(dir))
    .filter(
      (e) =>
        open.get(`${e.accountId}/${e.region}/${e.nodeId}`)?.has(e.patchId) === true &&
        security.has(e.classification.toLowerCase()) &&
        utcDays(e.releasedAt, AT) >= 14,
    )
    .map((e) => `${e.nodeId} ${e.title} ${e.releasedAt} ${utcDays(e.releasedAt, AT)}`)
    .sort();
  expect(expected.length).toBeGreaterThan(20);
  // Linux items among them, whose packages have older versions in the catalogue too.
  expect(expected.filter((line) => /\.(x86_64|noarch|amd64|all):/.test(line)).length).toBeGreaterThan(10);

  const context = { policy: DEFAULT_POLICY, now: Date.parse(AT), dialect: engine.dialect };
  const { rows } = await engine.run(compileReport('overdue-patches', {}, context).query);
  expect(rows.every((r) => r.start_basis === 'release-date')).toBe(true);
  const actual = rows
    .map(
      (r) =>
        `${String(r.node_id)} ${String(r.title)} ${String(r.first_seen_noncompliant)} ${String(r.days_outstanding)}`,
    )
    .sort();
  expect(actual).toEqual(expected);
});
