/**
 * The derived tables (node facts, non-compliant items, item runs) that an ingest keeps: updated for the nodes
 * an ingest changed, they hold exactly what deriving everything anew gives; a policy with other tag keys derives
 * them anew; and every catalogue report answers the same rows from them as from its own derivation in the query,
 * at the data time, before it (history as it stood then) and as of an instant in the past.
 */
import { cp, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  compileReport,
  DEFAULT_POLICY,
  duckdbDialect,
  factsCtes,
  ITEM_RUNS_TABLE,
  itemRunsFromHistory,
  NODE_FACTS_TABLE,
  NONCOMPLIANT_ITEMS_TABLE,
  noncompliantItemsQuery,
  type Policy,
  type ResultRow,
  sql,
  type SqlFragment,
} from '@patchboard/core';
import { DuckDbQueryEngine, ingest, openDatabase, type OpenedDatabase } from '@patchboard/engine-duckdb';
import { generateFleet } from '@patchboard/generator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportCases } from '../../engine-athena/test/report-variants.js';
import { LocalFolderSource } from '../src/sources/local-folder.js';

const AT = '2026-10-31T12:00:00Z';
const DAYS = 6;
const OWNER_KEYS: Policy['tagKeys'] = { team: ['Owner', 'Team'], environment: ['Stage', 'Environment'] };

let dir: string;
let db: OpenedDatabase;
let engine: DuckDbQueryEngine;
let dates: string[];

const rows = async (query: SqlFragment) => (await engine.run(query.compile())).rows;
/** A table's rows in a stable order, as text, so two sets of rows compare whole. */
const sorted = (result: readonly ResultRow[]) => result.map((row) => JSON.stringify(row)).sort();
const table = (name: string) => rows(sql`SELECT * FROM ${sql.raw(name)}`);
const freshFacts = (tagKeys = DEFAULT_POLICY.tagKeys) =>
  rows(sql`WITH ${factsCtes(tagKeys, duckdbDialect)} SELECT * FROM facts`);
const freshRuns = () =>
  rows(sql`WITH ${itemRunsFromHistory(duckdbDialect, undefined)} SELECT * FROM item_runs`);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'patchboard-derived-'));
  const summary = await generateFleet({ outDir: dir, nodes: 240, accounts: 2, days: DAYS, seed: 17, at: AT });
  dates = summary.snapshots;
  db = await openDatabase(join(dir, 'p.duckdb'));
  engine = new DuckDbQueryEngine(db);
}, 300_000);
afterAll(async () => {
  await engine.close();
  await rm(dir, { recursive: true, force: true });
});

