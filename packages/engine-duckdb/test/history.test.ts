/**
 * History on hand-written snapshots, where every interval can be worked out on paper: what opens and closes,
 * which times it takes from the data, that a vanished node is closed (not deleted), that a CVE stays with the
 * item after it is installed, and that a repeated observation adds nothing.
 */
import { compileReport, DEFAULT_POLICY, memorySource, type QueryEngine } from '@patchboard/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DuckDbQueryEngine, ingest, openDatabase, type OpenedDatabase } from '../src/index.js';

const ACCOUNT = '033333333333';
const key = (type: string, node: string) =>
  `${type}/accountid=${ACCOUNT}/region=us-east-1/resourcetype=ManagedInstanceInventory/${node}.json`;
const A = 'i-0aaaaaaaaaaaaaaa1';
const B = 'i-0bbbbbbbbbbbbbbb2';

/** One day's files: node A's patch items and tags, node B's tags only while it exists. */
function day(captured: string, items: Record<string, unknown>[], withB: boolean, team = 'payments') {
  const item = (fields: Record<string, unknown>) =>
    JSON.stringify({
      Title: `${String(fields.Id)} 1.0`,
      Severity: 'CRITICAL',
      Classification: 'Security',
      ComplianceType: 'Patch',
      ExecutionTime: captured,
      ExecutionId: `run-${captured}`,
      resourceId: A,
      captureTime: captured,
      ...fields,
    });
  const tag = (node: string, Key: string, Value: string) =>
    JSON.stringify({ Key, Value, resourceId: node, captureTime: captured });
  const files: Record<string, string> = {
    [key('AWS:ComplianceItem', A)]: items.map(item).join('\n'),
    [key('AWS:Tag', A)]: [tag(A, 'Team', team), tag(A, 'Environment', 'prod')].join('\n'),
  };
  if (withB) files[key('AWS:Tag', B)] = tag(B, 'Team', 'search');
  return memorySource(`day ${captured}`, files);
}

const DAY1 = '2026-10-01T02:00:00Z';
const DAY2 = '2026-10-02T02:00:00Z';
const DAY3 = '2026-10-03T02:00:00Z';

