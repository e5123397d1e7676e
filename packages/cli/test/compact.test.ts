/**
 * `patchboard compact`: the Parquet it writes holds exactly the rows of each table, partitioned by account and
 * Region, and reads back with DuckDB; `--to s3://…` uploads every file and removes partitions no longer there.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteObjectsCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { INVENTORY_TYPES } from '@patchboard/core';
import { closeDatabase, ingest, openDatabase } from '@patchboard/engine-duckdb';
import { generateFleet } from '@patchboard/generator';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../src/main.js';
import { columnsRead, sqlIdentifiers } from '../src/scan-estimate.js';
import { LocalFolderSource } from '../src/sources/local-folder.js';

let dir: string;
const counts = new Map<string, number>();

async function run(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const stdout = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out.push(String(chunk));
    return true;
  });
  const stderr = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    err.push(String(chunk));
    return true;
  });
  try {
    const code = await main(['node', 'patchboard', ...args]);
    return { code, stdout: out.join(''), stderr: err.join('') };
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
  }
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'patchboard-compact-'));
  await generateFleet({
    outDir: dir,
    nodes: 400,
    accounts: 2,
    regions: 2,
    seed: 3,
    at: '2026-10-31T12:00:00Z',
  });
  const db = await openDatabase(join(dir, 'p.duckdb'));
  await ingest(db.connection, new LocalFolderSource(join(dir, 'bucket')));
  for (const type of INVENTORY_TYPES) {
    const reader = await db.connection.runAndReadAll(`SELECT count(*)::INTEGER FROM ${type.table}`);
    counts.set(type.table, Number(reader.getRowsJS()[0]?.[0]));
  }
  closeDatabase(db);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('patchboard compact', () => {
  it('--out DIR writes Parquet per table and partition that reads back with the tables’ row counts', async () => {
    const out = join(dir, 'parquet');
    const result = await run(
      '--db',
      join(dir, 'p.duckdb'),
      '--out',
      out,
      '--format',
      'json',
      'compact',
      '--compare-json',
      join(dir, 'bucket'),
    );
    expect(result.code).toBe(0);
    const db = await openDatabase(join(dir, 'check.duckdb'));
    try {
      for (const type of INVENTORY_TYPES) {
        const expected = counts.get(type.table) ?? 0;
        if (expected === 0) continue;
        const reader = await db.connection.runAndReadAll(
          `SELECT count(*)::INTEGER, count(DISTINCT accountid)::INTEGER, count(DISTINCT region)::INTEGER
           FROM read_parquet('${join(out, type.table)}/**/*.parquet', hive_partitioning = true, hive_types = {'accountid': VARCHAR})`,
        );
        expect(reader.getRowsJS()[0], type.table).toEqual([expected, 2, 2]);
      }
      // zstd, as the schema's table properties say.
      const codec = await db.connection.runAndReadAll(
        `SELECT DISTINCT compression FROM parquet_metadata('${join(out, 'aws_complianceitem')}/**/*.parquet')`,
      );
      expect(codec.getRowsJS()).toEqual([['ZSTD']]);
    } finally {
      closeDatabase(db);
    }
    const partitions = await readdir(join(out, 'aws_complianceitem'));
    expect(partitions.every((p) => /^accountid=\d{12}$/.test(p))).toBe(true);
    const estimates = JSON.parse(result.stdout) as {
      rows: { report: string; json_bytes: number; parquet_bytes: number }[];
    };
    const fleet = estimates.rows.find((r) => r.report === 'fleet-summary');
    expect(fleet?.parquet_bytes).toBeGreaterThan(0);
    expect(fleet?.json_bytes).toBeGreaterThan(fleet?.parquet_bytes ?? Infinity);
    expect(estimates.rows.map((r) => r.report)).not.toContain('ingest-runs');
  });

  it('--to s3://… uploads every file under the prefix and deletes stale partitions', async () => {
    const s3 = mockClient(S3Client);
    s3.on(PutObjectCommand).resolves({ ETag: '"e"' });
    s3.on(ListObjectsV2Command).resolves({
      Contents: [
        { Key: 'compact/aws_tag/accountid=999999999999/region=us-east-1/data_0.parquet' },
        { Key: 'compact/aws_tag/accountid=000000000000/region=eu-west-1/data_0.parquet' },
      ],
    });
    s3.on(DeleteObjectsCommand).resolves({});
    try {
      const result = await run(
        '--db',
        join(dir, 'p.duckdb'),
        'compact',
        '--to',
        's3://compact-bucket/compact',
        '--region',
        'eu-west-1',
      );
      expect(result.code).toBe(0);
      const keys = s3.commandCalls(PutObjectCommand).map((c) => c.args[0].input.Key);
      expect(keys.length).toBeGreaterThan(0);
      for (const key of keys)
        expect(key).toMatch(
          /^compact\/(aws_[a-z]+(_history)?|history_observations|history_scans|history_reports)\/accountid=\d{12}\/region=[a-z0-9-]+\/data_0\.parquet$/,
        );
      expect(s3).toHaveReceivedCommandWith(PutObjectCommand, { Bucket: 'compact-bucket' });
      expect(s3).toHaveReceivedCommandWith(DeleteObjectsCommand, {
        Bucket: 'compact-bucket',
        Delete: {
          Objects: [
            { Key: 'compact/aws_tag/accountid=999999999999/region=us-east-1/data_0.parquet' },
            { Key: 'compact/aws_tag/accountid=000000000000/region=eu-west-1/data_0.parquet' },
          ],
          Quiet: true,
        },
      });
      expect(result.stderr).toContain(`s3://compact-bucket/compact (${keys.length} files)`);
    } finally {
      s3.restore();
    }
  });

  it('needs exactly one of --to and --out', async () => {
    const result = await run('--db', join(dir, 'p.duckdb'), 'compact');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--to s3://bucket/prefix (uploaded) or --out DIR');
  });
});

describe('scan estimate', () => {
  it('reads identifiers, not literals or comments', () => {
    expect(sqlIdentifiers("SELECT a.Key FROM aws_tag a -- status\nWHERE value = 'patchstate'")).toEqual(
      new Set(['select', 'a', 'key', 'from', 'aws_tag', 'where', 'value']),
    );
  });

  it('names the columns of each table a query reads', () => {
    const read = columnsRead('SELECT resourceid, key, value FROM aws_tag WHERE key = ?');
    expect([...read.entries()].map(([type, columns]) => [type.table, [...columns].sort()])).toEqual([
      ['aws_tag', ['key', 'resourceid', 'value']],
    ]);
  });
});
