/**
 * `--engine athena` through the command line, in-process so that the Athena API can be mocked: the flags and
 * the configuration file reach StartQueryExecution, bytes scanned and cost go to standard error, `athena ddl`
 * prints the schema and `athena setup` runs it.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  StartQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import { athenaSchema, schemaStatements } from '@patchboard/engine-athena';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../src/main.js';

const athena = mockClient(AthenaClient);
let dir: string;

async function run(...args: string[]): Promise<{ code: number; out: string; stderr: string }> {
  const out = join(dir, `out-${Math.random().toString(36).slice(2)}.txt`);
  const written: string[] = [];
  const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    written.push(String(chunk));
    return true;
  });
  try {
    const code = await main(['node', 'patchboard', '--out', out, ...args]);
    const text = await readFile(out, 'utf8').catch(() => '');
    return { code, out: text, stderr: written.join('') };
  } finally {
    spy.mockRestore();
  }
}

function answerWith(rows: string[][], statementType: 'DML' | 'DDL' = 'DML') {
  athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q-1' });
  athena.on(GetQueryExecutionCommand).resolves({
    QueryExecution: {
      QueryExecutionId: 'q-1',
      StatementType: statementType,
      Status: { State: 'SUCCEEDED' },
      Statistics: { DataScannedInBytes: 52_400_000 },
    },
  });
  athena.on(GetQueryResultsCommand).resolves({
    ResultSet: {
      ResultSetMetadata: {
        ColumnInfo: [
          { Name: 'team', Type: 'varchar' },
          { Name: 'nodes', Type: 'bigint' },
          { Name: 'compliance_pct', Type: 'decimal' },
        ],
      },
      Rows: [['team', 'nodes', 'compliance_pct'], ...rows].map((r) => ({
        Data: r.map((VarCharValue) => ({ VarCharValue })),
      })),
    },
  });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'patchboard-athena-cli-'));
  process.env.AWS_REGION = 'eu-west-1';
  process.env.AWS_ACCESS_KEY_ID = 'test';
  process.env.AWS_SECRET_ACCESS_KEY = 'test';
});
afterAll(async () => {
  athena.restore();
  await rm(dir, { recursive: true, force: true });
});
beforeEach(() => athena.reset());

describe('patchboard --engine athena', () => {
  it('runs a report with the flags in the request and prints bytes scanned and cost on stderr', async () => {
    answerWith([
      ['payments', '12', '66.7'],
      ['search', '3', '100.0'],
    ]);
    const result = await run(
      '--engine',
      'athena',
      '--workgroup',
      'patch-workgroup',
      '--database',
      'patch_db',
      '--output-location',
      's3://athena-results/patchboard/',
      '--format',
      'json',
      '--now',
      '2026-10-31T12:00:00Z',
      'report',
      'fleet-summary',
      '--param',
      'group-by=team',
    );
    expect(result.code).toBe(0);
    expect(JSON.parse(result.out)).toMatchObject({
      rows: [
        { team: 'payments', nodes: 12, compliance_pct: 66.7 },
        { team: 'search', nodes: 3, compliance_pct: 100 },
      ],
    });
    expect(athena).toHaveReceivedCommandWith(StartQueryExecutionCommand, {
      WorkGroup: 'patch-workgroup',
      QueryExecutionContext: { Database: 'patch_db', Catalog: 'AwsDataCatalog' },
      ResultConfiguration: { OutputLocation: 's3://athena-results/patchboard/' },
    });
    const input = athena.commandCalls(StartQueryExecutionCommand)[0]?.args[0].input;
    expect(input?.QueryString).toContain('min_by(');
    expect(input?.ExecutionParameters).toContain("'2026-10-24T12:00:00Z'");
    // 52.4 MB rounds up to 50 MiB (52,428,800 bytes) at USD 5 per TiB.
    expect(result.stderr).toContain('athena: query q-1 scanned 52.4 MB, estimated cost USD 0.000238');
  });

  it('takes the Athena settings from the configuration file', async () => {
    answerWith([['payments', '1', '0.0']]);
    const config = join(dir, 'patchboard.yaml');
    await writeFile(
      config,
      'engine: athena\nathena:\n  workgroup: from-config\n  database: config_db\n  outputLocation: s3://results-from-config/\n',
    );
    const result = await run('--config', config, '--format', 'json', 'report', 'fleet-summary');
    expect(result.code).toBe(0);
    expect(athena).toHaveReceivedCommandWith(StartQueryExecutionCommand, {
      WorkGroup: 'from-config',
      QueryExecutionContext: { Database: 'config_db', Catalog: 'AwsDataCatalog' },
      ResultConfiguration: { OutputLocation: 's3://results-from-config/' },
    });
  });

  it('refuses a report that only a DuckDB database can answer, before calling Athena', async () => {
    const result = await run('--engine', 'athena', 'report', 'ingest-runs');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Report ingest-runs does not run on Athena');
    expect(athena).not.toHaveReceivedCommand(StartQueryExecutionCommand);
  });

  it('--print-sql shows the Trino SQL and the ExecutionParameters as Athena gets them, without calling Athena', async () => {
    const result = await run(
      '--engine',
      'athena',
      'report',
      'node-compliance',
      '--param',
      "team=x' OR '1'='1",
      '--print-sql',
    );
    expect(result.code).toBe(0);
    expect(result.out).toContain('min_by(value');
    expect(result.out).toContain(`-- Athena ExecutionParameters:`);
    expect(result.out).toContain(`"'x'' OR ''1''=''1'"`);
    expect(athena).not.toHaveReceivedCommand(StartQueryExecutionCommand);
  });
});

describe('patchboard athena ddl / setup', () => {
  it('ddl prints the database, tables and views for the bucket', async () => {
    const result = await run('--database', 'patch_db', 'athena', 'ddl', '--location', 's3://sync-bucket/org');
    expect(result.code).toBe(0);
    const expected = schemaStatements(athenaSchema({ location: 's3://sync-bucket/org' }), 'patch_db');
    expect(result.out).toBe(`${expected.join(';\n\n')};\n`);
    expect(result.out).toContain("LOCATION 's3://sync-bucket/org/AWS:ComplianceItem/'");
  });

  it('ddl --parquet gives tables over compacted Parquet', async () => {
    const result = await run('athena', 'ddl', '--parquet', 's3://compact-bucket/patchboard');
    expect(result.code).toBe(0);
    expect(result.out).toContain("LOCATION 's3://compact-bucket/patchboard/aws_complianceitem/'");
    expect(result.out).toContain('ParquetHiveSerDe');
  });

  it('ddl refuses a location that is not an S3 folder', async () => {
    const result = await run('athena', 'ddl', '--location', "s3://bucket/x' DROP");
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('is not an S3 folder Athena can read');
  });

  it('setup runs every statement, the first in the default database', async () => {
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'ddl-1' });
    athena.on(GetQueryExecutionCommand).resolves({
      QueryExecution: { QueryExecutionId: 'ddl-1', StatementType: 'DDL', Status: { State: 'SUCCEEDED' } },
    });
    const result = await run(
      '--database',
      'patch_db',
      'athena',
      'setup',
      '--location',
      's3://sync-bucket/org',
    );
    expect(result.code).toBe(0);
    const expected = schemaStatements(athenaSchema({ location: 's3://sync-bucket/org' }), 'patch_db');
    const calls = athena.commandCalls(StartQueryExecutionCommand).map((c) => c.args[0].input);
    expect(calls.map((c) => c.QueryString)).toEqual(expected);
    expect(calls[0]?.QueryExecutionContext?.Database).toBe('default');
    expect(calls[1]?.QueryExecutionContext?.Database).toBe('patch_db');
    expect(result.out).toContain(`${expected.length} statements run`);
  });
});
