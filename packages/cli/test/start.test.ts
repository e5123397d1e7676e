/**
 * Starting the CLI loads only what the command needs: `--version`, `--help` and `reports` never load the AWS SDK,
 * DuckDB, Chromium, the dashboard or the other heavy packages a command imports in its action. Checked by the
 * modules Node resolves (a resolve hook records each one; a file of the CLI's start bundle stands for the sources
 * its meta.json lists), not by timing, so a slow machine cannot fail it and a fast one cannot hide an eager
 * import.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PATCHBOARD_BIN } from './support/run-cli.js';

const run = promisify(execFile);

/** Packages a command may load in its action, never at start. */
const HEAVY = [
  '@aws-sdk/',
  '@smithy/',
  '@duckdb/',
  'playwright-core',
  'echarts',
  'nodemailer',
  'hono',
  '@hono/',
  'openid-client',
  'yaml',
  '@patchboard/dashboard',
  '@patchboard/engine-duckdb',
  '@patchboard/engine-athena',
  '@patchboard/generator',
];
/** Our own packages by folder, as they resolve in a checkout (sources or lib/) and when installed. */
const HEAVY_WORKSPACES = ['dashboard', 'engine-duckdb', 'engine-athena', 'generator'];

// Hooks run in their own thread; this one appends every resolved URL to the file named by the environment.
const HOOKS = `data:text/javascript,${encodeURIComponent(
  "import { appendFileSync } from 'node:fs'; export async function resolve(specifier, context, next) { const resolved = await next(specifier, context); appendFileSync(process.env.PATCHBOARD_TEST_MODULES, resolved.url + '\\n'); return resolved; }",
)}`;
const RECORDER = `data:text/javascript,${encodeURIComponent(
  `import { register } from 'node:module'; register(${JSON.stringify(HOOKS)});`,
)}`;

const CLI_PACKAGE = dirname(dirname(PATCHBOARD_BIN));
let dir: string;
/** Output file URL of the start bundle → URLs of the sources it holds. */
let bundled: Map<string, string[]>;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'patchboard-start-'));
  const meta = JSON.parse(await readFile(join(CLI_PACKAGE, 'dist', 'meta.json'), 'utf8')) as {
    outputs: Record<string, { inputs: Record<string, unknown> }>;
  };
  const url = (path: string) => pathToFileURL(resolve(CLI_PACKAGE, path)).href;
  bundled = new Map(
    Object.entries(meta.outputs).map(([output, { inputs }]) => [url(output), Object.keys(inputs).map(url)]),
  );
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** Runs `patchboard …args` and returns the URLs of every module it resolved, and of every source bundled in them. */
async function modulesLoadedBy(...args: string[]): Promise<string[]> {
  const file = join(dir, `${args.join('_').replace(/\W+/g, '-')}.txt`);
  await run(process.execPath, ['--import', RECORDER, PATCHBOARD_BIN, ...args], {
    cwd: dir,
    env: { ...process.env, NO_COLOR: '1', PATCHBOARD_TEST_MODULES: file },
  });
  const urls = (await readFile(file, 'utf8')).split('\n').filter((url) => url !== '');
  return urls.flatMap((url) => [url, ...(bundled.get(url) ?? [])]);
}

function heavyIn(urls: string[]): string[] {
  return urls.filter(
    (url) =>
      HEAVY.some((name) => url.includes(`/node_modules/${name}`)) ||
      HEAVY_WORKSPACES.some((name) => url.includes(`/packages/${name}/`)),
  );
}

describe('patchboard start', () => {
  for (const args of [['--version'], ['--help'], ['reports'], ['report', '--help']]) {
    it(`\`patchboard ${args.join(' ')}\` loads no heavy module`, async () => {
      const urls = await modulesLoadedBy(...args);
      // The recorder saw the CLI's sources in its start bundle, so an empty heavy list means something.
      expect(urls.some((url) => url.endsWith('/packages/cli/src/main.ts'))).toBe(true);
      expect(heavyIn(urls)).toEqual([]);
    });
  }

  it('the recorder does see the heavy modules a command loads in its action', async () => {
    const fleet = join(dir, 'fleet');
    const generated = heavyIn(await modulesLoadedBy('generate', '--nodes', '3', '--out', fleet));
    expect(generated.some((url) => /\/(packages|@patchboard)\/generator\//.test(url))).toBe(true);
    const ingested = heavyIn(
      await modulesLoadedBy('ingest', join(fleet, 'bucket'), '--db', join(dir, 'start.duckdb')),
    );
    expect(ingested.some((url) => url.includes('/node_modules/@duckdb/node-api/'))).toBe(true);
  });
});
