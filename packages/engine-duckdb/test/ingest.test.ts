import { memorySource, type QueryEngine } from '@patchboard/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DuckDbQueryEngine, ingest, openDatabase, type OpenedDatabase } from '../src/index.js';

// A bucket copy written by hand, not by the generator: the shapes real member accounts produce.
const ACCOUNT = '022222222222';
const base = `AWS:ComplianceItem/accountid=${ACCOUNT}/region=eu-west-1/resourcetype=ManagedInstanceInventory`;
const item = (id: string, state: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    Id: id,
    Title: `${id} update`,
    Severity: 'CRITICAL',
    Status: state.toLowerCase().startsWith('install') ? 'COMPLIANT' : 'NON_COMPLIANT',
    PatchState: state,
    ComplianceType: 'Patch',
    ExecutionTime: '2026-10-30T02:00:05Z',
    resourceId: 'i-0aaaaaaaaaaaaaaa1',
    captureTime: '2026-10-30T02:03:11Z',
    schemaVersion: '1.0',
    ...extra,
  });

const bucket = {
  // BOM, CRLF, a blank line, the API spelling of a state, a broken line, a wrong-typed field.
  [`${base}/i-0aaaaaaaaaaaaaaa1.json`]:
    '\ufeff' +
    [
      item('ALAS2-2026-101', 'Missing', { CVEIds: 'CVE-2026-10001' }),
      item('ALAS2-2026-102', 'MISSING'),
      '',
      '{"Id": "broken",',
      item('ALAS2-2026-103', 'Installed', { InstalledTime: 'yesterday' }),
      item('ALAS2-2026-104', 'InstalledPendingReboot', { resourceId: 'i-0bbbbbbbbbbbbbbb2' }),
    ].join('\r\n'),
  // Key casing variants and an empty file.
  [`AWS:PatchSummary/accountid=${ACCOUNT}/region=eu-west-1/resourcetype=ManagedInstanceInventory/i-0aaaaaaaaaaaaaaa1.json`]:
    JSON.stringify({
      ResourceId: 'i-0aaaaaaaaaaaaaaa1',
      CaptureTime: '2026-10-30T02:03:11Z',
      MissingCount: '2',
      FailedCount: 0,
    }),
  [`${base}/i-0ccccccccccccccc3.json`]: '',
  // Not inventory: the sync's probe, an unstored type, a stray file.
  [`AWS:InstanceInformation/accountid=${ACCOUNT}/test.json`]: '{"probe":true}',
  [`AWS:Service/accountid=${ACCOUNT}/region=eu-west-1/resourcetype=ManagedInstanceInventory/i-0aaaaaaaaaaaaaaa1.json`]:
    '{"Name":"sshd"}',
  'README.txt': 'notes',
};

