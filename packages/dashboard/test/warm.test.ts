/**
 * New data is shown only once the views people were looking at have been answered on it: after an ingest
 * the next visitors get cached answers instead of all waiting for the same cold queries.
 */
import { DEFAULT_POLICY, duckdbDialect, type QueryResult } from '@patchboard/core';
import { describe, expect, it } from 'vitest';
import { createDashboardApp, type DashboardData, type DataSnapshot } from '../src/server/index.js';

/** A snapshot whose engine answers every query with its own version, and logs each run. */
function snapshotOf(version: string, runs: string[]): DataSnapshot {
  return {
    version,
    takenAt: 0,
    engine: {
      dialect: duckdbDialect,
      run: async (): Promise<QueryResult> => {
        runs.push(version);
        return { columns: [{ name: 'version', type: 'string' }], rows: [{ version }] };
      },
      close: async () => undefined,
    },
  };
}

describe('a new snapshot', () => {
  it('is warmed with the recently asked views before it replaces the current one', async () => {
    const runs: string[] = [];
    let current = snapshotOf('v1', runs);
    let next: DataSnapshot | undefined;
    const shownAfterPrepare: string[] = [];
    const data: DashboardData = {
      use: (work) => work(current),
      refresh: async (prepare) => {
        if (!next) return;
        const arriving = next;
        next = undefined;
        await prepare?.(arriving);
        // What the visitors would have been shown had they asked during the warm-up: still the old data.
        shownAfterPrepare.push(current.version);
        current = arriving;
      },
    };
    const app = createDashboardApp({
      data,
      policy: DEFAULT_POLICY,
      token: undefined,
      now: () => Date.parse('2026-10-31T00:00:00Z'),
      version: 'test',
      exporters: { csv: () => '', pdf: async () => new Uint8Array() },
    });
    const ask = async (path: string) => {
      const response = await app.request(path);
      expect(response.status, path).toBe(200);
      return (await response.json()) as { rows: { version: string }[]; dataVersion?: string };
    };

    const views = ['/api/reports/fleet-summary?group-by=team', '/api/reports/missing-patches'];
    for (const view of views) expect((await ask(view)).rows).toEqual([{ version: 'v1' }]);

    next = snapshotOf('v2', runs);
    // Refreshes are looked for at most once a second, on a request.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await ask('/api/meta');
    await expect.poll(async () => (await ask('/api/meta')).dataVersion, { timeout: 5000 }).toBe('v2');
    expect(shownAfterPrepare).toEqual(['v1']);

    // The node table and both views ran on v2 while v1 was still shown; asking now runs nothing more.
    const warmed = runs.filter((version) => version === 'v2').length;
    expect(warmed).toBe(1 + views.length);
    for (const view of views) expect((await ask(view)).rows).toEqual([{ version: 'v2' }]);
    expect(runs.filter((version) => version === 'v2').length).toBe(warmed);
  });
});
