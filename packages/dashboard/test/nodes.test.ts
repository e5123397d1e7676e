import type { QueryResult } from '@patchboard/core';
import { describe, expect, it } from 'vitest';
import { AnswerCache } from '../src/server/cache.js';
import { nodeFacets, nodeQuerySchema, pageNodes } from '../src/server/nodes.js';

const TEAMS = ['payments', 'search', 'identity'];
const SEVERITIES = [null, 'LOW', 'HIGH', 'CRITICAL'];
/** 1,000 nodes whose attributes follow from their index, so every expectation is arithmetic. */
const nodes: QueryResult = {
  columns: [
    { name: 'node_id', type: 'string' },
    { name: 'name', type: 'string' },
    { name: 'team', type: 'string' },
    { name: 'status', type: 'string' },
    { name: 'highest_severity', type: 'string' },
    { name: 'missing_count', type: 'integer' },
  ],
  rows: Array.from({ length: 1000 }, (_, i) => ({
    node_id: `i-${String(i).padStart(4, '0')}`,
    name: i === 7 ? '<img src=x onerror=alert(1)>' : `web-${i}`,
    team: TEAMS[i % 3]!,
    status: i % 5 === 0 ? 'NON_COMPLIANT' : 'COMPLIANT',
    highest_severity: SEVERITIES[i % 4]!,
    missing_count: i % 10,
  })),
};
const page = (query: Record<string, string>) => pageNodes(nodes, nodeQuerySchema.parse(query));

describe('the Nodes table', () => {
  it('filters exactly, and the filters combine', () => {
    expect(page({ team: 'search' }).total).toBe(333);
    expect(page({ status: 'NON_COMPLIANT' }).total).toBe(200);
    // i ≡ 1 (mod 3) and i ≡ 0 (mod 5): i ≡ 10 (mod 15), that is 10, 25, … 985.
    expect(page({ team: 'search', status: 'NON_COMPLIANT' }).total).toBe(66);
    expect(page({ severity: 'CRITICAL' }).total).toBe(250);
  });

  it('searches node id, name and owner columns without case, as plain text', () => {
    expect(page({ q: 'I-000' }).total).toBe(10);
    expect(page({ q: '<img' }).result.rows.map((r) => r.node_id)).toEqual(['i-0007']);
    expect(page({ q: '.*' }).total).toBe(0);
  });

  it('sorts by a column with the node id breaking ties, severity by rank, then pages', () => {
    const first = page({ sort: 'missing_count', order: 'desc', limit: '3' }).result.rows;
    expect(first.map((r) => [r.missing_count, r.node_id])).toEqual([
      [9, 'i-0009'],
      [9, 'i-0019'],
      [9, 'i-0029'],
    ]);
    const bySeverity = page({ sort: 'highest_severity', order: 'desc', limit: '1000' }).result.rows;
    expect(bySeverity[0]?.highest_severity).toBe('CRITICAL');
    expect(bySeverity[250]?.highest_severity).toBe('HIGH');
    expect(bySeverity.at(-1)?.highest_severity).toBe(null);
    const second = page({ offset: '50', limit: '50' });
    expect(second.total).toBe(1000);
    expect(second.result.rows[0]?.node_id).toBe('i-0050');
    expect(second.result.rows).toHaveLength(50);
  });

  it('refuses what it does not know: a column to sort by, a huge page, an unknown filter', () => {
    expect(nodeQuerySchema.safeParse({ sort: 'password' }).success).toBe(false);
    expect(nodeQuerySchema.safeParse({ limit: '100000' }).success).toBe(false);
    expect(nodeQuerySchema.safeParse({ owner: 'x' }).success).toBe(false);
  });

  it('offers each facet’s distinct values, sorted', () => {
    expect(nodeFacets(nodes).team).toEqual(['identity', 'payments', 'search']);
  });
});

describe('the answer cache', () => {
  it('computes once for concurrent asks, forgets failures and the least recently used', async () => {
    const cache = new AnswerCache<number>({ capacity: 2 });
    let computed = 0;
    const slow = () => new Promise<number>((resolve) => setTimeout(() => resolve(++computed), 10));
    expect(await Promise.all([cache.get('a', slow), cache.get('a', slow)])).toEqual([1, 1]);
    await expect(cache.get('b', () => Promise.reject(new Error('no')))).rejects.toThrow('no');
    expect(await cache.get('b', slow)).toBe(2);
    expect(await cache.get('a', slow)).toBe(1);
    expect(await cache.get('c', slow)).toBe(3);
    // b was the least recently used of the two kept, so it is computed again.
    expect(await cache.get('b', slow)).toBe(4);
    expect(await cache.get('c', slow)).toBe(3);
  });

  it('keeps the answers it weighs under their limit, least recently used going first, the newest always', async () => {
    const cache = new AnswerCache<number>({ capacity: 10, weigh: (cells) => cells, maxWeight: 10 });
    expect(await cache.get('a', () => Promise.resolve(6))).toBe(6);
    expect(await cache.get('b', () => Promise.resolve(4))).toBe(4);
    expect(cache.size).toEqual({ answers: 2, weight: 10 });
    // 6 + 4 + 3 is over 10: a, the least recently used, goes.
    expect(await cache.get('c', () => Promise.resolve(3))).toBe(3);
    expect(cache.size).toEqual({ answers: 2, weight: 7 });
    expect(await cache.get('a', () => Promise.resolve(1))).toBe(1);
    // One answer heavier than the limit is kept alone: the request that asked for it is still being answered.
    expect(await cache.get('huge', () => Promise.resolve(50))).toBe(50);
    expect(cache.size).toEqual({ answers: 1, weight: 50 });
    cache.dropPrefix('hu');
    expect(cache.size).toEqual({ answers: 0, weight: 0 });
    await expect(cache.get('x', () => Promise.reject(new Error('no')))).rejects.toThrow('no');
    expect(cache.size).toEqual({ answers: 0, weight: 0 });
  });
});