describe('ingest of a hand-written bucket copy', () => {
  let db: OpenedDatabase;
  let engine: QueryEngine;
  const query = async (text: string) => (await engine.run({ sql: text, parameters: [] })).rows;

  beforeEach(async () => {
    db = await openDatabase(':memory:');
    engine = new DuckDbQueryEngine(db);
  });
  afterEach(() => engine.close());

  it('keeps every valid line and reports each bad one with its key and line', async () => {
    const summary = await ingest(db.connection, memorySource('hand', bucket));
    expect(summary).toMatchObject({
      objectsListed: 6,
      objectsRead: 3,
      objectsSkipped: 3,
      records: 6,
      rowsStored: 4,
    });
    // The phases account for the whole ingest, each in its place.
    expect(Object.keys(summary.phasesMs)).toEqual(['list', 'read', 'history', 'derived', 'commit']);
    const phases = Object.values(summary.phasesMs);
    expect(phases.every((ms) => ms >= 0)).toBe(true);
    expect(phases.reduce((sum, ms) => sum + ms, 0)).toBe(summary.durationMs);

    const items = await query(
      `SELECT accountid, id, patchstate, installedtime, cveids FROM aws_complianceitem ORDER BY id`,
    );
    expect(items).toEqual([
      {
        accountid: ACCOUNT,
        id: 'ALAS2-2026-101',
        patchstate: 'MISSING',
        installedtime: null,
        cveids: 'CVE-2026-10001',
      },
      { accountid: ACCOUNT, id: 'ALAS2-2026-102', patchstate: 'MISSING', installedtime: null, cveids: null },
      {
        accountid: ACCOUNT,
        id: 'ALAS2-2026-103',
        patchstate: 'INSTALLED',
        installedtime: null,
        cveids: null,
      },
    ]);
    const summaryRow = await query(
      `SELECT resourceid, capturetime, missingcount, failedcount FROM aws_patchsummary`,
    );
    expect(summaryRow).toEqual([
      {
        resourceid: 'i-0aaaaaaaaaaaaaaa1',
        capturetime: '2026-10-30T02:03:11Z',
        missingcount: 2,
        failedcount: 0,
      },
    ]);

    const errors = await query(`SELECT object_key, line, reason FROM ingest_errors ORDER BY line`);
    expect(errors).toHaveLength(3);
    expect(errors.map((e) => [e.object_key, e.line])).toEqual([
      [`${base}/i-0aaaaaaaaaaaaaaa1.json`, 4],
      [`${base}/i-0aaaaaaaaaaaaaaa1.json`, 5],
      [`${base}/i-0aaaaaaaaaaaaaaa1.json`, 6],
    ]);
    expect(errors[0]?.reason).toMatch(/not valid JSON/);
    expect(errors[1]?.reason).toMatch(/field InstalledTime: expected an ISO-8601 time.*"yesterday"/);
    expect(errors[2]?.reason).toMatch(
      /resourceId "i-0bbbbbbbbbbbbbbb2" does not match the node i-0aaaaaaaaaaaaaaa1/,
    );
  });

  it('adds nothing twice when the same source is ingested again', async () => {
    await ingest(db.connection, memorySource('hand', bucket));
    const again = await ingest(db.connection, memorySource('hand', bucket));
    expect(again).toMatchObject({ objectsRead: 0, objectsUnchanged: 3, objectsRemoved: 0, errors: 0 });
    expect(await query(`SELECT count(*) AS n FROM aws_complianceitem`)).toEqual([{ n: 3 }]);
    expect(await query(`SELECT count(*) AS n FROM ingest_errors`)).toEqual([{ n: 3 }]);
  });

  it('replaces a changed object and forgets a vanished one', async () => {
    await ingest(db.connection, memorySource('hand', bucket));
    const next = { ...bucket, [`${base}/i-0aaaaaaaaaaaaaaa1.json`]: item('ALAS2-2026-101', 'Installed') };
    delete (next as Record<string, string>)[
      `AWS:PatchSummary/accountid=${ACCOUNT}/region=eu-west-1/resourcetype=ManagedInstanceInventory/i-0aaaaaaaaaaaaaaa1.json`
    ];
    const summary = await ingest(db.connection, memorySource('hand', next));
    expect(summary).toMatchObject({ objectsRead: 1, objectsRemoved: 1, errors: 0 });
    expect(await query(`SELECT id, patchstate FROM aws_complianceitem`)).toEqual([
      { id: 'ALAS2-2026-101', patchstate: 'INSTALLED' },
    ]);
    expect(await query(`SELECT count(*) AS n FROM aws_patchsummary`)).toEqual([{ n: 0 }]);
    expect(await query(`SELECT count(*) AS n FROM ingest_errors`)).toEqual([{ n: 0 }]);
  });

  it('leaves the database as it was when an ingest fails half-way', async () => {
    await ingest(db.connection, memorySource('hand', bucket));
    const before = await query(`SELECT count(*) AS n FROM aws_complianceitem`);
    const changed = memorySource('changed', {
      ...bucket,
      [`${base}/i-0aaaaaaaaaaaaaaa1.json`]: item('X', 'Missing'),
    });
    // Anything that throws inside the transaction (here the progress callback, as an interrupt would) rolls back.
    const interrupt = (p: { phase: string; done: number }) => {
      if (p.phase === 'reading' && p.done > 0) throw new Error('interrupted');
    };
    await expect(ingest(db.connection, changed, { onProgress: interrupt })).rejects.toThrow('interrupted');
    expect(await query(`SELECT count(*) AS n FROM aws_complianceitem`)).toEqual(before);
    expect(await query(`SELECT count(*) AS n FROM ingests`)).toEqual([{ n: 1 }]);
  });
});
