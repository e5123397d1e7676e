/**
 * A node with Patch compliance items but no AWS:PatchSummary: its last scan is the items' captureTime, which the
 * agent sets to the end of the patch operation, not their ExecutionTime, the operation's start
 * (patch-baseline-operations, PackageCompliance; docs/data-format.md). A scan that started just over seven days
 * before the evaluation and ended within them is not stale.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { compileReport, DEFAULT_POLICY } from '@patchboard/core';
import { DuckDbQueryEngine, ingest, openDatabase } from '@patchboard/engine-duckdb';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { LocalFolderSource } from '../src/sources/local-folder.js';

const NODE = 'i-0b0000000000000b1';
const STARTED = '2026-10-24T01:58:00Z';
const ENDED = '2026-10-24T02:06:30Z';
/** Seven days and one minute after the start, four and a half minutes before seven days after the end. */
const NOW = '2026-10-31T01:59:00Z';

let dir: string;
let engine: DuckDbQueryEngine;

async function write(type: string, lines: object[]) {
  const path = join(dir, 'bucket', type, 'accountid=111122223333', 'region=eu-west-1');
  const file = join(path, 'resourcetype=ManagedInstanceInventory', `${NODE}.json`);
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, lines.map((line) => `${JSON.stringify(line)}\n`).join(''));
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'patchboard-last-scan-'));
  const sync = { resourceId: NODE, captureTime: ENDED, schemaVersion: '1.0' };
  await write('AWS:InstanceInformation', [
    {
      InstanceId: NODE,
      PlatformType: 'Linux',
      PlatformName: 'Amazon Linux',
      InstanceStatus: 'Active',
      ...sync,
    },
  ]);
  const item = (id: string, title: string) => ({
    Id: id,
    Title: title,
    Severity: 'UNSPECIFIED',
    Status: 'COMPLIANT',
    PatchBaselineId: 'pb-0123456789abcdef0',
    PatchState: 'Installed',
    PatchGroup: '',
    DocumentName: '',
    DocumentVersion: '',
    InstalledTime: '2026-10-20T02:04:00Z',
    Classification: 'Security',
    PatchSeverity: 'Important',
    ComplianceType: 'Patch',
    ExecutionId: '6d03d6c5-f79d-41d0-8d0e-00a9a0000001',
    ExecutionType: 'Command',
    ExecutionTime: STARTED,
    ...sync,
  });
  await write('AWS:ComplianceItem', [
    item('openssl-libs.x86_64', 'openssl-libs.x86_64:1:3.0.8-1.amzn2023.0.14'),
    item('glibc.x86_64', 'glibc.x86_64:0:2.34-52.amzn2023.0.11'),
  ]);
  const db = await openDatabase(join(dir, 'p.duckdb'));
  expect((await ingest(db.connection, new LocalFolderSource(join(dir, 'bucket')))).errors).toBe(0);
  engine = new DuckDbQueryEngine(db);
});
afterAll(async () => {
  await engine.close();
  await rm(dir, { recursive: true, force: true });
});

it("takes the last scan from the items' captureTime, the end of the operation", async () => {
  const context = { policy: DEFAULT_POLICY, now: Date.parse(NOW), dialect: engine.dialect };
  const { rows } = await engine.run(compileReport('node-compliance', {}, context).query);
  expect(rows.map((r) => [r.node_id, r.status, r.last_scan_time])).toEqual([[NODE, 'COMPLIANT', ENDED]]);
});
