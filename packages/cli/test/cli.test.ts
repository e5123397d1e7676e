/**
 * The CLI as a person uses it, on a bucket copy written by hand (test/fixtures/handmade-bucket): six nodes whose
 * expected statuses are worked out in the comments below, not by Patchboard.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { runPatchboard } from './support/run-cli.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const FIXTURE = join(import.meta.dirname, 'fixtures', 'handmade-bucket');
const NOW = '2026-10-31T00:00:00Z';

/** Other programs (pdftotext) the tests read outputs with. */
const run = promisify(execFile);
const patchboard = runPatchboard;

describe('patchboard on a hand-written bucket copy', () => {
  let dir: string;
  let db: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'patchboard-cli-'));
    db = join(dir, 'p.duckdb');
    const ingested = await patchboard('ingest', FIXTURE, '--db', db);
    expect(ingested.code).toBe(0);
    // 23 files: 2 not inventory (test.json, AWS:Service), 21 read; one broken line in n3's ComplianceItem.
    expect(ingested.stderr).toMatch(/21 objects read, 0 unchanged, 0 removed, 2 skipped .* 1 error /);
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('counts the fleet honestly', async () => {
    const { stdout } = await patchboard(
      'report',
      'fleet-summary',
      '--db',
      db,
      '--now',
      NOW,
      '--format',
      'json',
    );
    const output = JSON.parse(stdout) as {
      report: string;
      generatedAt: string;
      columns: { name: string }[];
      rows: unknown[];
    };
    expect(output.report).toBe('fleet-summary');
    expect(output.generatedAt).toBe(NOW);
    expect(output.columns.map((c) => c.name)).toEqual([
      'nodes',
      'active',
      'inactive',
      'compliant',
      'non_compliant',
      'stale',
      'not_scanned',
      'unmanaged',
      'compliance_pct',
      'coverage_pct',
    ]);
    // n1 missing a critical patch, n6 pending reboot: non-compliant; n2 compliant (its association does not
    // count); n3 scanned 20 days ago: stale; n5 never scanned; n4 stopped: inactive. 1 of 5 active = 20 %.
    expect(output.rows).toEqual([
      {
        nodes: 6,
        active: 5,
        inactive: 1,
        compliant: 1,
        non_compliant: 2,
        stale: 1,
        not_scanned: 1,
        // No instance list was ingested: nothing is UNMANAGED and coverage is unknown, not 100 %.
        unmanaged: 0,
        compliance_pct: 20,
        coverage_pct: null,
      },
    ]);
  });

  it('prints the Team x Environment report with tag key aliases and (untagged)', async () => {
    const { stdout } = await patchboard(
      'report',
      'team-environment',
      '--db',
      db,
      '--now',
      NOW,
      '--format',
      'ndjson',
    );
    expect(
      stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as unknown),
    ).toEqual([
      {
        team: '(untagged)',
        environment: '(untagged)',
        nodes: 1,
        compliant: 0,
        non_compliant: 0,
        stale: 1,
        not_scanned: 0,
        unmanaged: 0,
        compliance_pct: 0,
        coverage_pct: null,
        unmanaged_instances: null,
      },
      {
        team: 'data',
        environment: 'dev',
        nodes: 2,
        compliant: 0,
        non_compliant: 1,
        stale: 0,
        not_scanned: 1,
        unmanaged: 0,
        compliance_pct: 0,
        coverage_pct: null,
        unmanaged_instances: null,
      },
      {
        team: 'payments',
        environment: 'prod',
        nodes: 2,
        compliant: 1,
        non_compliant: 1,
        stale: 0,
        not_scanned: 0,
        unmanaged: 0,
        compliance_pct: 50,
        coverage_pct: null,
        unmanaged_instances: null,
      },
    ]);
  });

  it('lists each node with what it misses', async () => {
    const { stdout } = await patchboard(
      'report',
      'node-compliance',
      '--db',
      db,
      '--now',
      NOW,
      '--format',
      'json',
      '--param',
      'account=111111111111',
    );
    const rows = (JSON.parse(stdout) as { rows: Record<string, unknown>[] }).rows;
    expect(rows).toEqual([
      expect.objectContaining({
        node_id: 'i-0a0000000000000a1',
        name: 'web-1',
        status: 'NON_COMPLIANT',
        missing_count: 1,
        critical_noncompliant_count: 1,
        highest_severity: 'CRITICAL',
        team: 'payments',
        environment: 'prod',
        last_scan_time: '2026-10-30T02:03:11Z',
      }),
      expect.objectContaining({
        node_id: 'i-0a0000000000000a2',
        status: 'COMPLIANT',
        instance_status: null,
        missing_count: 0,
        highest_severity: null,
        team: 'payments',
        environment: 'prod',
      }),
    ]);
  });

  it('keeps the account id a string with its leading zero', async () => {
    const { stdout } = await patchboard(
      'sql',
      'SELECT DISTINCT accountid FROM aws_tag ORDER BY 1',
      '--db',
      db,
      '--format',
      'csv',
    );
    expect(stdout).toBe('accountid\r\n022222222222\r\n111111111111\r\n');
  });

  it('neutralises spreadsheet formulas in CSV', async () => {
    const { stdout } = await patchboard(
      'report',
      'node-compliance',
      '--db',
      db,
      '--now',
      NOW,
      '--format',
      'csv',
      '--param',
      'node=i-0a0000000000000a2',
    );
    expect(stdout).toContain(`'=HYPERLINK(""http://x"")`);
    expect(stdout).not.toMatch(/,=HYPERLINK/);
  });

  it('writes any report as self-contained HTML, the hostile name as text', async () => {
    const { stdout } = await patchboard(
      'report',
      'node-compliance',
      '--db',
      db,
      '--now',
      NOW,
      '--format',
      'html',
    );
    expect(stdout).toContain('<title>Node compliance</title>');
    expect(stdout).toContain('<td>&lt;img src=x onerror=alert(1)&gt;</td>');
    expect(stdout).not.toMatch(/<img|<script/i);
    expect(stdout).toContain('2026-10-31 00:00:00 UTC');
  });

  it('prints any report to PDF with Chromium', async () => {
    const out = join(dir, 'team-environment.pdf');
    const result = await patchboard(
      'report',
      'team-environment',
      '--db',
      db,
      '--now',
      NOW,
      '--format',
      'pdf',
      '--out',
      out,
    );
    expect(result.code).toBe(0);
    const bytes = await readFile(out);
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    const { stdout: text } = await run('pdftotext', [out, '-']);
    expect(text).toContain('Team x Environment');
    expect(text).toContain('(untagged)');
  });

  it('check: passes, or fails with exit code 3 naming what breached', async () => {
    const config = join(dir, 'check.yaml');
    const compliance = `  - name: fleet compliance
    report: fleet-summary
    column: compliance_pct
    min: 20
`;
    await writeFile(config, `check:\n${compliance}`);
    expect((await patchboard('check', '--db', db, '--config', config, '--now', NOW)).code).toBe(0);
    await writeFile(
      config,
      `check:\n${compliance}  - name: no critical patch missing\n    report: missing-patches\n    params: { severity: CRITICAL }\n    maxRows: 0\n`,
    );
    const failed = await patchboard(
      'check',
      '--db',
      db,
      '--config',
      config,
      '--now',
      NOW,
      '--format',
      'json',
    );
    expect(failed.code).toBe(3);
    expect(failed.stderr).toContain('1 of 2 checks failed: no critical patch missing.');
    const rows = (JSON.parse(failed.stdout) as { rows: Record<string, unknown>[] }).rows;
    // n1 misses one critical patch; 1 of 5 active nodes is compliant: 20 %, exactly the floor.
    expect(rows.map((r) => [r.result, r.rule, r.observed])).toEqual([
      ['PASS', 'fleet compliance', 20],
      ['FAIL', 'no critical patch missing', 1],
    ]);
    await writeFile(config, 'check: []\n');
    const none = await patchboard('check', '--db', db, '--config', config);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('No check rules are configured');
    await writeFile(config, 'check:\n  - report: no-such-report\n    maxRows: 0\n');
    expect((await patchboard('check', '--db', db, '--config', config)).stderr).toMatch(
      /check rule "no-such-report": There is no report "no-such-report"/,
    );
  });

  it('reports the broken line with its key and line number', async () => {
    const { stdout } = await patchboard('report', 'ingest-errors', '--db', db, '--format', 'json');
    const rows = (JSON.parse(stdout) as { rows: Record<string, unknown>[] }).rows;
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      object_key:
        'AWS:ComplianceItem/accountid=022222222222/region=eu-west-1/resourcetype=ManagedInstanceInventory/i-0a0000000000000a3.json',
      line: 2,
    });
    expect(rows[0]?.reason).toMatch(/^not valid JSON/);
  });

  it('runs the recipe query that uses LISTAGG … WITHIN GROUP unchanged', async () => {
    const { code, stdout } = await patchboard(
      'report',
      'recipe-aggregate-non-compliant-by-resource',
      '--db',
      db,
      '--format',
      'json',
    );
    expect(code).toBe(0);
    expect((JSON.parse(stdout) as { rows: unknown[] }).rows).toEqual([
      {
        resourceid: 'i-0a0000000000000a1',
        status: 'NON_COMPLIANT',
        patchstate: 'MISSING',
        ids: 'ALAS2-2026-101',
      },
      {
        resourceid: 'i-0a0000000000000a4',
        status: 'NON_COMPLIANT',
        patchstate: 'MISSING',
        ids: 'ALAS2-2026-101',
      },
      {
        resourceid: 'i-0a0000000000000a6',
        status: 'NON_COMPLIANT',
        patchstate: 'INSTALLED_PENDING_REBOOT',
        ids: 'ALAS2-2026-120',
      },
    ]);
  });

  it('shows one node whole', async () => {
    const { stdout } = await patchboard(
      'node',
      'mi-0a000000000000a5',
      '--db',
      db,
      '--now',
      NOW,
      '--format',
      'json',
    );
    const node = JSON.parse(stdout) as {
      node: Record<string, unknown>;
      tags: Record<string, unknown>[];
      patches: unknown[];
    };
    expect(node.node).toMatchObject({ status: 'NOT_SCANNED', platform: 'Ubuntu' });
    expect(node.tags).toContainEqual({ key: 'Name', value: '<img src=x onerror=alert(1)>' });
    expect(node.patches).toEqual([]);
  });

  it('re-ingesting the same copy adds nothing', async () => {
    const again = await patchboard('ingest', FIXTURE, '--db', db);
    expect(again.stderr).toMatch(/0 objects read, 21 unchanged/);
    const { stdout } = await patchboard(
      'sql',
      'SELECT count(*) AS n FROM aws_complianceitem',
      '--db',
      db,
      '--format',
      'ndjson',
    );
    expect(JSON.parse(stdout)).toEqual({ n: 8 });
  });

  it('writes to --out and says what went wrong with a one-line message and exit code', async () => {
    const out = join(dir, 'summary.md');
    expect(
      (await patchboard('report', 'fleet-summary', '--db', db, '--now', NOW, '--format', 'md', '--out', out))
        .code,
    ).toBe(0);
    expect(await readFile(out, 'utf8')).toMatch(/^\| nodes \| active \|/);

    const unknown = await patchboard('report', 'no-such-report', '--db', db);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/There is no report "no-such-report". Run `patchboard reports`/);

    const badParam = await patchboard('report', 'fleet-summary', '--db', db, '--param', 'group-by=colour');
    expect(badParam.code).toBe(2);
    expect(badParam.stderr).toMatch(/group-by: .*"account"/);

    const badNow = await patchboard('report', 'fleet-summary', '--db', db, '--now', 'last tuesday');
    expect(badNow.code).toBe(2);

    const noDb = await patchboard('report', 'fleet-summary', '--db', join(dir, 'missing.duckdb'));
    expect(noDb.code).toBe(1);
    expect(noDb.stderr).toMatch(/There is no database at .*missing\.duckdb\. Run `patchboard ingest/);

    const usage = await patchboard('report');
    expect(usage.code).toBe(2);
  });

  it('refuses to change the database from `sql`', async () => {
    const result = await patchboard('sql', 'DELETE FROM aws_tag', '--db', db);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/read-only/i);
  });
});