describe('derived tables', () => {
  it('an ingest derives again only the nodes it changed, and the tables equal a full derivation', async () => {
    const ingestDay = (date: string) => ingest(db.connection, new LocalFolderSource(join(dir, 'days', date)));
    for (const date of dates.slice(0, -2)) await ingestDay(date);
    expect(engine.dialect.derived?.tagKeys).toEqual(DEFAULT_POLICY.tagKeys);

    // The day before the last; then, in the same folder, the last day for a third of the nodes and a tenth of the
    // nodes gone (their every object vanishes from the source).
    const last = join(dir, 'last-day');
    await cp(join(dir, 'days', dates.at(-2)!), last, { recursive: true });
    await ingest(db.connection, new LocalFolderSource(last));
    const newest = join(dir, 'days', dates.at(-1)!);
    const paths = (await readdir(newest, { recursive: true })).filter((f) => f.endsWith('.json'));
    const nodeOf = (path: string) =>
      path
        .split('/')
        .at(-1)!
        .replace(/\.json$/, '');
    const nodes = [
      ...new Set(paths.filter((p) => p.startsWith('AWS:InstanceInformation/')).map(nodeOf)),
    ].sort();
    const changed = new Set(nodes.filter((_, i) => i % 3 === 0));
    const gone = nodes.filter((_, i) => i % 10 === 1);
    for (const path of paths) {
      if (changed.has(nodeOf(path))) await cp(join(newest, path), join(last, path));
      if (gone.includes(nodeOf(path))) await rm(join(last, path), { force: true });
    }
    expect(gone.length).toBeGreaterThan(10);

    // A node the ingest leaves unchanged keeps its row as it was: mark one, and the mark must survive.
    const marked = nodes.find((node, i) => !changed.has(node) && !gone.includes(node) && i > 5)!;
    await db.connection.run(`UPDATE ${NODE_FACTS_TABLE} SET name = 'marked' WHERE node_id = ?`, [marked]);
    // So do the runs of a node whose patch history the ingest leaves as it was.
    const [markedRun] =
      await rows(sql`SELECT resourceid, id, title, run_number FROM ${sql.raw(ITEM_RUNS_TABLE)}
      WHERE resourceid IN ${sql.list(nodes.filter((node) => !changed.has(node) && !gone.includes(node)))}
      ORDER BY resourceid, id, title, run_number LIMIT 1`);
    const runKey = [markedRun!.resourceid, markedRun!.id, markedRun!.title, markedRun!.run_number] as (
      string | number
    )[];
    const whereRun = `resourceid = ? AND id = ? AND title = ? AND run_number = ?`;
    await db.connection.run(`UPDATE ${ITEM_RUNS_TABLE} SET cve_ids = 'marked' WHERE ${whereRun}`, runKey);
    const before = await rows(sql`SELECT count(*) AS nodes FROM ${sql.raw(NODE_FACTS_TABLE)}`);
    const summary = await ingest(db.connection, new LocalFolderSource(last));
    expect(summary.objectsRemoved).toBeGreaterThan(0);
    expect(summary.objectsRead).toBeGreaterThan(0);
    expect(summary.objectsUnchanged).toBeGreaterThan(0);
    // An unchanged ingest changes nothing, so it derives nothing again either.
    await ingest(db.connection, new LocalFolderSource(last));
    const kept = await rows(sql`SELECT name FROM ${sql.raw(NODE_FACTS_TABLE)} WHERE node_id = ${marked}`);
    expect(kept).toEqual([{ name: 'marked' }]);
    const keptRun = await engine.run({
      sql: `SELECT cve_ids FROM ${ITEM_RUNS_TABLE} WHERE ${whereRun}`,
      parameters: runKey,
    });
    expect(keptRun.rows).toEqual([{ cve_ids: 'marked' }]);
    const facts = await freshFacts();
    const markedFresh = facts.find((row) => row.node_id === marked)!;
    await db.connection.run(`UPDATE ${NODE_FACTS_TABLE} SET name = ? WHERE node_id = ?`, [
      markedFresh.name as string | null,
      marked,
    ]);

    expect(sorted(await table(NODE_FACTS_TABLE))).toEqual(sorted(facts));
    const items = await rows(noncompliantItemsQuery());
    expect(items.length).toBeGreaterThan(50);
    expect(sorted(await table(NONCOMPLIANT_ITEMS_TABLE))).toEqual(sorted(items));
    const runs = await freshRuns();
    const markedRunFresh = runs.find((run) =>
      [run.resourceid, run.id, run.title, run.run_number].every((value, i) => value === runKey[i]),
    )!;
    await db.connection.run(`UPDATE ${ITEM_RUNS_TABLE} SET cve_ids = ? WHERE ${whereRun}`, [
      markedRunFresh.cve_ids as string | null,
      ...runKey,
    ]);
    const after = await rows(sql`SELECT count(*) AS nodes FROM ${sql.raw(NODE_FACTS_TABLE)}`);
    expect(Number(after[0]!.nodes)).toBe(Number(before[0]!.nodes) - gone.length);
    expect(runs.length).toBeGreaterThan(100);
    expect(sorted(await table(ITEM_RUNS_TABLE))).toEqual(sorted(runs));
    // Runs of the vanished nodes stay: history outlives nodes, and their runs were closed.
    const goneRuns = await rows(
      sql`SELECT count(*) FILTER (WHERE open_now) AS open, count(*) AS runs FROM ${sql.raw(ITEM_RUNS_TABLE)}
        WHERE resourceid IN ${sql.list(gone)}`,
    );
    expect(goneRuns[0]).toMatchObject({ open: 0 });
    expect(Number(goneRuns[0]!.runs)).toBeGreaterThan(0);
  }, 300_000);

  it('reports answer the same rows from the tables as from their own derivation', async () => {
    const newest = engine.dialect.derived!.itemRunsFrom!;
    const middle = Date.parse(`${dates[2]}T12:00:00Z`);
    expect(newest).toBeGreaterThan(middle);
    let fromTables = 0;
    let withRows = 0;
    for (const [now, asOf] of [
      [Date.parse(AT), undefined],
      [middle, undefined],
      [middle, middle],
    ] as const) {
      for (const { id, params } of reportCases({
        'cve-evidence': {
          default: { from: '2026-10-01T00:00:00Z' },
          team: { from: dates[0]!, team: 'payments' },
        },
        'overdue-patches': {
          default: { minDays: 0, classification: 'any' },
          team: { by: 'team-environment' },
        },
        mttr: { default: {}, team: { team: '(untagged)', by: 'team' } },
        'node-compliance': { default: {}, team: { team: 'payments' }, untagged: { team: '(untagged)' } },
      })) {
        const kept = compileReport(id, params, {
          policy: DEFAULT_POLICY,
          now,
          dialect: engine.dialect,
        }).query;
        const derived = compileReport(id, params, {
          policy: DEFAULT_POLICY,
          now,
          dialect: duckdbDialect,
        }).query;
        if (kept.sql === derived.sql) continue;
        fromTables++;
        const options = asOf === undefined ? {} : { asOf };
        const expected = await engine.run(derived, options);
        if (expected.rows.length > 0) withRows++;
        expect(await engine.run(kept, options), `${id} ${JSON.stringify(params)} at ${now}`).toEqual(
          expected,
        );
      }
    }
    // Every report on node facts or item runs, at each of the three times.
    expect(fromTables).toBeGreaterThan(30);
    expect(withRows).toBeGreaterThan(fromTables * 0.8);
    const overdue = (now: number) =>
      compileReport('overdue-patches', {}, { policy: DEFAULT_POLICY, now, dialect: engine.dialect }).query
        .sql;
    expect(overdue(newest)).toContain(ITEM_RUNS_TABLE);
    expect(overdue(newest - 1)).not.toContain(ITEM_RUNS_TABLE);
    expect(overdue(newest - 1)).toContain(NODE_FACTS_TABLE);
  }, 300_000);

  it('a policy with other tag keys derives the node facts anew, and only that policy reads them', async () => {
    await ingest(db.connection, new LocalFolderSource(join(dir, 'last-day')), { tagKeys: OWNER_KEYS });
    expect(engine.dialect.derived?.tagKeys).toEqual(OWNER_KEYS);
    const facts = await freshFacts(OWNER_KEYS);
    expect(sorted(await table(NODE_FACTS_TABLE))).toEqual(sorted(facts));
    expect(sorted(facts)).not.toEqual(sorted(await freshFacts()));

    const compiled = (tagKeys: Policy['tagKeys']) =>
      compileReport(
        'team-environment',
        {},
        { policy: { ...DEFAULT_POLICY, tagKeys }, now: Date.parse(AT), dialect: engine.dialect },
      ).query;
    expect(compiled(OWNER_KEYS).sql).toContain(NODE_FACTS_TABLE);
    expect(compiled(DEFAULT_POLICY.tagKeys).sql).not.toContain(NODE_FACTS_TABLE);
    const derived = compileReport(
      'team-environment',
      {},
      { policy: { ...DEFAULT_POLICY, tagKeys: OWNER_KEYS }, now: Date.parse(AT), dialect: duckdbDialect },
    ).query;
    expect(await engine.run(compiled(OWNER_KEYS))).toEqual(await engine.run(derived));

    // A database opened afresh learns what its tables were derived with.
    const path = db.path;
    await engine.close();
    db = await openDatabase(path, { readOnly: true });
    engine = new DuckDbQueryEngine(db);
    expect(engine.dialect.derived?.tagKeys).toEqual(OWNER_KEYS);
  }, 300_000);
});
