/**
 * Thirty days of a generated fleet, ingested day by day: every history answer checked against the generator's
 * ground truth (its own model of each day and its patch events), not against Patchboard's own numbers.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  compileReport,
  DEFAULT_POLICY,
  type QueryEngine,
  type ReportJson,
  REPORTS,
  type ResultRow,
} from '@patchboard/core';
import { DuckDbQueryEngine, ingest, openDatabase } from '@patchboard/engine-duckdb';
import {
  generateFleet,
  readPatchEvents,
  readTruth,
  type TruthNode,
  type TruthPatchEvent,
} from '@patchboard/generator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDashboard } from '../src/commands/serve.js';
import { resolveContext } from '../src/context.js';
import { LocalFolderSource } from '../src/sources/local-folder.js';
import {
  canonical,
  expectedFleetSummary,
  expectedNodeRows,
  expectedTeamEnvironment,
  TRUTH_GROUPS,
} from './support/truth-reports.js';

const AT = '2026-10-31T00:00:00Z';
const DAYS = 30;
/** The fleet users have: several accounts and Regions, EC2 instances without an agent, the quirks layer on. */
const FLEET = {
  nodes: 300,
  accounts: 3,
  regions: 2,
  unmanagedPct: 12,
  quirks: true,
  days: DAYS,
  seed: 5,
  at: AT,
};
const DAY_MS = 86_400_000;
/** Lower-cased: SUSE writes `security`. */
const SECURITY = new Set(['security', 'securityupdates', 'criticalupdates']);
/** The node ids in team-environment's list of unmanaged instances (`id (name), id (name)`). */
const UNMANAGED_ID = /(?:^|, )((?:m?i)-[0-9a-f]+)/g;
const isSecurity = (classification: string) => SECURITY.has(classification.toLowerCase());

/**
 * The events of the items non-compliant at the last day: a Linux id is a package, and an older release of it
 * that was never installed has an event of its own, so the item still open is the package's newest event.
 */
function openEvents(activeOnly: boolean): Set<TruthPatchEvent> {
  const newest = new Map<string, TruthPatchEvent>();
  for (const e of events) {
    const key = `${nodeKey(e)} ${e.patchId}`;
    const seen = newest.get(key);
    if (!seen || e.firstSeenNonCompliant > seen.firstSeenNonCompliant) newest.set(key, e);
  }
  const nodes = activeOnly ? lastTruth.filter((n) => n.status !== 'INACTIVE') : lastTruth;
  const current = new Map(nodes.map((n) => [nodeKey(n), n]));
  return new Set(
    [...newest.values()].filter((e) => current.get(nodeKey(e))?.nonCompliantPatchIds.includes(e.patchId)),
  );
}
let dir: string;
let engine: QueryEngine;
let engineOpen = true;
let dates: string[];
let events: TruthPatchEvent[];
let lastTruth: TruthNode[];
const history: { opened: number; closed: number }[] = [];

const report = async (id: string, params: Record<string, unknown>, at: string, asOf = false) =>
  (
    await engine.run(
      compileReport(id, params, { policy: DEFAULT_POLICY, now: Date.parse(at), dialect: engine.dialect })
        .query,
      asOf ? { asOf: Date.parse(at) } : {},
    )
  ).rows;
const nodeKey = (n: { accountId: string; region: string; nodeId: string }) =>
  `${n.accountId}/${n.region}/${n.nodeId}`;
const utcDays = (from: string, to: string) =>
  Math.round((Date.parse(to.slice(0, 10)) - Date.parse(from.slice(0, 10))) / DAY_MS);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'patchboard-history-'));
  const summary = await generateFleet({ ...FLEET, outDir: dir });
  dates = summary.snapshots;
  events = await readPatchEvents(dir);
  lastTruth = (await readTruth(dir)).nodes;
  const db = await openDatabase(join(dir, 'p.duckdb'));
  engine = new DuckDbQueryEngine(db);
  for (const date of dates) {
    const result = await ingest(db.connection, new LocalFolderSource(join(dir, 'days', date)));
    expect(result.errors).toBe(0);
    history.push({ opened: result.historyOpened, closed: result.historyClosed });
  }
}, 240_000);
afterAll(async () => {
  if (engineOpen) await engine.close();
  await rm(dir, { recursive: true, force: true });
});

