/**
 * The Athena engine against a mocked Athena API (the service cannot run here): request shapes, the polling
 * sequence, pagination, failures, cancellation, throttling and the typed normalisation of Athena's text.
 */
import {
  AthenaClient,
  GetQueryExecutionCommand,
  type GetQueryExecutionCommandOutput,
  GetQueryResultsCommand,
  type QueryExecution,
  type QueryExecutionState,
  type GetQueryResultsCommandOutput,
  StartQueryExecutionCommand,
  StopQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import { PatchboardError, sql } from '@patchboard/core';
import { TrinoSQL } from 'dt-sql-parser';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AthenaQueryEngine, estimateCostUsd, toExecutionParameter } from '../src/query-engine.js';

const athena = mockClient(AthenaClient);
const QUERY_ID = '8a6d3c1e-0000-4000-8000-000000000001';

const execution = (
  State: QueryExecutionState,
  extra: Partial<QueryExecution> = {},
): GetQueryExecutionCommandOutput => ({
  $metadata: {},
  QueryExecution: {
    QueryExecutionId: QUERY_ID,
    StatementType: 'DML',
    Status: { State },
    Statistics: { DataScannedInBytes: 52_428_800, EngineExecutionTimeInMillis: 1234 },
    ...extra,
  },
});

const page = (
  rows: (string | undefined)[][],
  NextToken?: string,
  header = false,
): GetQueryResultsCommandOutput => ({
  $metadata: {},
  NextToken,
  ResultSet: {
    ResultSetMetadata: {
      ColumnInfo: [
        { Name: 'team', Label: 'team', Type: 'varchar' },
        { Name: 'nodes', Label: 'nodes', Type: 'bigint' },
      ],
    },
    Rows: [...(header ? [['team', 'nodes']] : []), ...rows].map((row) => ({
      Data: row.map((VarCharValue) => (VarCharValue === undefined ? {} : { VarCharValue })),
    })),
  },
});

const engine = (extra: Partial<ConstructorParameters<typeof AthenaQueryEngine>[0]> = {}) =>
  new AthenaQueryEngine({
    database: 'patchboard',
    workgroup: 'patch-workgroup',
    outputLocation: 's3://athena-results-bucket/patchboard/',
    region: 'eu-west-1',
    pollIntervalMs: 1,
    maxPollIntervalMs: 2,
    throttleRetryMs: 1,
    ...extra,
  });

beforeEach(() => athena.reset());
afterEach(() => athena.reset());

