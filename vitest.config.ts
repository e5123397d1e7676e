import { defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';

// Tests run the packages' TypeScript sources (their `@patchboard/source` export condition), never a build; the
// rest is vitest's own default (Vite's without `module`, whose builds Node cannot always load).
const conditions = ['@patchboard/source', ...defaultServerConditions.filter((c) => c !== 'module')];

export default defineConfig({
  ssr: { resolve: { conditions } },
  test: {
    include: [
      'packages/*/src/**/*.test.ts',
      'packages/*/test/**/*.test.ts',
      'infra/**/*.test.ts',
      'bench/**/*.test.ts',
    ],
    exclude: ['**/node_modules/**', '**/*.live.test.ts', 'infra/cdk.out/**'],
    // DuckDB is a native addon: forked workers keep each file's database in its own process.
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    allowOnly: false,
  },
});
