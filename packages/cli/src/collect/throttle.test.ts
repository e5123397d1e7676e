import { describe, expect, it } from 'vitest';
import { catalogueQueries, CATALOGUE_BATCH } from './catalogue.js';
import { RequestRate } from './throttle.js';

describe('RequestRate', () => {
  it('spaces requests at the rate given', async () => {
    const rate = new RequestRate(50);
    const started = performance.now();
    for (let i = 0; i < 6; i++) await rate.take();
    // Six requests at 50 a second: the sixth starts 5 x 20 ms after the first.
    expect(performance.now() - started).toBeGreaterThanOrEqual(95);
  });
});

describe('catalogueQueries', () => {
  it('asks Windows patches by KB number and Amazon Linux ones by product and name, in batches', () => {
    const windows = Array.from({ length: CATALOGUE_BATCH + 1 }, (_, i) => ({
      kbId: `KB${5000000 + i}`,
      platformType: 'Windows',
      platformName: 'Microsoft Windows Server 2022 Datacenter',
      platformVersion: '10.0.20348',
    }));
    const queries = catalogueQueries([
      ...windows,
      { kbId: 'kernel.x86_64', platformType: 'Linux', platformName: 'Amazon Linux', platformVersion: '2' },
      { kbId: 'glibc.x86_64', platformType: 'Linux', platformName: 'Amazon Linux', platformVersion: '2' },
      // Not in the API's catalogue: Ubuntu, and Amazon Linux 2023.
      { kbId: 'openssl.amd64', platformType: 'Linux', platformName: 'Ubuntu', platformVersion: '22.04' },
      { kbId: 'bash.x86_64', platformType: 'Linux', platformName: 'Amazon Linux', platformVersion: '2023' },
    ]);
    expect(queries.map((q) => q.filters.map((f) => [f.Key, f.Values.length]))).toEqual([
      [['PATCH_ID', CATALOGUE_BATCH]],
      [['PATCH_ID', 1]],
      [
        ['PRODUCT', 1],
        ['NAME', 2],
      ],
    ]);
    expect(queries[2]!.filters).toEqual([
      { Key: 'PRODUCT', Values: ['AmazonLinux2.0'] },
      { Key: 'NAME', Values: ['glibc', 'kernel'] },
    ]);
  });
});