describe('AthenaQueryEngine', () => {
  it('starts the query with bound parameters, polls QUEUED → RUNNING → SUCCEEDED and pages the results', async () => {
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: QUERY_ID });
    athena
      .on(GetQueryExecutionCommand)
      .resolvesOnce(execution('QUEUED'))
      .resolvesOnce(execution('RUNNING'))
      .resolves(execution('SUCCEEDED'));
    athena
      .on(GetQueryResultsCommand)
      .resolvesOnce(
        page(
          [
            ['payments', '3'],
            ['', '2'],
          ],
          'token-2',
          true,
        ),
      )
      .resolvesOnce(page([[undefined, '1']], 'token-3'))
      .resolvesOnce(page([['search', '12']]));
    const finished: number[] = [];
    const subject = engine({ onStatistics: (s) => finished.push(s.dataScannedBytes) });

    const result = await subject.run(
      sql`SELECT team, count(*) AS nodes FROM aws_tag WHERE team = ${'payments'} AND n > ${3} AND x = ${true} AND y = ${null} GROUP BY 1;`.compile(),
    );

    expect(athena).toHaveReceivedCommandExactlyOnceWith(StartQueryExecutionCommand, {
      QueryString:
        'SELECT team, count(*) AS nodes FROM aws_tag WHERE team = ? AND n > ? AND x = ? AND y = ? GROUP BY 1',
      ExecutionParameters: ["'payments'", '3', 'TRUE', 'NULL'],
      WorkGroup: 'patch-workgroup',
      QueryExecutionContext: { Database: 'patchboard', Catalog: 'AwsDataCatalog' },
      ResultConfiguration: { OutputLocation: 's3://athena-results-bucket/patchboard/' },
    });
    expect(athena).toHaveReceivedCommandTimes(GetQueryExecutionCommand, 3);
    expect(athena.commandCalls(GetQueryResultsCommand).map((c) => c.args[0].input)).toEqual([
      { QueryExecutionId: QUERY_ID, MaxResults: 1000, NextToken: undefined },
      { QueryExecutionId: QUERY_ID, MaxResults: 1000, NextToken: 'token-2' },
      { QueryExecutionId: QUERY_ID, MaxResults: 1000, NextToken: 'token-3' },
    ]);
    // The header row is skipped once; NULL and the empty string stay apart; counts become numbers.
    expect(result.columns).toEqual([
      { name: 'team', type: 'string' },
      { name: 'nodes', type: 'integer' },
    ]);
    expect(result.rows).toEqual([
      { team: 'payments', nodes: 3 },
      { team: '', nodes: 2 },
      { team: null, nodes: 1 },
      { team: 'search', nodes: 12 },
    ]);
    expect(finished).toEqual([52_428_800]);
    expect(subject.totals).toEqual({
      queries: 1,
      dataScannedBytes: 52_428_800,
      estimatedCostUsd: (50 / 1024 / 1024) * 5,
    });
  });

  it('leaves out ExecutionParameters and ResultConfiguration when there are none', async () => {
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: QUERY_ID });
    athena.on(GetQueryExecutionCommand).resolves(execution('SUCCEEDED', { StatementType: 'DDL' }));
    const subject = new AthenaQueryEngine({ database: 'patchboard', region: 'eu-west-1' });
    expect(await subject.run({ sql: 'CREATE OR REPLACE VIEW v AS SELECT 1 AS one', parameters: [] })).toEqual(
      {
        columns: [],
        rows: [],
      },
    );
    const input = athena.commandCalls(StartQueryExecutionCommand)[0]?.args[0].input;
    expect(input).toEqual({
      QueryString: 'CREATE OR REPLACE VIEW v AS SELECT 1 AS one',
      QueryExecutionContext: { Database: 'patchboard', Catalog: 'AwsDataCatalog' },
      WorkGroup: 'primary',
    });
    expect(athena).not.toHaveReceivedCommand(GetQueryResultsCommand);
    expect(subject.statistics[0]?.estimatedCostUsd).toBe(0);
  });

  it('reports a FAILED query with Athena’s reason and the query id', async ({ task }) => {
    task.meta.figures = {
      area: 'Athena failures: failed, cancelled, aborted, timed out, throttled',
      faults: 1,
    };
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: QUERY_ID });
    athena.on(GetQueryExecutionCommand).resolves(
      execution('FAILED', {
        Status: {
          State: 'FAILED',
          StateChangeReason:
            "TABLE_NOT_FOUND: line 1:15: Table 'awsdatacatalog.patchboard.aws_tag' does not exist",
        },
      }),
    );
    const subject = engine();
    const error = await subject
      .run({ sql: 'SELECT * FROM aws_tag', parameters: [] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PatchboardError);
    expect((error as PatchboardError).code).toBe('ENGINE');
    expect((error as Error).message).toContain(QUERY_ID);
    expect((error as Error).message).toContain(
      "TABLE_NOT_FOUND: line 1:15: Table 'awsdatacatalog.patchboard.aws_tag' does not exist",
    );
    expect((error as Error).message).toContain('patchboard athena setup');
    // Athena bills no failed query.
    expect(subject.statistics[0]?.estimatedCostUsd).toBe(0);
    expect(athena).not.toHaveReceivedCommand(GetQueryResultsCommand);
  });

  it('reports a CANCELLED query with its reason and id', async ({ task }) => {
    task.meta.figures = {
      area: 'Athena failures: failed, cancelled, aborted, timed out, throttled',
      faults: 1,
    };
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: QUERY_ID });
    athena.on(GetQueryExecutionCommand).resolves(
      execution('CANCELLED', {
        Status: { State: 'CANCELLED', StateChangeReason: 'Query cancelled by user' },
      }),
    );
    await expect(engine().run({ sql: 'SELECT 1', parameters: [] })).rejects.toThrow(
      new RegExp(`Athena query ${QUERY_ID} was cancelled \\(Query cancelled by user\\)`),
    );
  });

  it('stops the query with StopQueryExecution when the run is aborted (Ctrl-C)', async ({ task }) => {
    task.meta.figures = {
      area: 'Athena failures: failed, cancelled, aborted, timed out, throttled',
      faults: 1,
    };
    const controller = new AbortController();
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: QUERY_ID });
    let polls = 0;
    athena.on(GetQueryExecutionCommand).callsFake(() => {
      polls++;
      if (polls === 2) controller.abort();
      return execution('RUNNING');
    });
    athena.on(StopQueryExecutionCommand).resolves({});
    const subject = engine({ signal: controller.signal, pollIntervalMs: 5, maxPollIntervalMs: 5 });
    await expect(subject.run({ sql: 'SELECT 1', parameters: [] })).rejects.toThrow(/stopped on request/);
    expect(athena).toHaveReceivedCommandWith(StopQueryExecutionCommand, { QueryExecutionId: QUERY_ID });
    expect(polls).toBeLessThanOrEqual(3);
    // A later run does not start at all.
    await expect(subject.run({ sql: 'SELECT 1', parameters: [] })).rejects.toThrow(/interrupted/);
    expect(athena).toHaveReceivedCommandTimes(StartQueryExecutionCommand, 1);
  });

  it('stops a query that outlives the timeout', async ({ task }) => {
    task.meta.figures = {
      area: 'Athena failures: failed, cancelled, aborted, timed out, throttled',
      faults: 1,
    };
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: QUERY_ID });
    athena.on(GetQueryExecutionCommand).resolves(execution('RUNNING'));
    athena.on(StopQueryExecutionCommand).resolves({});
    await expect(engine({ timeoutMs: 30 }).run({ sql: 'SELECT 1', parameters: [] })).rejects.toThrow(
      /did not finish within 0 s/,
    );
    expect(athena).toHaveReceivedCommandWith(StopQueryExecutionCommand, { QueryExecutionId: QUERY_ID });
  });

  it('retries throttled calls and gives up after a bounded number', async ({ task }) => {
    task.meta.figures = {
      area: 'Athena failures: failed, cancelled, aborted, timed out, throttled',
      faults: 1,
    };
    const throttled = () => Object.assign(new Error('Rate exceeded'), { name: 'TooManyRequestsException' });
    athena
      .on(StartQueryExecutionCommand)
      .rejectsOnce(throttled())
      .rejectsOnce(throttled())
      .resolves({ QueryExecutionId: QUERY_ID });
    athena.on(GetQueryExecutionCommand).rejectsOnce(throttled()).resolves(execution('SUCCEEDED'));
    athena.on(GetQueryResultsCommand).resolves(page([['payments', '1']], undefined, true));
    const rows = (await engine().run({ sql: 'SELECT 1', parameters: [] })).rows;
    expect(rows).toEqual([{ team: 'payments', nodes: 1 }]);
    expect(athena).toHaveReceivedCommandTimes(StartQueryExecutionCommand, 3);

    athena.reset();
    athena.on(StartQueryExecutionCommand).rejects(throttled());
    await expect(engine().run({ sql: 'SELECT 1', parameters: [] })).rejects.toThrow(
      /TooManyRequestsException/,
    );
    expect(athena).toHaveReceivedCommandTimes(StartQueryExecutionCommand, 7);
  });

  it('reads history as of an instant: inventory tables shadowed, the instant bound in WHERE clauses', async () => {
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: QUERY_ID });
    athena.on(GetQueryExecutionCommand).resolves(execution('SUCCEEDED'));
    athena.on(GetQueryResultsCommand).resolves(page([['payments', '3']]));
    const query = sql`SELECT team, count(*) AS nodes FROM aws_tag WHERE team = ${'payments'} GROUP BY 1`;
    await engine().run(query.compile(), { asOf: Date.parse('2026-10-01T00:00:00Z') });
    const sent = athena.commandCalls(StartQueryExecutionCommand)[0]!.args[0].input;
    expect(sent.QueryString).toMatch(/^WITH .*aws_tag AS \(/s);
    expect(sent.QueryString).toContain('FROM aws_tag_history h');
    expect(sent.QueryString).toMatch(
      /SELECT team, count\(\*\) AS nodes FROM aws_tag WHERE team = \? GROUP BY 1$/,
    );
    const parameters = sent.ExecutionParameters ?? [];
    expect(parameters.at(-1)).toBe("'payments'");
    expect(new Set(parameters.slice(0, -1))).toEqual(new Set(["'2026-10-01T00:00:00Z'"]));
    expect(new TrinoSQL().validate(sent.QueryString ?? '')).toEqual([]);
  });

  it('normalises Athena’s text by the column types of ResultSetMetadata', async () => {
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: QUERY_ID });
    athena.on(GetQueryExecutionCommand).resolves(execution('SUCCEEDED'));
    const columns = [
      ['i', 'integer'],
      ['b', 'bigint'],
      ['d', 'double'],
      ['dec', 'decimal'],
      ['ok', 'boolean'],
      ['ts', 'timestamp(3) with time zone'],
      ['offset', 'timestamp with time zone'],
      ['plain', 'timestamp'],
      ['day', 'date'],
      ['list', 'array'],
      ['text', 'varchar'],
    ] as const;
    const values = [
      '7',
      '9007199254740991',
      '0.25',
      '66.7',
      'false',
      '2026-10-31 23:59:59.000 UTC',
      '2026-11-01 01:00:00.500 +02:00',
      '2026-10-31 08:00:00.000',
      '2026-10-31',
      '[CVE-2026-1, CVE-2026-2]',
      '',
    ];
    athena.on(GetQueryResultsCommand).resolves({
      ResultSet: {
        ResultSetMetadata: { ColumnInfo: columns.map(([Name, Type]) => ({ Name, Label: Name, Type })) },
        Rows: [
          { Data: columns.map(([name]) => ({ VarCharValue: name })) },
          { Data: values.map((VarCharValue) => ({ VarCharValue })) },
          { Data: columns.map(() => ({})) },
        ],
      },
    });
    const result = await engine().run({ sql: 'SELECT 1', parameters: [] });
    expect(result.rows).toEqual([
      {
        i: 7,
        b: 9007199254740991,
        d: 0.25,
        dec: 66.7,
        ok: false,
        ts: '2026-10-31T23:59:59Z',
        offset: '2026-10-31T23:00:00.500Z',
        plain: '2026-10-31T08:00:00Z',
        day: '2026-10-31',
        list: ['CVE-2026-1', 'CVE-2026-2'],
        text: '',
      },
      Object.fromEntries(columns.map(([name]) => [name, null])),
    ]);
  });
});

