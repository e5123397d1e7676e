/**
 * The dashboard's lookup tables (engine-duckdb lookups.ts) against the exact queries they stand in for, on a
 * generated fleet ingested day by day: every node's history section and the evidence for patches and CVEs,
 * including a node without history and a CVE no item carried. Then the dashboard itself: with a private copy
 * its node pages and evidence answers read the lookup tables and are the same JSON as without.
 */
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type CompiledQuery,
  compileReport,
  DEFAULT_POLICY,
  nodeDetailQueries,
  type QueryEngine,
  type ResultRow,
} from '@patchboard/core';
import { createDashboardApp, type DataSnapshot } from '@patchboard/dashboard';
import {
  closeDatabase,
  DuckDbQueryEngine,
  DuckDbSnapshotLookups,
  EVIDENCE_TABLE,
  ingest,
  NODE_HISTORY_TABLE,
  openDatabase,
} from '@patchboard/engine-duckdb';
import { generateFleet } from '@patchboard/generator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalFolderSource } from '../src/sources/local-folder.js';

const AT = '2026-10-31T00:00:00Z';
const NOW = Date.parse(AT);
const NO_SUCH_CVE = 'CVE-1999-0001';
let dir: string;
let exactDb: string;
let lookupDb: string;
let exact: DuckDbQueryEngine;
let lookup: DuckDbQueryEngine;
let lookupTables: DuckDbSnapshotLookups;
let dataTime: number;
let nodes: readonly ResultRow[];
let patchIds: string[];
let cves: string[];

/** A node's page in the API. */
const nodePage = (row: ResultRow) =>
  `/api/nodes/${String(row.account_id)}/${String(row.region)}/${String(row.node_id)}`;
const context = (engine: QueryEngine, now = NOW) => ({
  policy: DEFAULT_POLICY,
  now,
  dialect: engine.dialect,
});

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'patchboard-lookups-'));
  const { snapshots } = await generateFleet({
    outDir: dir,
    nodes: 120,
    accounts: 2,
    days: 8,
    seed: 31,
    at: AT,
  });
  exactDb = join(dir, 'exact.duckdb');
  const opened = await openDatabase(exactDb);
  for (const date of snapshots)
    await ingest(opened.connection, new LocalFolderSource(join(dir, 'days', date)));
  closeDatabase(opened);
  lookupDb = join(dir, 'lookup.duckdb');
  await copyFile(exactDb, lookupDb);
  exact = new DuckDbQueryEngine(await openDatabase(exactDb));
  lookup = new DuckDbQueryEngine(await openDatabase(lookupDb));
  lookupTables = new DuckDbSnapshotLookups(lookup, DEFAULT_POLICY);
  await lookupTables.prepare();
  const found = lookupTables.dataTime;
  expect(typeof found).toBe('number');
  dataTime = found as number;

  nodes = (await exact.run(compileReport('node-compliance', {}, context(exact)).query)).rows;
  const items = (
    await exact.run({
      sql: `SELECT DISTINCT id, cveids FROM aws_complianceitem_history WHERE compliancetype = 'Patch' ORDER BY id`,
      parameters: [],
    })
  ).rows;
  patchIds = [...new Set(items.map((row) => String(row.id)))];
  cves = [
    ...new Set(
      items.flatMap((row) =>
        String(row.cveids ?? '')
          .split(/,\s*/)
          .filter((cve) => cve !== ''),
      ),
    ),
  ].sort();
}, 180_000);

