/**
 * The same bucket gives the same report rows through the Athena engine as through DuckDB.
 *
 * Athena cannot run here, so each report runs on DuckDB (ingested from a generated fleet), and the mocked
 * Athena API answers the Athena engine's query with exactly those rows in Athena's wire format: every value as
 * text (`2026-10-31 12:00:00.000 UTC`, `66.7`, `true`), NULL as a datum without a value, column types in
 * ResultSetMetadata, a header row, pages of 1,000 rows. The Athena engine's normalised rows must deep-equal
 * DuckDB's, for every catalogue report; and the query it sent must be the report compiled for Trino.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  type GetQueryResultsCommandOutput,
  StartQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import {
  type ColumnType,
  compileReport,
  DEFAULT_POLICY,
  duckdbDialect,
  findReport,
  type QueryResult,
  type ResultValue,
  runsOn,
  trinoDialect,
} from '@patchboard/core';
import { AthenaQueryEngine, toExecutionParameter } from '@patchboard/engine-athena';
import { DuckDbQueryEngine, ingest, openDatabase } from '@patchboard/engine-duckdb';
import { generateFleet } from '@patchboard/generator';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportCases } from '../../engine-athena/test/report-variants.js';
import { LocalFolderSource } from '../src/sources/local-folder.js';

const AT = '2026-10-31T12:00:00Z';
const PAGE_ROWS = 1000;
let dir: string;
let duckdb: DuckDbQueryEngine;
const athena = mockClient(AthenaClient);

/** The type name Athena puts in ResultSetMetadata for a column of this engine-neutral type. */
const ATHENA_TYPES: Record<ColumnType, string> = {
  string: 'varchar',
  integer: 'bigint',
  number: 'double',
  boolean: 'boolean',
  timestamp: 'timestamp(3) with time zone',
  date: 'date',
  list: 'array',
  other: 'varchar',
};

/** A value as Athena prints it (Trino's text forms). */
function athenaText(value: ResultValue, type: ColumnType): string | undefined {
  if (value === null) return undefined;
  if (Array.isArray(value)) return `[${value.map((v) => athenaText(v, 'other')).join(', ')}]`;
  switch (type) {
    case 'timestamp': {
      const iso = new Date(String(value)).toISOString();
      return `${iso.slice(0, 10)} ${iso.slice(11, 23)} UTC`;
    }
    case 'number':
      // Trino prints a whole double with a fraction: 2.0, not 2.
      return Number.isInteger(value) ? `${String(value)}.0` : String(value);
    default:
      return String(value);
  }
}

/** Athena's GetQueryResults pages for a result: header row first, then PAGE_ROWS rows a page. */
function athenaPages(result: QueryResult): GetQueryResultsCommandOutput[] {
  const metadata = {
    ColumnInfo: result.columns.map((c) => ({ Name: c.name, Label: c.name, Type: ATHENA_TYPES[c.type] })),
  };
  const header = { Data: result.columns.map((c) => ({ VarCharValue: c.name })) };
  const rows = result.rows.map((row) => ({
    Data: result.columns.map((c) => {
      const text = athenaText(row[c.name] ?? null, c.type);
      return text === undefined ? {} : { VarCharValue: text };
    }),
  }));
  const pages: GetQueryResultsCommandOutput[] = [];
  for (let start = 0; start === 0 || start < rows.length; start += PAGE_ROWS) {
    const last = start + PAGE_ROWS >= rows.length;
    pages.push({
      $metadata: {},
      ResultSet: {
        ResultSetMetadata: metadata,
        Rows: [...(start === 0 ? [header] : []), ...rows.slice(start, start + PAGE_ROWS)],
      },
      ...(last ? {} : { NextToken: `page-${start / PAGE_ROWS + 1}` }),
    });
  }
  return pages;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'patchboard-athena-equivalence-'));
  await generateFleet({ outDir: dir, nodes: 1500, accounts: 3, regions: 2, seed: 23, at: AT });
  const db = await openDatabase(join(dir, 'p.duckdb'));
  duckdb = new DuckDbQueryEngine(db);
  const summary = await ingest(db.connection, new LocalFolderSource(join(dir, 'bucket')));
  expect(summary.errors).toBe(0);
});
afterAll(async () => {
  athena.reset();
  await duckdb.close();
  await rm(dir, { recursive: true, force: true });
});

const cases = reportCases({
  // Values the generated fleet holds, so that these variants return rows.
  'cve-evidence': { default: { from: '2026-01-01T00:00:00Z' } },
  'node-compliance': { default: {}, team: { team: 'payments' } },
}).filter((c) => runsOn(findReport(c.id), 'athena'));

describe('Athena engine rows equal DuckDB rows for every catalogue report', () => {
  it.each(cases)('$id ($variant)', async ({ id, params }) => {
    const context = { policy: DEFAULT_POLICY, now: Date.parse(AT) };
    const expected = await duckdb.run(
      compileReport(id, params, { ...context, dialect: duckdbDialect }).query,
    );
    const trinoQuery = compileReport(id, params, { ...context, dialect: trinoDialect }).query;

    athena.reset();
    const queryId = `q-${id}`;
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: queryId });
    athena.on(GetQueryExecutionCommand).resolves({
      QueryExecution: {
        QueryExecutionId: queryId,
        StatementType: 'DML',
        Status: { State: 'SUCCEEDED' },
        Statistics: { DataScannedInBytes: 1_000_000 },
      },
    });
    const pages = athenaPages(expected);
    athena.on(GetQueryResultsCommand).callsFake((input: { NextToken?: string }) => {
      const index = input.NextToken ? Number(input.NextToken.slice('page-'.length)) : 0;
      return pages[index];
    });

    const engine = new AthenaQueryEngine({ database: 'patchboard', region: 'us-east-1', pollIntervalMs: 1 });
    const actual = await engine.run(trinoQuery);
    await engine.close();

    expect(athena.commandCalls(StartQueryExecutionCommand)[0]?.args[0].input).toMatchObject({
      QueryString: trinoQuery.sql.trimEnd().replace(/;+$/, ''),
      ...(trinoQuery.parameters.length > 0
        ? { ExecutionParameters: trinoQuery.parameters.map(toExecutionParameter) }
        : {}),
    });
    expect(athena.commandCalls(GetQueryResultsCommand)).toHaveLength(pages.length);
    expect(actual.columns).toEqual(expected.columns);
    expect(actual.rows).toEqual(expected.rows);
  });

  it('compares real data: the main reports return rows, some over several pages', async () => {
    const context = { policy: DEFAULT_POLICY, now: Date.parse(AT), dialect: duckdbDialect };
    const rows = async (id: string, params: Record<string, unknown> = {}) =>
      (await duckdb.run(compileReport(id, params, context).query)).rows.length;
    expect(await rows('node-compliance')).toBe(1500);
    expect(await rows('fleet-summary', { 'group-by': 'account' })).toBe(3);
    expect(await rows('cve-evidence', { from: '2026-01-01T00:00:00Z' })).toBeGreaterThan(0);
    expect(await rows('missing-patches')).toBeGreaterThan(0);
  });
});