describe('execution parameters', () => {
  it('are SQL literals: strings quoted with quotes doubled, numbers and booleans bare', () => {
    expect(toExecutionParameter('Payments')).toBe("'Payments'");
    expect(toExecutionParameter("x' OR '1'='1")).toBe("'x'' OR ''1''=''1'");
    expect(toExecutionParameter(42)).toBe('42');
    expect(toExecutionParameter(0.5)).toBe('0.5');
    expect(toExecutionParameter(false)).toBe('FALSE');
    expect(toExecutionParameter(null)).toBe('NULL');
    expect(() => toExecutionParameter(Number.NaN)).toThrow(PatchboardError);
    expect(() => toExecutionParameter('x'.repeat(1023))).toThrow(/longer than Athena accepts/);
  });

  it('a value with quotes cannot change the query: it parses as one string literal', () => {
    // Athena substitutes each parameter's text for its `?` (as EXECUTE … USING does). Whatever the value,
    // the statement keeps one WHERE condition comparing with one literal that equals the value.
    const trino = new TrinoSQL();
    const hostile = ["x' OR '1'='1", "'; DROP TABLE aws_tag; --", "\\' OR 1=1 --", "''''", "a'||'b"];
    for (const value of hostile) {
      const literal = toExecutionParameter(value);
      const statement = `SELECT * FROM aws_tag WHERE key = ${literal}`;
      expect(trino.validate(statement), value).toEqual([]);
      // The literal is one token: its quotes pair up, and undoing the doubling gives the value back.
      expect(literal.slice(1, -1).replaceAll("''", "'"), value).toBe(value);
      expect(literal.slice(1, -1).replaceAll("''", ''), value).not.toContain("'");
      const tokens = trino.getAllTokens(statement).map((t) => t.text);
      expect(tokens.at(-1)).toBe(literal);
    }
  });
});

describe('cost estimate', () => {
  it('bills USD 5 per TB with a 10 MB minimum, rounded up to the MB; DDL is free', () => {
    expect(estimateCostUsd(0)).toBeCloseTo((10 / 1024 / 1024) * 5, 12);
    expect(estimateCostUsd(1)).toBeCloseTo((10 / 1024 / 1024) * 5, 12);
    expect(estimateCostUsd(10 * 1024 * 1024 + 1)).toBeCloseTo((11 / 1024 / 1024) * 5, 12);
    expect(estimateCostUsd(1024 ** 4)).toBe(5);
    expect(estimateCostUsd(5 * 1024 ** 4, 'DDL')).toBe(0);
  });
});