afterAll(async () => {
  await exact?.close();
  await lookup?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('lookup tables', () => {
  it('hold for evaluation times from the data time on, which is the last history change', async () => {
    const [latest] = (
      await exact.run({
        sql: `SELECT CAST(epoch_ms(max(valid_from)) AS DOUBLE) AS opened, CAST(epoch_ms(max(valid_to)) AS DOUBLE) AS closed
          FROM aws_complianceitem_history WHERE compliancetype = 'Patch'`,
        parameters: [],
      })
    ).rows;
    expect(dataTime).toBe(Math.max(Number(latest?.opened), Number(latest?.closed ?? 0)));
    expect(dataTime).toBeLessThanOrEqual(NOW);
    const [counts] = (
      await lookup.run({
        sql: `SELECT (SELECT count(*) FROM ${NODE_HISTORY_TABLE}) AS runs, (SELECT count(*) FROM ${EVIDENCE_TABLE}) AS items`,
        parameters: [],
      })
    ).rows;
    expect(Number(counts?.runs)).toBeGreaterThan(0);
    expect(Number(counts?.items)).toBeGreaterThan(Number(counts?.runs) / 10);
  });

  it('give every node the history section its exact query gives, at the data time and after', async () => {
    let withHistory = 0;
    let without = 0;
    const ids = [...nodes.map((row) => String(row.node_id)), 'i-0000000000000000f'];
    for (const now of [dataTime, NOW]) {
      for (const node of ids) {
        const expected = await exact.run(nodeDetailQueries(node, context(exact, now)).history.compile());
        const query = lookupTables.nodeHistory(node, now);
        expect(query, node).toBeDefined();
        const answered = await lookup.run(query!);
        expect(answered, node).toEqual(expected);
        if (expected.rows.length > 0) withHistory += 1;
        else without += 1;
      }
    }
    // The fleet has nodes with runs and nodes without (and an unknown node has none).
    expect(withHistory).toBeGreaterThan(10);
    expect(without).toBeGreaterThanOrEqual(2);
    // Before the data time the tables do not answer: the exact query does.
    expect(lookupTables.nodeHistory(ids[0]!, dataTime - 1)).toBeUndefined();
  }, 120_000);

  it('give the evidence the cve-evidence report gives, by patch, by CVE, by both and by team', async () => {
    expect(patchIds.length).toBeGreaterThan(5);
    expect(cves.length).toBeGreaterThan(5);
    const team = String(nodes.find((row) => row.team !== '(untagged)')?.team);
    /** About twenty of each, spread over the sorted ids: every one would take minutes of exact queries. */
    const spread = (ids: string[]) => ids.filter((_, i) => i % Math.ceil(ids.length / 20) === 0);
    const asked: Record<string, string>[] = [
      ...spread(patchIds).map((patch) => ({ patch })),
      ...spread(cves).map((cve) => ({ cve })),
      { cve: NO_SUCH_CVE },
      { patch: 'KB0000000' },
      { cve: cves[0]!, team },
      { patch: patchIds[0]!, team: '(untagged)' },
    ];
    // A patch together with one of the CVEs it carried.
    const [pair] = (
      await exact.run({
        sql: `SELECT id, cveids FROM aws_complianceitem_history WHERE cveids <> '' ORDER BY id LIMIT 1`,
        parameters: [],
      })
    ).rows;
    asked.push({ patch: String(pair?.id), cve: String(pair?.cveids).split(/,\s*/)[0]! });
    let nonEmpty = 0;
    for (const params of asked) {
      const compiled = compileReport('cve-evidence', params, context(exact));
      const expected = await exact.run(compiled.query);
      const query = lookupTables.evidence(compiled.params, NOW);
      expect(query, JSON.stringify(params)).toBeDefined();
      const answered = await lookup.run(query!);
      expect(answered, JSON.stringify(params)).toEqual(expected);
      if (expected.rows.length > 0) nonEmpty += 1;
      if (params.cve === NO_SUCH_CVE) expect(expected.rows).toEqual([]);
    }
    expect(nonEmpty).toBeGreaterThan(asked.length / 2);
  }, 120_000);

  it('leave a from/to window to the report’s own query', () => {
    expect(
      lookupTables.evidence({ from: '2026-10-01T00:00:00Z', to: '2026-10-20T00:00:00Z' }, NOW),
    ).toBeUndefined();
    expect(lookupTables.evidence({ cve: cves[0]!, from: '2026-10-01T00:00:00Z' }, NOW)).toBeUndefined();
  });
});

describe('the dashboard on a private copy', () => {
  /** A dashboard on its own copy of the database, recording the SQL it runs. */
  const dashboardOn = async (privateCopy: boolean, now: number) => {
    const path = join(dir, `served-${String(privateCopy)}-${now}.duckdb`);
    await copyFile(exactDb, path);
    const engine = new DuckDbQueryEngine(await openDatabase(path));
    const ran: string[] = [];
    const snapshot: DataSnapshot = {
      version: 'v1',
      takenAt: 0,
      // The private copy's engine builds its lookup tables itself; the dashboard only reads them.
      ...(privateCopy ? { lookups: new DuckDbSnapshotLookups(engine, DEFAULT_POLICY) } : {}),
      engine: {
        dialect: engine.dialect,
        run: (query: CompiledQuery, options) => {
          ran.push(query.sql);
          return engine.run(query, options);
        },
        close: () => engine.close(),
      },
    };
    const app = createDashboardApp({
      data: { use: (work) => work(snapshot), refresh: async () => undefined },
      policy: DEFAULT_POLICY,
      token: undefined,
      now: () => now,
      version: 'test',
      exporters: { csv: () => '', pdf: async () => new Uint8Array() },
    });
    const ask = async (path: string) => {
      const response = await app.request(path);
      expect(response.status, path).toBe(200);
      return response.json();
    };
    /** Whether the lookup tables are built: the last statement, an index, has committed. */
    const built = async () =>
      (
        await engine.run({
          sql: `SELECT count(*) AS n FROM duckdb_indexes() WHERE index_name = 'lookup_aws_application_node'`,
          parameters: [],
        })
      ).rows[0]?.n === 1;
    return { ask, ran, built, close: () => engine.close() };
  };

  it('answers node pages and evidence from the lookup tables, the same JSON as the exact queries', async () => {
    const plain = await dashboardOn(false, NOW);
    const copy = await dashboardOn(true, NOW);
    try {
      // The first request starts building the tables; the answers come from the exact queries meanwhile.
      await copy.ask('/api/meta');
      await expect.poll(copy.built, { timeout: 60_000 }).toBe(true);
      const paths = [
        ...nodes.slice(0, 12).map(nodePage),
        ...patchIds.slice(0, 6).map((patch) => `/api/reports/cve-evidence?patch=${patch}`),
        ...cves.slice(0, 4).map((cve) => `/api/reports/cve-evidence?cve=${cve}`),
        `/api/reports/cve-evidence?cve=${NO_SUCH_CVE}`,
      ];
      for (const path of paths) expect(await copy.ask(path), path).toEqual(await plain.ask(path));
      expect(copy.ran.filter((sql) => sql.includes(`FROM ${NODE_HISTORY_TABLE} WHERE`)).length).toBe(12);
      expect(copy.ran.filter((sql) => sql.includes(`FROM ${EVIDENCE_TABLE}`)).length).toBe(11);
      expect(plain.ran.some((sql) => sql.includes('lookup_'))).toBe(false);
    } finally {
      await plain.close();
      await copy.close();
    }
  }, 180_000);

  it('uses the exact queries for an evaluation time before the data time', async () => {
    const early = dataTime - 86_400_000;
    const plain = await dashboardOn(false, early);
    const copy = await dashboardOn(true, early);
    try {
      await copy.ask('/api/meta');
      await expect.poll(copy.built, { timeout: 60_000 }).toBe(true);
      const node = nodes[3]!;
      const paths = [nodePage(node), `/api/reports/cve-evidence?patch=${patchIds[1]}`];
      for (const path of paths) expect(await copy.ask(path), path).toEqual(await plain.ask(path));
      expect(copy.ran.some((sql) => sql.includes(`FROM ${NODE_HISTORY_TABLE} WHERE`))).toBe(false);
      expect(copy.ran.some((sql) => sql.includes(`FROM ${EVIDENCE_TABLE}`))).toBe(false);
    } finally {
      await plain.close();
      await copy.close();
    }
  }, 180_000);
});
