import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { memorySource, type SourceReader } from '@patchboard/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, type Store, storeMemoryLimitMiB } from '../src/index.js';

const ACCOUNT = '033333333333';
const tagKey = (node: string, prefix = '') =>
  `${prefix}AWS:Tag/accountid=${ACCOUNT}/region=eu-west-1/resourcetype=ManagedInstanceInventory/${node}.json`;
const tagLine = (node: string, value: string) =>
  JSON.stringify({ resourceId: node, captureTime: '2026-10-30T02:03:11Z', Key: 'Team', Value: value });
const nodeId = (i: number) => `i-${i.toString(16).padStart(17, '0')}`;

/** More objects than one page of the ingest's plan (2,048), so reading crosses page boundaries. */
const NODES = 2_500;
const fleet = (value: (i: number) => string): Record<string, string> =>
  Object.fromEntries(
    Array.from({ length: NODES }, (_, i) => [tagKey(nodeId(i)), tagLine(nodeId(i), value(i))]),
  );

/** The source with every body read counted: what an ingest fetched, not how long it took. */
function counting(source: SourceReader): SourceReader & { reads: string[] } {
  const reads: string[] = [];
  return {
    location: source.location,
    list: () => source.list(),
    read: (key) => {
      reads.push(key);
      return source.read(key);
    },
    reads,
  };
}

describe('the store', () => {
  let dir: string;
  let store: Store;
  const query = async (sql: string) => (await store.engine.run({ sql, parameters: [] })).rows;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'patchboard-store-test-'));
    store = await openStore(join(dir, 'p.duckdb'), { memoryLimitMiB: 300 });
  });
  afterEach(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('bounds DuckDB’s memory and spills into a folder beside the database file', async () => {
    expect(
      await query(
        `SELECT current_setting('memory_limit') AS memory, current_setting('temp_directory') AS spill`,
      ),
    ).toEqual([{ memory: '300.0 MiB', spill: join(dir, 'p.duckdb.tmp') }]);
  });

  it('reads no object body when the bucket has not changed, and only what changed when it has', async () => {
    const first = counting(
      memorySource(
        'bucket',
        fleet(() => 'web'),
      ),
    );
    expect(await store.ingest(first)).toMatchObject({ objectsRead: NODES, rowsStored: NODES, errors: 0 });
    expect(new Set(first.reads).size).toBe(NODES);
    expect(first.reads).toHaveLength(NODES);

    const again = counting(
      memorySource(
        'bucket',
        fleet(() => 'web'),
      ),
    );
    expect(await store.ingest(again)).toMatchObject({
      objectsListed: NODES,
      objectsRead: 0,
      objectsUnchanged: NODES,
      objectsRemoved: 0,
      rowsStored: 0,
      historyOpened: 0,
      historyClosed: 0,
    });
    expect(again.reads).toEqual([]);

    // Node 7 changes team and the last node vanishes: one body read, one object forgotten.
    const next = fleet((i) => (i === 7 ? 'db' : 'web'));
    delete next[tagKey(nodeId(NODES - 1))];
    const changed = counting(memorySource('bucket', next));
    expect(await store.ingest(changed)).toMatchObject({
      objectsRead: 1,
      objectsUnchanged: NODES - 2,
      objectsRemoved: 1,
      historyOpened: 1,
      historyClosed: 2,
    });
    expect(changed.reads).toEqual([tagKey(nodeId(7))]);
    expect(
      await query(`SELECT value, count(*)::INTEGER AS n FROM aws_tag GROUP BY value ORDER BY value`),
    ).toEqual([
      { value: 'db', n: 1 },
      { value: 'web', n: NODES - 2 },
    ]);
    expect(await query(`SELECT count(*)::INTEGER AS n FROM source_objects`)).toEqual([{ n: NODES - 1 }]);
  });

  it('reports a second copy of a node’s inventory and an object over the size limit, reading neither', async () => {
    const source = counting(
      memorySource('bucket', {
        [tagKey('i-0aaaaaaaaaaaaaaa1', 'one/')]: tagLine('i-0aaaaaaaaaaaaaaa1', 'web'),
        [tagKey('i-0aaaaaaaaaaaaaaa1', 'two/')]: tagLine('i-0aaaaaaaaaaaaaaa1', 'db'),
        [tagKey('i-0bbbbbbbbbbbbbbb2')]: tagLine('i-0bbbbbbbbbbbbbbb2', 'x'.repeat(500)),
      }),
    );
    const options = { maxObjectBytes: 400 };
    expect(await store.ingest(source, options)).toMatchObject({
      objectsListed: 3,
      objectsRead: 1,
      objectsSkipped: 1,
      errors: 2,
    });
    expect(source.reads).toEqual([tagKey('i-0aaaaaaaaaaaaaaa1', 'one/')]);
    const errors = `SELECT object_key, reason FROM ingest_errors ORDER BY object_key`;
    const expected = [
      {
        object_key: tagKey('i-0bbbbbbbbbbbbbbb2'),
        reason: `object is ${tagLine('i-0bbbbbbbbbbbbbbb2', 'x'.repeat(500)).length} bytes, over the 400-byte limit; not read`,
      },
      {
        object_key: tagKey('i-0aaaaaaaaaaaaaaa1', 'two/'),
        reason: `another object, ${tagKey('i-0aaaaaaaaaaaaaaa1', 'one/')}, already holds this node's AWS:Tag inventory (two sync prefixes?); this one was not read`,
      },
    ];
    expect(await query(errors)).toEqual(expected);
    expect(await query(`SELECT value FROM aws_tag`)).toEqual([{ value: 'web' }]);
    // Met again, each problem is listed once; the object too large is tried again, the duplicate is not.
    const again = counting(source);
    await store.ingest(again, options);
    expect(await query(errors)).toEqual(expected);
    expect(again.reads).toEqual([]);
  });
});

describe('the store’s memory limit', () => {
  const GIB = 1024 ** 3;
  it('is a quarter of the machine, at least 256 MiB and at most 2 GiB', () => {
    expect(storeMemoryLimitMiB(24 * GIB)).toBe(2048);
    expect(storeMemoryLimitMiB(4 * GIB)).toBe(1024);
    expect(storeMemoryLimitMiB(GIB / 2)).toBe(256);
  });
});
