/**
 * Opt-in: runs a few reports against a real Athena workgroup. Excluded from `npm test`; run it with
 *
 *   PATCHBOARD_LIVE_ATHENA='{"region":"eu-west-1","workgroup":"primary","database":"patchboard",
 *     "outputLocation":"s3://my-athena-results/patchboard/"}' npx vitest run packages/engine-athena/test/athena.live.test.ts
 *
 * after `patchboard athena setup --location s3://sync-bucket/prefix --database patchboard`, with AWS
 * credentials in the environment. Each report costs at least Athena's 10 MB minimum.
 */
import { compileReport, DEFAULT_POLICY, trinoDialect } from '@patchboard/core';
import { describe, expect, it } from 'vitest';
import { AthenaQueryEngine, type AthenaQueryEngineOptions } from '../src/query-engine.js';

const settings = process.env.PATCHBOARD_LIVE_ATHENA;
const options = settings ? (JSON.parse(settings) as AthenaQueryEngineOptions) : undefined;
const context = { policy: DEFAULT_POLICY, now: Date.now(), dialect: trinoDialect };

describe.runIf(options !== undefined)('Athena, live', () => {
  const engine = () => new AthenaQueryEngine(options as AthenaQueryEngineOptions);

  it('fleet-summary counts add up', async () => {
    const athena = engine();
    const [row] = (await athena.run(compileReport('fleet-summary', {}, context).query)).rows;
    expect(row).toBeDefined();
    const { nodes, active, inactive } = row as { nodes: number; active: number; inactive: number };
    expect(nodes).toBe(active + inactive);
    expect(athena.totals.dataScannedBytes).toBeGreaterThan(0);
    await athena.close();
  });

  it('node-compliance with a bound team and a quote in it runs and returns typed rows', async () => {
    const athena = engine();
    const result = await athena.run(
      compileReport('node-compliance', { team: "no such team'" }, context).query,
    );
    expect(result.rows).toEqual([]);
    await athena.close();
  });

  it('the recipe queries run unchanged', async () => {
    const athena = engine();
    for (const id of ['recipe-instance-list', 'recipe-aggregate-non-compliant-by-resource']) {
      const result = await athena.run(compileReport(id, {}, context).query);
      for (const row of result.rows) expect(typeof row.resourceid).toBe('string');
    }
    await athena.close();
  });
});