describe('thirty days of history against the ground truth', () => {
  it('as-of: every day, every grouping of fleet-summary, every node and team-environment equal the truth', async () => {
    for (const date of dates) {
      const { meta, nodes } = await readTruth(dir, date);
      for (const by of ['none', ...Object.keys(TRUTH_GROUPS)]) {
        const rows = await report('fleet-summary', { 'group-by': by }, meta.at, true);
        expect(canonical(rows), `${date} group-by ${by}`).toEqual(canonical(expectedFleetSummary(nodes, by)));
      }
      const nodeRows = await report('node-compliance', {}, meta.at, true);
      expect(canonical(nodeRows), date).toEqual(canonical(expectedNodeRows(nodes)));
      const teams = (await report('team-environment', {}, meta.at, true)).map((row) => ({
        ...row,
        unmanaged_instances: [...String(row.unmanaged_instances ?? '').matchAll(UNMANAGED_ID)]
          .map((m) => m[1] ?? '')
          .sort(),
      }));
      expect(canonical(teams), date).toEqual(canonical(expectedTeamEnvironment(nodes)));
    }
  });

  it('as-of equals now at and after the last ingest, for every report in the catalogue', async () => {
    const last = Date.parse((await readTruth(dir)).meta.at);
    // The last ingest's instant, and ten days on (every node's scan and agent report then stale).
    for (const at of [last, last + 10 * DAY_MS].map((t) => new Date(t).toISOString())) {
      for (const { id, example } of REPORTS) {
        const { query } = compileReport(id, example ?? {}, {
          policy: DEFAULT_POLICY,
          now: Date.parse(at),
          dialect: engine.dialect,
        });
        // A recipe query that ends in LIMIT with no order (as the AWS recipe writes it) picks any rows: the
        // whole answer is compared instead, in one order.
        const whole = { ...query, sql: query.sql.replace(/\sLIMIT\s+\d+\s*$/i, '') };
        const [now, asOf] = [await engine.run(whole), await engine.run(whole, { asOf: Date.parse(at) })];
        expect(canonical(asOf.rows), `${id} at ${at}`).toEqual(canonical(now.rows));
      }
    }
  });

  it('cve: every node that had the CVE, with first seen and install time', async () => {
    const byCve = new Map<string, TruthPatchEvent[]>();
    for (const event of events) {
      for (const cve of event.cveIds) byCve.set(cve, [...(byCve.get(cve) ?? []), event]);
    }
    // The three CVEs with the most nodes, and at least one installed somewhere.
    const cves = [...byCve].sort((a, b) => b[1].length - a[1].length).slice(0, 3);
    expect(cves.flatMap(([, e]) => e).some((e) => e.installedTime !== null)).toBe(true);
    for (const [cve, cveEvents] of cves) {
      const rows = await report('cve-evidence', { cve }, AT);
      const actual = rows.map((r) =>
        [r.node_id, r.patch_id, r.first_seen_noncompliant, r.installed_time].join(' '),
      );
      const expected = cveEvents.map((e) =>
        [e.nodeId, e.patchId, e.firstSeenNonCompliant, e.installedTime ?? ''].join(' '),
      );
      expect(actual.sort(), cve).toEqual(expected.sort());
    }
  });

  it('overdue-patches: security items missing 14+ UTC days, with their age', async () => {
    const expected = [...openEvents(true)]
      .filter((e) => isSecurity(e.classification) && utcDays(e.firstSeenNonCompliant, AT) >= 14)
      .map(
        (e) => `${e.nodeId} ${e.patchId} ${e.firstSeenNonCompliant} ${utcDays(e.firstSeenNonCompliant, AT)}`,
      );
    expect(expected.length).toBeGreaterThan(5);
    const rows = await report('overdue-patches', {}, AT);
    const actual = rows.map(
      (r) =>
        `${String(r.node_id)} ${String(r.patch_id)} ${String(r.first_seen_noncompliant)} ${String(r.days_outstanding)}`,
    );
    expect(actual.sort()).toEqual(expected.sort());
  });

  it('mttr: mean days from first seen missing to installed, per severity', async () => {
    const open = openEvents(false);
    const remediated = events.filter((e) => e.installedTime !== null && !open.has(e));
    const bySeverity = new Map<string, number[]>();
    for (const e of remediated) {
      const days = (Date.parse(e.installedTime!) - Date.parse(e.firstSeenNonCompliant)) / DAY_MS;
      bySeverity.set(e.severity, [...(bySeverity.get(e.severity) ?? []), days]);
    }
    const rows = await report('mttr', { by: 'severity' }, AT);
    const expected = [...bySeverity]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([severity, days]) => ({
        severity,
        remediated: days.length,
        mean_days: Math.round((days.reduce((a, b) => a + b, 0) / days.length) * 100) / 100,
      }));
    expect(
      rows.map(({ severity, remediated: n, mean_days }: ResultRow) => ({
        severity,
        remediated: n,
        mean_days,
      })),
    ).toEqual(expected);
  });

  it('grows with changes, not with fleet size x days', () => {
    const [first, ...rest] = history;
    const opened = rest.map((h) => h.opened);
    // Each later day opens a few percent of what the first day did.
    expect(Math.max(...opened)).toBeLessThan((first?.opened ?? 0) * 0.1);
  });
});

