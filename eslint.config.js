// Type-aware lint plus the import-direction rules of docs/architecture.md:
// core and aws (the AWS commons) import nothing of ours; engines import core and aws only; the dashboard
// imports core only; nothing imports the cli.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const restrict = (group) => ({
  'no-restricted-imports': [
    'error',
    { patterns: [{ group, message: 'This import breaks the package direction in docs/architecture.md.' }] },
  ],
});

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '.tmp/**',
      'bench/out/**',
      'test-artifacts/**',
      'packages/dashboard/dist/**',
      'packages/cli/dist/**',
      'packages/*/lib/**',
      'infra/cdk.out/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: {
          allowDefaultProject: ['*.js', 'packages/cli/bin/*.js', 'packages/cli/bundle.config.mjs'],
        },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      // `{ z }` is zod's namespace as one object, so a bundle keeps every member of it (its ~50 locales and the
      // JSON Schema converters: 560 KB of the CLI's start); `* as z` lets the bundler keep only what is used.
      'no-restricted-syntax': [
        'error',
        {
          selector: "ImportDeclaration[source.value='zod'] > ImportSpecifier[imported.name='z']",
          message: "Import zod as `import * as z from 'zod'`, so a bundle keeps only what is used.",
        },
      ],
      '@typescript-eslint/switch-exhaustiveness-check': [
        'error',
        { considerDefaultExhaustiveForUnions: true },
      ],
      // Async generators over in-memory data are still async iterables; demanding an await there adds noise.
      '@typescript-eslint/require-await': 'off',
    },
  },
  { files: ['packages/core/src/**'], rules: restrict(['@patchboard/*', 'node:*', '@duckdb/*']) },
  { files: ['packages/generator/src/**'], rules: restrict(['@patchboard/*']) },
  // The AWS commons is a leaf beside core: engines, the cli and infra import it; it imports nothing of ours.
  { files: ['packages/aws/src/**'], rules: restrict(['@patchboard/*', '@duckdb/*']) },
  {
    files: ['packages/engine-duckdb/src/**'],
    rules: restrict(['@patchboard/cli', '@patchboard/engine-*', '@patchboard/generator']),
  },
  {
    files: ['packages/engine-athena/src/**'],
    rules: restrict(['@patchboard/cli', '@patchboard/engine-duckdb', '@patchboard/generator', '@duckdb/*']),
  },
  {
    files: ['packages/dashboard/src/server/**'],
    rules: restrict([
      '@patchboard/cli',
      '@patchboard/engine-*',
      '@patchboard/generator',
      '@patchboard/aws',
      '@patchboard/aws/*',
      '@duckdb/*',
    ]),
  },
  {
    // The browser client runs in a page: nothing of Node, nothing of ours but its own files, core's
    // import-free visible-text (values with invisible characters shown as in a terminal) and core's types
    // (the API's JSON envelope), which the bundle never contains.
    files: ['packages/dashboard/src/client/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['node:*', '@duckdb/*', 'hono', 'hono/*'],
              message: 'This import breaks the package direction in docs/architecture.md.',
            },
            {
              regex: '^@patchboard/(?!core/visible-text$|core$)',
              message: 'This import breaks the package direction in docs/architecture.md.',
            },
            {
              regex: '^@patchboard/core$',
              allowTypeImports: true,
              message: 'The client takes only types from @patchboard/core (import type).',
            },
          ],
        },
      ],
    },
  },
  {
    // Lambda handlers run the Athena engine only: no DuckDB, no CLI, no dashboard in any bundle.
    files: ['infra/**'],
    rules: restrict([
      '@patchboard/engine-duckdb',
      '@patchboard/cli',
      '@patchboard/dashboard',
      '@patchboard/generator',
      '@duckdb/*',
    ]),
  },
  { files: ['**/*.js'], ...tseslint.configs.disableTypeChecked },
  { files: ['packages/cli/bin/*.js'], languageOptions: { globals: { process: 'readonly' } } },
);
