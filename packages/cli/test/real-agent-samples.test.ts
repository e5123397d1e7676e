/**
 * Patchboard on public samples of what the SSM Agent, its patch payload and the SSM APIs write, laid out as a
 * sync bucket (test/fixtures/real-agent; its PROVENANCE.md names the source of every record). Each expectation
 * below is read off the samples by hand, with its reason; none is computed by Patchboard.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from '@patchboard/core';
import { DuckDbQueryEngine, openDatabase } from '@patchboard/engine-duckdb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPatchboard } from './support/run-cli.js';

const FIXTURE = join(import.meta.dirname, 'fixtures', 'real-agent');
/** The day after the newest scan in the samples (the Security Hub finding's, 2021-11-11T22:05:25Z). */
const NOW = '2021-11-12T00:00:00Z';

type Row = Record<string, unknown>;

describe('public SSM Agent samples', () => {
  let dir: string;
  let db: string;

  const json = async (...args: string[]): Promise<Row[]> => {
    const { code, stdout, stderr } = await runPatchboard(...args, '--db', db, '--format', 'json');
    expect(stderr).toBe('');
    expect(code).toBe(0);
    return (JSON.parse(stdout) as { rows: Row[] }).rows;
  };
  const nodes = async (...extra: string[]): Promise<Map<string, Row>> => {
    const rows = await json('report', 'node-compliance', '--now', NOW, ...extra);
    return new Map(rows.map((row) => [String(row.node_id), row]));
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'patchboard-real-agent-'));
    db = join(dir, 'p.duckdb');
    const { code, stderr } = await runPatchboard('ingest', FIXTURE, '--db', db);
    expect(code).toBe(0);
    // 13 sample objects; PROVENANCE.md is the one file that is not inventory.
    expect(stderr).toMatch(
      /13 objects read, 0 unchanged, 0 removed, 1 skipped .*; 25 rows from 25 records, 0 errors /,
    );
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('refuses no line', async () => {
    expect(await json('report', 'ingest-errors', '--now', NOW)).toEqual([]);
  });

  it('stores what the samples hold', async () => {
    // Read in process (no command per query): the stored rows themselves, as the ingest above left them.
    const engine = new DuckDbQueryEngine(await openDatabase(db, { readOnly: true }));
    const sqlRows = async (query: ReturnType<typeof sql>) => (await engine.run(query.compile())).rows;
    try {
      // 3 + 3 + 6 Patch items (i-08ee…, i-1234…, i-1234…67); 2 associations of i-1234… and 1 of i-02573….
      expect(
        await sqlRows(
          sql`SELECT compliancetype, count(*) AS n FROM aws_complianceitem GROUP BY 1 ORDER BY 1`,
        ),
      ).toEqual([
        { compliancetype: 'Association', n: 3 },
        { compliancetype: 'Patch', n: 12 },
      ]);
      // Counts arrive as the agent's strings ("10254") and as the APIs' numbers (420, -1): both are read.
      expect(
        await sqlRows(sql`SELECT resourceid, installedcount, installedothercount, notapplicablecount,
          unreportednotapplicablecount, missingcount, operationtype FROM aws_patchsummary ORDER BY resourceid`),
      ).toEqual([
        {
          resourceid: 'i-02573cafcfEXAMPLE',
          installedcount: 45,
          installedothercount: 396,
          notapplicablecount: null,
          unreportednotapplicablecount: null,
          missingcount: 2,
          operationtype: 'SCAN',
        },
        {
          resourceid: 'i-09a618aec652973a9',
          installedcount: 36,
          installedothercount: 396,
          notapplicablecount: 420,
          unreportednotapplicablecount: -1,
          missingcount: 3,
          operationtype: 'Scan',
        },
        {
          resourceid: 'i-12345678901234567',
          installedcount: 198,
          installedothercount: 1077,
          notapplicablecount: 10254,
          unreportednotapplicablecount: null,
          missingcount: 0,
          operationtype: 'Install',
        },
      ]);
      // The Windows node's association summary: two compliant UNSPECIFIED items, as JSON numbers.
      expect(
        await sqlRows(sql`SELECT resourceid, compliancetype, status, compliantunspecifiedcount,
          noncompliantcriticalcount FROM aws_compliancesummary`),
      ).toEqual([
        {
          resourceid: 'i-1234567890abcdef0',
          compliancetype: 'Association',
          status: 'COMPLIANT',
          compliantunspecifiedcount: 2,
          noncompliantcriticalcount: 0,
        },
      ]);
      // The agent writes every InstanceDetailedInformation field as a string; the numbers are still numbers.
      expect(
        await sqlRows(
          sql`SELECT cpus, cpucores, cpuspeedmhz, kernelversion FROM aws_instancedetailedinformation`,
        ),
      ).toEqual([
        { cpus: 36, cpucores: 18, cpuspeedmhz: 2900, kernelversion: '10.0.20348.643 (WinBuild.160101.0800)' },
      ]);
    } finally {
      await engine.close();
    }
  });

  it('evaluates each node as a person reading the samples would', async () => {
    const fields = [
      'account_id',
      'region',
      'platform',
      'team',
      'environment',
      'baseline_id',
      'status',
      'missing_count',
      'failed_count',
      'pending_reboot_count',
      'highest_severity',
      'last_scan_time',
    ];
    const got = Object.fromEntries(
      [...(await nodes()).entries()].map(([node, row]) => [
        node,
        Object.fromEntries(fields.map((field) => [field, row[field]])),
      ]),
    );
    // No sample carries an owner tag key of the default policy, no PatchSummary has NonCompliantSeverity and no
    // non-compliant Patch item has a compliance Severity: every node is untagged, with no highest severity.
    const common = { team: '(untagged)', environment: '(untagged)', highest_severity: null };
    const nothingOpen = { missing_count: 0, failed_count: 0, pending_reboot_count: 0 };
    expect(got).toEqual({
      // GetInventory's Amazon Linux node: instance information only, no patch data at all.
      'i-0cb2b964d3e14fd9f': {
        ...common,
        ...nothingOpen,
        account_id: '111122223333',
        region: 'us-west-2',
        platform: 'Amazon Linux AMI',
        baseline_id: null,
        status: 'NOT_SCANNED',
        last_scan_time: null,
      },
      // Three Installed items, no PatchSummary: compliant, but scanned 2020-01-24, long before NOW. Its last scan
      // is the items' captureTime, the operation's end (12:37:59-08:00): the patch payload sets CaptureTime to
      // the end and ExecutionTime (12:37:56-08:00) to the start.
      'i-08ee91c0b17045407': {
        ...common,
        ...nothingOpen,
        account_id: '111122223333',
        region: 'us-east-2',
        platform: null,
        baseline_id: 'pb-0c10e65780EXAMPLE',
        status: 'STALE',
        last_scan_time: '2020-01-24T20:37:59Z',
      },
      // A PatchSummary alone: MissingCount 3; the scan ended 12:37:37-08:00.
      'i-09a618aec652973a9': {
        ...common,
        account_id: '111122223333',
        region: 'us-east-2',
        platform: null,
        baseline_id: 'pb-0c10e65780EXAMPLE',
        status: 'NON_COMPLIANT',
        ...nothingOpen,
        missing_count: 3,
        last_scan_time: '2020-01-24T20:37:37Z',
      },
      // Windows: KB890830 Missing. Its Patch items carry no times and it has no PatchSummary, so no last scan;
      // the two compliant associations (2019) set neither a scan time nor a severity.
      'i-1234567890abcdef0': {
        ...common,
        account_id: '123456789012',
        region: 'us-east-1',
        platform: null,
        baseline_id: null,
        status: 'NON_COMPLIANT',
        ...nothingOpen,
        missing_count: 1,
        last_scan_time: null,
      },
      // The Security Hub finding's summary: MissingCount 2, scan ended 2021-11-11T22:05:25Z; its NON_COMPLIANT
      // association item is not a patch and adds nothing.
      'i-02573cafcfEXAMPLE': {
        ...common,
        account_id: '111122223333',
        region: 'us-east-2',
        platform: null,
        baseline_id: 'pb-0c10e65780EXAMPLE',
        status: 'NON_COMPLIANT',
        ...nothingOpen,
        missing_count: 2,
        last_scan_time: '2021-11-11T22:05:25Z',
      },
      // The real Ubuntu run: nothing missing, failed or pending; its Install ended 2021-11-02T04:17:28Z, more
      // than 7 days before NOW.
      'i-12345678901234567': {
        ...common,
        ...nothingOpen,
        account_id: '111122223333',
        region: 'us-east-1',
        platform: null,
        baseline_id: 'pb-0c7e89f711c3095f4',
        status: 'STALE',
        last_scan_time: '2021-11-02T04:17:28Z',
      },
    });
  });

  it('sums the nodes into the fleet figure', async () => {
    // From the six statuses above: three non-compliant, two stale, one never scanned, none compliant; no
    // instance list, so no coverage figure.
    expect(await json('report', 'fleet-summary', '--now', NOW)).toEqual([
      {
        nodes: 6,
        active: 6,
        inactive: 0,
        compliant: 0,
        non_compliant: 3,
        stale: 2,
        not_scanned: 1,
        unmanaged: 0,
        compliance_pct: 0,
        coverage_pct: null,
      },
    ]);
  });

  it('takes the environment from whichever tag key the policy names', async () => {
    const config = join(dir, 'stack-is-environment.yaml');
    await writeFile(config, 'policy:\n  tagKeys:\n    environment: [Stack]\n');
    const byNode = await nodes('--config', config);
    // Only the Windows node has a tag (Stack = Production).
    expect([...byNode.values()].map((row) => [row.node_id, row.team, row.environment]).sort()).toEqual([
      ['i-02573cafcfEXAMPLE', '(untagged)', '(untagged)'],
      ['i-08ee91c0b17045407', '(untagged)', '(untagged)'],
      ['i-09a618aec652973a9', '(untagged)', '(untagged)'],
      ['i-0cb2b964d3e14fd9f', '(untagged)', '(untagged)'],
      ['i-12345678901234567', '(untagged)', '(untagged)'],
      ['i-1234567890abcdef0', '(untagged)', 'Production'],
    ]);
  });

  it('lists the one missing patch with the Windows values', async () => {
    expect(await json('report', 'missing-patches', '--now', NOW)).toEqual([
      {
        patch_id: 'KB890830',
        state: 'MISSING',
        title: 'Windows Malicious Software Removal Tool x64 - February 2019 (KB890830)',
        classification: 'UpdateRollups',
        severity: null,
        patch_severity: 'Unspecified',
        node_count: 1,
        cve_ids: null,
      },
    ]);
  });
});