describe('the history commands', () => {
  const BIN = join(import.meta.dirname, '..', 'bin', 'patchboard.js');
  const patchboard = async (...args: string[]) =>
    (await promisify(execFile)(process.execPath, [BIN, '--db', join(dir, 'p.duckdb'), ...args])).stdout;

  beforeAll(async () => {
    // The CLI opens the database from another process: this one lets go of it first.
    await engine.close();
    engineOpen = false;
  });

  const refusal = (...args: string[]) =>
    patchboard(...args).then(
      () => 'not refused',
      (error: { stderr: string; code: number }) => `${error.code}: ${error.stderr}`,
    );

  it('instants the data cannot answer are refused, saying which it can', async () => {
    const first = dates[0] ?? '';
    // History starts at the first day's oldest record, days before its snapshot instant.
    expect(await refusal('--as-of', '2026-01-01T00:00:00Z', 'report', 'fleet-summary')).toMatch(
      /^2: patchboard: --as-of 2026-01-01T00:00:00Z is before the first instant history holds \(20\d\d-\d\d-\d\dT[\d:]+Z\)\. Give a time from/,
    );
    // --now before the newest data would judge the last day's tables at an earlier time.
    const earlier = `${first}T00:00:00Z`;
    expect(await refusal('--now', earlier, 'report', 'fleet-summary')).toMatch(
      new RegExp(
        `^2: patchboard: --now ${earlier} is before the newest data \\(2026-10-30T[\\d:]+Z\\): the current tables already show what happened after it, so the answer would mix two instants\\. Use --as-of ${earlier}`,
      ),
    );
    // A month before any data: no pack of zeros.
    expect(
      await refusal('--now', AT, 'audit-pack', '--month', '2026-08', '--out', join(dir, 'empty')),
    ).toMatch(
      /^1: patchboard: There is no data for 2026-08: no ingest carried data from before 2026-08-31T23:59:59Z \(history starts at /,
    );
    await expect(readdir(join(dir, 'empty'))).rejects.toThrow(/ENOENT/);
  });

  it('an answer from data older than the stale threshold says so, in the note, the JSON and the pack', async () => {
    const later = new Date(Date.parse(AT) + 10 * DAY_MS).toISOString().replace('.000Z', 'Z');
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [
      BIN,
      '--db',
      join(dir, 'p.duckdb'),
      '--now',
      later,
      '--format',
      'json',
      'report',
      'fleet-summary',
    ]);
    const warning = new RegExp(
      `The newest data is from 2026-10-30T[\\d:]+Z, 10 days before the evaluation time ${later} \\(policy\\.staleAfterDays is 7\\): nodes show as STALE or UNMANAGED because nothing newer was ingested`,
    );
    expect(stderr).toMatch(new RegExp(`patchboard: note: ${warning.source}`));
    const document = JSON.parse(stdout) as { warnings?: string[] };
    expect(document.warnings).toEqual([expect.stringMatching(warning)]);
    // On time, no warning at all.
    const onTime = JSON.parse(
      await patchboard('--now', AT, '--format', 'json', 'report', 'fleet-summary'),
    ) as object;
    expect(onTime).not.toHaveProperty('warnings');
    // November evaluated at its end from October's data: the pack says so first.
    const pack = join(dir, 'pack-november');
    await patchboard(
      '--now',
      '2026-12-05T00:00:00Z',
      'audit-pack',
      '--month',
      '2026-11',
      '--out',
      pack,
      '--no-pdf',
    );
    const manifest = JSON.parse(await readFile(join(pack, 'manifest.json'), 'utf8')) as {
      warnings: string[];
    };
    expect(manifest.warnings).toEqual([
      expect.stringMatching(
        /^The newest data is from 2026-10-30T[\d:]+Z, 31 days before the evaluation time 2026-11-30T23:59:59Z/,
      ),
    ]);
    const html = await readFile(join(pack, 'report.html'), 'utf8');
    expect(html.indexOf('The newest data is from')).toBeLessThan(html.indexOf('Compliance'));
  });

  it('the dashboard answers as of each day what the truth says, and says when its data is old', async () => {
    const served = async (
      now: string,
      work: (get: (path: string) => Promise<ReportJson>) => Promise<void>,
    ) => {
      const context = await resolveContext({ db: join(dir, 'p.duckdb'), now });
      const dashboard = await startDashboard(context, {
        host: '127.0.0.1',
        port: 0,
        token: false,
        fixedTime: true,
      });
      const origin = new URL(dashboard.url).origin;
      try {
        await work(async (path) => {
          const response = await fetch(`${origin}${path}`);
          expect(response.status, path).toBe(200);
          return (await response.json()) as ReportJson;
        });
      } finally {
        await dashboard.close();
      }
    };
    await served(AT, async (get) => {
      for (const date of dates.filter((_, d) => d % 5 === 0 || d === DAYS - 1)) {
        const { meta, nodes } = await readTruth(dir, date);
        const document = await get(`/api/reports/fleet-summary?asOf=${meta.at}`);
        expect(document.rows, date).toEqual(expectedFleetSummary(nodes, 'none'));
        expect(document).not.toHaveProperty('warnings');
      }
    });
    await served(new Date(Date.parse(AT) + 10 * DAY_MS).toISOString(), async (get) => {
      const document = await get('/api/reports/fleet-summary');
      expect(document.warnings).toEqual([
        expect.stringMatching(/^The newest data is from 2026-10-30T[\d:]+Z, 10 days before/),
      ]);
    });
  }, 60_000);

  it('changes: the nodes whose status moved between two days, as the truth of each day says', async () => {
    const [before, after] = await Promise.all([readTruth(dir, dates[20]), readTruth(dir, dates[29])]);
    const earlier = new Map(before.nodes.map((n) => [nodeKey(n), n]));
    const expected: string[] = [];
    for (const node of after.nodes) {
      const was = earlier.get(nodeKey(node));
      if (!was) expected.push(`NEW_NODE ${node.nodeId}`);
      else if (was.status !== node.status) {
        const kind =
          node.status === 'NON_COMPLIANT'
            ? 'NEWLY_NON_COMPLIANT'
            : was.status === 'NON_COMPLIANT' && node.status === 'COMPLIANT'
              ? 'FIXED'
              : 'STATUS_CHANGED';
        expected.push(`${kind} ${node.nodeId}`);
      }
      if (was?.baselineId && node.baselineId && was.baselineId !== node.baselineId) {
        expected.push(`BASELINE_CHANGED ${node.nodeId}`);
      }
    }
    const later = new Set(after.nodes.map(nodeKey));
    for (const node of before.nodes) if (!later.has(nodeKey(node))) expected.push(`GONE ${node.nodeId}`);
    expect(expected.length).toBeGreaterThan(10);
    const output = JSON.parse(
      await patchboard('--format', 'json', 'changes', '--from', before.meta.at, '--to', after.meta.at),
    ) as { rows: ResultRow[] };
    expect(output.rows.map((r) => `${String(r.change)} ${String(r.node_id)}`).sort()).toEqual(
      expected.sort(),
    );
  });

  it('trend: one point per week, the last equal to that day’s truth', async () => {
    const { meta, nodes } = await readTruth(dir, dates[29]);
    const output = JSON.parse(
      await patchboard(
        '--format',
        'json',
        'trend',
        '--from',
        dates[0] ?? '',
        '--to',
        meta.at,
        '--every',
        'week',
      ),
    ) as { rows: ResultRow[] };
    expect(output.rows).toHaveLength(5);
    const active = nodes.filter((n) => n.status !== 'INACTIVE').length;
    const compliant = nodes.filter((n) => n.status === 'COMPLIANT').length;
    expect(output.rows.at(-1)).toMatchObject({
      at: meta.at,
      nodes: nodes.length,
      compliance_pct: Math.round((1000 * compliant) / active) / 10,
    });
  });

  it('cve: the command and the report agree, and a malformed id is refused', async () => {
    const cve = events.find((e) => e.cveIds.length > 0)?.cveIds[0] ?? '';
    const csv = await patchboard('--now', AT, '--format', 'csv', 'cve', cve.toLowerCase());
    const expected = events.filter((e) => e.cveIds.includes(cve)).length;
    expect(csv.trim().split('\r\n')).toHaveLength(expected + 1);
    const refused = await patchboard('cve', 'CVE-20x').then(
      () => '',
      (error: { stderr: string }) => error.stderr,
    );
    expect(refused).toMatch(/"CVE-20x" is not a CVE id; expected the form CVE-2026-1234/);
  });

  it('audit-pack: the month in CSV, JSON, HTML and PDF, hashed, the same bytes when made again', async () => {
    const { nodes } = await readTruth(dir, dates[29]);
    const pack = join(dir, 'pack');
    const again = join(dir, 'pack-again');
    // Evaluated at the last snapshot's instant, so the month-to-date figure is that day's truth.
    await patchboard('--now', AT, 'audit-pack', '--month', '2026-10', '--out', pack);
    await patchboard('--now', AT, 'audit-pack', '--month', '2026-10', '--out', again, '--no-pdf');
    const manifest = JSON.parse(await readFile(join(pack, 'manifest.json'), 'utf8')) as {
      dataCutOff: string;
      monthComplete: boolean;
      policy: { staleAfterDays: number };
      files: { path: string; sha256: string; bytes: number }[];
    };
    expect(manifest).toMatchObject({ dataCutOff: AT, monthComplete: false, policy: { staleAfterDays: 7 } });
    expect((await readdir(pack)).sort()).toEqual(
      [...manifest.files.map((f) => f.path), 'manifest.json'].sort(),
    );
    for (const file of manifest.files) {
      const bytes = await readFile(join(pack, file.path));
      expect(createHash('sha256').update(bytes).digest('hex'), file.path).toBe(file.sha256);
      if (/\.(csv|json)$/.test(file.path)) {
        expect(bytes.equals(await readFile(join(again, file.path))), file.path).toBe(true);
      }
    }
    // The month's figure is the truth's.
    const summary = (await readFile(join(pack, 'summary.csv'), 'utf8')).trim().split('\r\n');
    const count = (status: string) => nodes.filter((n) => n.status === status).length;
    expect(summary[1]?.split(',').slice(0, 3)).toEqual([
      String(nodes.length),
      String(nodes.length - count('INACTIVE')),
      String(count('INACTIVE')),
    ]);
    // A spreadsheet opened on the CSV executes nothing: no cell starts a formula.
    for (const file of manifest.files.filter((f) => f.path.endsWith('.csv'))) {
      const text = await readFile(join(pack, file.path), 'utf8');
      expect(text, file.path).not.toMatch(/(^|,|\r\n)"?[=+@]/);
    }
    // The seeds' monthly columns are in the document, and the PDF carries them too.
    const html = await readFile(join(pack, 'report.html'), 'utf8');
    for (const column of [
      'instance',
      'os',
      'patch group',
      'baseline',
      'compliance type',
      'status',
      'missing count',
      'severity',
      'last operation time',
    ]) {
      expect(html, column).toMatch(new RegExp(`<th( class="n")?>${column}</th>`));
    }
    expect(html).not.toMatch(/<img|<script/i);
    const text = (await promisify(execFile)('pdftotext', ['-layout', join(pack, 'report.pdf'), '-'])).stdout;
    expect(text).toContain('Patch compliance audit pack — 2026-10');
    expect(text).toContain('Per-instance status');
    for (const word of ['instance', 'baseline', 'compliance', 'missing', 'severity', 'operation']) {
      expect(text, word).toMatch(new RegExp(`\\b${word}\\b`));
    }
    // Artefacts to look at: the first two pages as images.
    const artefacts = join(import.meta.dirname, '..', '..', '..', 'test-artifacts');
    await mkdir(artefacts, { recursive: true });
    await copyFile(join(pack, 'report.html'), join(artefacts, 'audit-pack.html'));
    await promisify(execFile)('pdftoppm', [
      '-png',
      '-r',
      '70',
      '-f',
      '1',
      '-l',
      '2',
      join(pack, 'report.pdf'),
      join(artefacts, 'audit-pack'),
    ]);
  }, 120_000);
});
