/**
 * The CLI's start bundle, dist/patchboard.js: the CLI and the Patchboard packages it uses, with the light
 * libraries every command needs at start (commander, zod, the table, progress and CSV writers), in one file plus a
 * chunk per dynamic import. Node 20 resolves and loads each ES module on its own, and `patchboard --version`
 * otherwise loads some 180 of them; from one file it starts in about half the time.
 *
 * - Every Patchboard package is bundled, none is left to its lib/: one copy of core per process, so its classes
 *   (`PatchboardError`, SQL fragments) are the same class wherever they are thrown or tested.
 * - Every other library stays an import of its own package (DuckDB's native addon, the AWS SDK, Chromium, Hono):
 *   it loads only in the action that needs it, from its own files.
 * - Commands import the heavy Patchboard packages in their actions, so those become chunks loaded only there;
 *   dist/meta.json says which sources each output file holds (the start test reads it).
 * - The bundle sits one folder below the package, as lib/ does, so `../package.json` and `../bin/` resolve.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

const BUNDLED = new Set(['commander', 'zod', 'cli-table3', 'cli-progress', 'csv-stringify']);
const packages = join(import.meta.dirname, '..');
const external = new Set();
for (const folder of readdirSync(packages)) {
  // eslint-disable-next-line @typescript-eslint/no-unsafe-assignment -- a plain script: JSON.parse gives no type
  const manifest = JSON.parse(readFileSync(join(packages, folder, 'package.json'), 'utf8'));
  // eslint-disable-next-line @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-argument -- as above
  for (const name of Object.keys(manifest.dependencies ?? {}))
    if (!name.startsWith('@patchboard/') && !BUNDLED.has(name)) external.add(name);
}

const { metafile } = await build({
  // From the sources, as the workspaces' `@patchboard/source` export condition names them, so the bundle never
  // depends on which lib/ folders were compiled first.
  entryPoints: { patchboard: 'src/main.ts' },
  conditions: ['@patchboard/source'],
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: [...external],
  // CommonJS libraries in an ES bundle still call require() for Node's own modules.
  banner: {
    js: "import { createRequire as __bundleRequire } from 'node:module'; const require = __bundleRequire(import.meta.url);",
  },
  metafile: true,
  logLevel: 'warning',
});
writeFileSync('dist/meta.json', `${JSON.stringify(metafile)}\n`);
