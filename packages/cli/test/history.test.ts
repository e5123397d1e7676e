/**
 * Thirty days of a generated fleet, ingested day by day: every history answer checked against the generator's
 * ground truth (its own model of each day and its patch events), not against Patchboard's own numbers.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileReport, DEFAULT_POLICY, type QueryEngine, type ResultRow } from '@patchboard/core';
import { DuckDbQueryEngine, ingest, openDatabase } from '@patchboard/engine-duckdb';
import {
  generateFleet,
  readPatchEvents,
  readTruth,
  type TruthNode,
  type TruthPatchEvent,
} from '@patchboard/generator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalFolderSource } from '../src/sources/local-folder.js';

const AT = '2026-10-31T00:00:00Z';
const DAYS = 30;
const DAY_MS = 86_400_000;
const SECURITY = new Set(['Security', 'SecurityUpdates', 'CriticalUpdates']);
let dir: string;
let engine: QueryEngine;
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
  const summary = await generateFleet({ outDir: dir, nodes: 300, accounts: 3, days: DAYS, seed: 5, at: AT });
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
  await engine.close();
  await rm(dir, { recursive: true, force: true });
});

describe('thirty days of history against the ground truth', () => {
  it('as-of: each day-end figure equals that day’s truth', async () => {
    for (const date of dates.filter((_, d) => d % 6 === 0 || d === DAYS - 1)) {
      const { meta, nodes } = await readTruth(dir, date);
      const count = (status: string) => nodes.filter((n) => n.status === status).length;
      const active = nodes.filter((n) => n.status !== 'INACTIVE').length;
      const [summary] = await report('fleet-summary', {}, meta.at, true);
      expect(summary, date).toEqual({
        nodes: nodes.length,
        active,
        inactive: count('INACTIVE'),
        compliant: count('COMPLIANT'),
        non_compliant: count('NON_COMPLIANT'),
        stale: count('STALE'),
        not_scanned: count('NOT_SCANNED'),
        compliance_pct: Math.round((1000 * count('COMPLIANT')) / active) / 10,
      });
    }
  });

  it('as-of: each node’s status, team and missing count on a past day', async () => {
    const { meta, nodes } = await readTruth(dir, dates[12]);
    const rows = await report('node-compliance', {}, meta.at, true);
    const byKey = new Map(
      rows.map((r) => [`${String(r.account_id)}/${String(r.region)}/${String(r.node_id)}`, r]),
    );
    expect(rows).toHaveLength(nodes.length);
    for (const node of nodes) {
      const row = byKey.get(nodeKey(node));
      expect({ status: row?.status, team: row?.team, missing: row?.missing_count }, node.nodeId).toEqual({
        status: node.status,
        team: node.team ?? '(untagged)',
        missing: node.missing,
      });
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
    const current = new Map(lastTruth.filter((n) => n.status !== 'INACTIVE').map((n) => [nodeKey(n), n]));
    const expected = events
      .filter((e) => {
        const node = current.get(nodeKey(e));
        return (
          node !== undefined &&
          node.nonCompliantPatchIds.includes(e.patchId) &&
          SECURITY.has(e.classification) &&
          utcDays(e.firstSeenNonCompliant, AT) >= 14
        );
      })
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
    const remediated = events.filter((e) => e.installedTime !== null && !current(e).includes(e.patchId));
    function current(e: TruthPatchEvent): string[] {
      return lastTruth.find((n) => nodeKey(n) === nodeKey(e))?.nonCompliantPatchIds ?? [];
    }
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
