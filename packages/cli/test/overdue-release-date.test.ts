/**
 * overdue-patches with a patch catalogue: an item's age counts from its patch's release only when history cannot
 * say when it became non-compliant (it already was at its node's first observation), never when history saw the
 * node compliant first. Two daily copies written by hand, ingested oldest first.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { compileReport, DEFAULT_POLICY, PATCH_CATALOGUE_TYPE } from '@patchboard/core';
import { DuckDbQueryEngine, ingest, openDatabase } from '@patchboard/engine-duckdb';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { LocalFolderSource } from '../src/sources/local-folder.js';

const ACCOUNT = '111122223333';
const REGION = 'us-east-1';
const DAY1 = '2026-10-20T02:00:00Z';
const DAY2 = '2026-10-27T02:00:00Z';
const NOW = '2026-10-28T00:00:00Z';
const RELEASED = '2026-10-01T00:00:00Z';
/** An older kernel version's release: the age of the missing 1.0-1 must not count from it. */
const OLDEST_RELEASE = '2021-02-14T00:00:00Z';
/** Node A: missing the kernel from its first observation. B: installed on day 1, missing on day 2 (rolled back). */
const A = 'i-0aaaaaaaaaaaaaaa1';
const B = 'i-0aaaaaaaaaaaaaaa2';
/** C: first observed on day 2, already missing the kernel. D: missing openssl, which the catalogue lacks. */
const C = 'i-0aaaaaaaaaaaaaaa3';
const D = 'i-0aaaaaaaaaaaaaaa4';

let dir: string;
let engine: DuckDbQueryEngine;

async function write(
  root: string,
  type: string,
  node: string,
  lines: object[],
  resourceType = 'ManagedInstanceInventory',
) {
  const path = join(
    root,
    type,
    `accountid=${ACCOUNT}`,
    `region=${REGION}`,
    `resourcetype=${resourceType}`,
    `${node}.json`,
  );
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, lines.map((line) => `${JSON.stringify(line)}\n`).join(''));
}

async function day(root: string, at: string, nodes: Record<string, { id: string; state: string }>) {
  for (const [node, patch] of Object.entries(nodes)) {
    await write(root, 'AWS:InstanceInformation', node, [
      {
        InstanceId: node,
        PlatformType: 'Linux',
        InstanceStatus: 'Active',
        resourceId: node,
        captureTime: at,
        schemaVersion: '1.0',
      },
    ]);
    const missing = patch.state === 'Missing';
    await write(root, 'AWS:ComplianceItem', node, [
      {
        Id: patch.id,
        Title: `${patch.id}:0:1.0-1.amzn2`,
        Severity: 'CRITICAL',
        Status: missing ? 'NON_COMPLIANT' : 'COMPLIANT',
        PatchState: patch.state,
        InstalledTime: missing ? '' : '2026-10-10T00:00:00Z',
        Classification: 'Security',
        PatchSeverity: 'Critical',
        ComplianceType: 'Patch',
        ExecutionTime: at,
        resourceId: node,
        captureTime: at,
        schemaVersion: '1.0',
      },
    ]);
    await write(root, 'AWS:PatchSummary', node, [
      {
        MissingCount: missing ? '1' : '0',
        InstalledCount: missing ? '0' : '1',
        OperationEndTime: at,
        resourceId: node,
        captureTime: at,
        schemaVersion: '1.0',
      },
    ]);
  }
  await write(
    root,
    PATCH_CATALOGUE_TYPE,
    'catalogue',
    [
      // One row per version, as DescribeAvailablePatches answers: the missing one is 1.0-1.
      {
        KBId: 'kernel.x86_64',
        Version: '0:1.0-1.amzn2',
        ReleaseDate: RELEASED,
        CVEIds: 'CVE-2026-0001',
        captureTime: at,
        schemaVersion: '1.0',
      },
      {
        KBId: 'kernel.x86_64',
        Version: '0:0.9-3.amzn2',
        ReleaseDate: OLDEST_RELEASE,
        captureTime: at,
        schemaVersion: '1.0',
      },
    ],
    'PatchCatalogue',
  );
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'patchboard-release-'));
  const kernel = (state: string) => ({ id: 'kernel.x86_64', state });
  await day(join(dir, 'day1'), DAY1, { [A]: kernel('Missing'), [B]: kernel('Installed') });
  await day(join(dir, 'day2'), DAY2, {
    [A]: kernel('Missing'),
    [B]: kernel('Missing'),
    [C]: kernel('Missing'),
    [D]: { id: 'openssl.x86_64', state: 'Missing' },
  });
  const db = await openDatabase(join(dir, 'p.duckdb'));
  for (const folder of ['day1', 'day2']) {
    expect((await ingest(db.connection, new LocalFolderSource(join(dir, folder)))).errors).toBe(0);
  }
  engine = new DuckDbQueryEngine(db);
});
afterAll(async () => {
  await engine.close();
  await rm(dir, { recursive: true, force: true });
});

it('starts at the release only where history cannot know the start', async () => {
  const context = { policy: DEFAULT_POLICY, now: Date.parse(NOW), dialect: engine.dialect };
  const { rows } = await engine.run(compileReport('overdue-patches', { minDays: 0 }, context).query);
  expect(
    rows.map((r) => [r.node_id, r.patch_id, r.first_seen_noncompliant, r.start_basis, r.days_outstanding]),
  ).toEqual([
    // 2026-10-01 to 2026-10-28: 27 UTC calendar days, from the release of the missing version (1.0-1), not
    // from the package's oldest release (2021-02-14, 2,083 days).
    [A, 'kernel.x86_64', RELEASED, 'release-date', 27],
    [C, 'kernel.x86_64', RELEASED, 'release-date', 27],
    // B was seen installed on day 1: its run starts when it was seen missing, 1 day before NOW.
    [B, 'kernel.x86_64', DAY2, 'first-seen', 1],
    // No release date for openssl: first seen.
    [D, 'openssl.x86_64', DAY2, 'first-seen', 1],
  ]);
});
