/**
 * Results larger than one DuckDB chunk (2,048 rows) are read chunk by chunk, so a server keeps answering while a
 * big result is converted: every row still arrives, in order and in the one shape, and an error in a later chunk
 * is still one clear message.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPatchboardError } from '@patchboard/core';
import { DuckDbQueryEngine, openDatabase } from '../src/index.js';

describe('DuckDbQueryEngine.run', () => {
  let engine: DuckDbQueryEngine;
  beforeAll(async () => {
    engine = new DuckDbQueryEngine(await openDatabase(':memory:'));
  });
  afterAll(() => engine.close());

  it('returns every row of a result of several chunks, in order and normalised', async () => {
    const result = await engine.run({
      sql: `SELECT range AS n, TIMESTAMPTZ '2026-10-31 00:00:00+00' + to_seconds(range) AS at, [range, range + 1] AS pair
FROM range(5000) ORDER BY n`,
      parameters: [],
    });
    expect(result.columns).toEqual([
      { name: 'n', type: 'integer' },
      { name: 'at', type: 'timestamp' },
      { name: 'pair', type: 'list' },
    ]);
    expect(result.rows).toHaveLength(5000);
    expect(result.rows.map((row) => row.n)).toEqual(Array.from({ length: 5000 }, (_, i) => i));
    // The last chunk is converted like the first: 4,999 s after midnight is 01:23:19.
    expect(result.rows[4999]).toEqual({ n: 4999, at: '2026-10-31T01:23:19Z', pair: [4999, 5000] });
    expect(result.rows[0]).toEqual({ n: 0, at: '2026-10-31T00:00:00Z', pair: [0, 1] });
  });

  it('reports an error that surfaces in a later chunk as one engine error', async () => {
    const failing = engine.run({
      sql: `SELECT CAST(CASE WHEN range < 4500 THEN '1' ELSE 'not a number' END AS INTEGER) AS n FROM range(5000)`,
      parameters: [],
    });
    await expect(failing).rejects.toSatisfy(
      (error: unknown) =>
        isPatchboardError(error) &&
        error.code === 'ENGINE' &&
        /DuckDB could not run the query: .*not a number/.test(error.message),
    );
  });
});
