/**
 * As-of on Athena shadows the inventory tables with history CTEs. Proven two ways: the wrapped SQL is valid
 * Trino for every report, and the same wrapping run on DuckDB (over a database with 4 days of history) gives
 * exactly the rows of DuckDB's own as-of, which the history tests check against the generator's truth.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  compileReport,
  DEFAULT_POLICY,
  duckdbDialect,
  memorySource,
  REPORTS,
  trinoDialect,
} from '@patchboard/core';
import { DuckDbQueryEngine, ingest, openDatabase } from '@patchboard/engine-duckdb';
import { generateFleet } from '@patchboard/generator';
import { TrinoSQL } from 'dt-sql-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryAsOf } from '../src/as-of.js';

const AT = '2026-10-31T12:00:00Z';
/** Reports that read history or current state, with the parameters they need. */
const CASES: [string, Record<string, string>][] = [
  ['fleet-summary', {}],
  ['fleet-summary', { 'group-by': 'team' }],
  ['node-compliance', {}],
  ['team-environment', {}],
  ['missing-patches', {}],
  ['severity-summary', {}],
  ['overdue-patches', { minDays: '1' }],
  ['mttr', {}],
  ['recipe-instance-list', {}],
];

/** A generated day folder as a source, read into memory (the folder reader belongs to the command line). */
async function daySource(folder: string) {
  const files = (await readdir(folder, { recursive: true, withFileTypes: true })).filter((f) => f.isFile());
  const objects: Record<string, Uint8Array> = {};
  for (const file of files) {
    const path = join(file.parentPath, file.name);
    objects[
      path
        .slice(folder.length + 1)
        .split('\\')
        .join('/')
    ] = await readFile(path);
  }
  return memorySource(folder, objects);
}

let dir: string;
let engine: DuckDbQueryEngine;
let days: string[];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'patchboard-athena-as-of-'));
  days = (await generateFleet({ outDir: dir, nodes: 150, accounts: 2, days: 4, seed: 11, at: AT })).snapshots;
  const db = await openDatabase(join(dir, 'p.duckdb'));
  for (const day of days) await ingest(db.connection, await daySource(join(dir, 'days', day)));
  engine = new DuckDbQueryEngine(db);
}, 120_000);

afterAll(async () => {
  await engine?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('as of an instant, on Athena', () => {
  it('is valid Trino SQL for every report, with the instant bound before the report’s own parameters', () => {
    const trino = new TrinoSQL();
    const asOf = Date.parse('2026-10-29T23:59:59Z');
    for (const report of REPORTS) {
      const params = report.id === 'cve-evidence' ? { cve: 'CVE-2026-0001' } : {};
      const context = { policy: DEFAULT_POLICY, now: asOf, dialect: trinoDialect };
      const { query } = compileReport(report.id, params, context);
      const wrapped = queryAsOf(query, asOf);
      expect(trino.validate(wrapped.sql), report.id).toEqual([]);
      // Every `?` of ours binds the instant, and the report's own parameters follow in order.
      const ours = wrapped.parameters.length - query.parameters.length;
      expect(ours).toBeGreaterThan(0);
      expect(wrapped.parameters.slice(0, ours)).toEqual(Array(ours).fill('2026-10-29T23:59:59Z'));
      expect(wrapped.parameters.slice(ours)).toEqual([...query.parameters]);
    }
  });

  it('gives the rows DuckDB gives as of the end of each past day', async () => {
    for (const day of days.slice(0, -1)) {
      const asOf = Date.parse(`${day}T23:59:59Z`);
      const context = { policy: DEFAULT_POLICY, now: asOf, dialect: duckdbDialect };
      for (const [id, params] of CASES) {
        const { query } = compileReport(id, params, context);
        const native = await engine.run(query, { asOf });
        const shadowed = await engine.run(queryAsOf(query, asOf));
        // The recipe's queries are kept verbatim, without ORDER BY: their rows compare as a multiset.
        const rows = (result: { rows: readonly unknown[] }) =>
          id.startsWith('recipe-') ? result.rows.map((r) => JSON.stringify(r)).sort() : result.rows;
        expect(rows(shadowed), `${id} ${JSON.stringify(params)} as of ${day}`).toEqual(rows(native));
      }
    }
    // The days differ, or the comparison above could not tell history from the current state.
    const first = Date.parse(`${days[0]}T23:59:59Z`);
    const now = Date.parse(AT);
    const fleet = (at: number) =>
      compileReport('fleet-summary', {}, { policy: DEFAULT_POLICY, now: at, dialect: duckdbDialect }).query;
    expect((await engine.run(queryAsOf(fleet(first), first))).rows).not.toEqual(
      (await engine.run(fleet(now))).rows,
    );
  });
});