describe('history', () => {
  let db: OpenedDatabase;
  let engine: QueryEngine;
  const query = async (text: string, asOf?: string) =>
    (await engine.run({ sql: text, parameters: [] }, asOf ? { asOf: Date.parse(asOf) } : {})).rows;

  beforeEach(async () => {
    db = await openDatabase(':memory:');
    engine = new DuckDbQueryEngine(db);
    // Day 1: KB1 missing with a CVE, KB2 installed. Day 2: same state, new run ids only. Day 3: KB1 installed
    // (the record no longer names the CVE), node B gone, node A's team changed.
    await ingest(
      db.connection,
      day(
        DAY1,
        [
          { Id: 'KB1', PatchState: 'Missing', CVEIds: 'CVE-2026-1111, CVE-2026-11112' },
          { Id: 'KB2', PatchState: 'Installed', InstalledTime: '2026-09-20T00:00:00Z' },
        ],
        true,
      ),
    );
    await ingest(
      db.connection,
      day(
        DAY2,
        [
          { Id: 'KB1', PatchState: 'Missing', CVEIds: 'CVE-2026-1111, CVE-2026-11112' },
          { Id: 'KB2', PatchState: 'Installed', InstalledTime: '2026-09-20T00:00:00Z' },
        ],
        true,
      ),
    );
    await ingest(
      db.connection,
      day(
        DAY3,
        [
          { Id: 'KB1', PatchState: 'Installed', InstalledTime: '2026-10-02T23:10:00Z' },
          { Id: 'KB2', PatchState: 'Installed', InstalledTime: '2026-09-20T00:00:00Z' },
        ],
        false,
        'checkout',
      ),
    );
  });
  afterEach(() => engine.close());

  it('opens intervals on changes only, at data times, and closes rather than deletes', async () => {
    expect(
      await query(`SELECT id, patchstate, valid_from, valid_to, last_seen FROM aws_complianceitem_history
        WHERE compliancetype = 'Patch' ORDER BY id, valid_from`),
    ).toEqual([
      // Day 2 repeated day 1 with new run ids and times: no new interval. Day 3 closed KB1 Missing and opened
      // KB1 Installed; its last sighting was day 2.
      { id: 'KB1', patchstate: 'MISSING', valid_from: DAY1, valid_to: DAY3, last_seen: DAY2 },
      { id: 'KB1', patchstate: 'INSTALLED', valid_from: DAY3, valid_to: null, last_seen: null },
      { id: 'KB2', patchstate: 'INSTALLED', valid_from: DAY1, valid_to: null, last_seen: null },
    ]);
    // Node B vanished on day 3: closed at the newest record of that ingest, still there.
    expect(
      await query(`SELECT resourceid, valid_from, valid_to FROM aws_tag_history WHERE resourceid = '${B}'`),
    ).toEqual([{ resourceid: B, valid_from: DAY1, valid_to: DAY3 }]);
    expect(await query(`SELECT count(*) AS n FROM aws_tag WHERE resourceid = '${B}'`)).toEqual([{ n: 0 }]);
    expect(await query(`SELECT history_opened, history_closed FROM ingests ORDER BY ingest_id`)).toEqual([
      { history_opened: 5, history_closed: 0 },
      { history_opened: 0, history_closed: 0 },
      { history_opened: 2, history_closed: 3 },
    ]);
  });

  it('re-ingesting the same snapshot adds nothing', async () => {
    const before = await query(`SELECT count(*) AS n FROM aws_complianceitem_history`);
    await ingest(
      db.connection,
      day(
        DAY3,
        [
          { Id: 'KB1', PatchState: 'Installed', InstalledTime: '2026-10-02T23:10:00Z' },
          { Id: 'KB2', PatchState: 'Installed', InstalledTime: '2026-09-20T00:00:00Z' },
        ],
        false,
        'checkout',
      ),
    );
    expect(await query(`SELECT count(*) AS n FROM aws_complianceitem_history`)).toEqual(before);
  });

  it('shows every table as it was at an instant', async () => {
    const teams = `SELECT resourceid, value FROM aws_tag WHERE key = 'Team' ORDER BY resourceid`;
    expect(await query(teams, '2026-10-02T12:00:00Z')).toEqual([
      { resourceid: A, value: 'payments' },
      { resourceid: B, value: 'search' },
    ]);
    expect(await query(teams, DAY3)).toEqual([{ resourceid: A, value: 'checkout' }]);
    expect(await query(teams)).toEqual([{ resourceid: A, value: 'checkout' }]);
    await expect(query(teams, '2026-09-01T00:00:00Z')).rejects.toThrow(
      /before the first instant history holds \(2026-10-01T02:00:00Z\)/,
    );
  });

  it('keeps the CVE with the item after it is installed', async () => {
    const evidence = async (params: Record<string, string>, now: string) =>
      (
        await engine.run(
          compileReport('cve-evidence', params, {
            policy: DEFAULT_POLICY,
            now: Date.parse(now),
            dialect: engine.dialect,
          }).query,
        )
      ).rows.map(
        ({ cve_id, node_id, patch_id, state, first_seen_noncompliant, installed_time, last_seen }) => ({
          cve_id,
          node_id,
          patch_id,
          state,
          first_seen_noncompliant,
          installed_time,
          last_seen,
        }),
      );
    const installed = {
      cve_id: 'CVE-2026-1111',
      node_id: A,
      patch_id: 'KB1',
      state: 'INSTALLED',
      first_seen_noncompliant: DAY1,
      installed_time: '2026-10-02T23:10:00Z',
      last_seen: DAY3,
    };
    expect(await evidence({ cve: 'CVE-2026-1111' }, '2026-10-04T00:00:00Z')).toEqual([installed]);
    // A whole-element match: CVE-2026-1112 is inside "CVE-2026-11112" as text, but is not one of its CVEs.
    expect(await evidence({ cve: 'CVE-2026-1112' }, '2026-10-04T00:00:00Z')).toEqual([]);
    // As it stood on day 2: still missing, not yet installed.
    expect(await evidence({ cve: 'CVE-2026-11112' }, '2026-10-02T12:00:00Z')).toEqual([
      {
        ...installed,
        cve_id: 'CVE-2026-11112',
        state: 'MISSING',
        installed_time: null,
        last_seen: '2026-10-02T12:00:00Z',
      },
    ]);
    expect(await evidence({ patch: 'KB2' }, '2026-10-04T00:00:00Z')).toEqual([
      {
        cve_id: null,
        node_id: A,
        patch_id: 'KB2',
        state: 'INSTALLED',
        first_seen_noncompliant: null,
        installed_time: '2026-09-20T00:00:00Z',
        last_seen: DAY3,
      },
    ]);
  });
});
