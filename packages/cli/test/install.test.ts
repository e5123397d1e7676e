/**
 * Patchboard as an installed tool, and the container image's steps (the Dockerfile cannot run here): `npm pack`
 * of the workspaces, `npm install` of those tarballs alone into an empty folder with production dependencies
 * only, then the installed `patchboard` runs --version, ingest, report, audit-pack and serve, which answers
 * /healthz and serves the built client from its tarball.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { generateFleet, readTruth } from '@patchboard/generator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServeProcess, startServe } from './support/serve-process.js';

const run = promisify(execFile);
const REPO = join(import.meta.dirname, '..', '..', '..');
/** What the image installs, in dependency order (the root package.json's workspaces, without infra). */
const WORKSPACES = ['core', 'generator', 'aws', 'engine-duckdb', 'engine-athena', 'dashboard', 'cli'];
const AT = '2026-11-20T10:00:00Z';

let dir: string;
let installed: string;
let bin: string;
let fleet: string;
let nodes: number;
let server: ServeProcess | undefined;

/** The installed command, run from the install folder with nothing of the repository in reach. */
const patchboard = (...args: string[]) =>
  run(process.execPath, [bin, ...args], { cwd: installed, env: { ...process.env, NO_COLOR: '1' } });

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'patchboard-install-'));
  const packs = join(dir, 'packs');
  await mkdir(packs);
  // `npm pack` runs each package's prepack: tsc into lib/ (and the dashboard client, when not built yet).
  await run(
    'npm',
    ['pack', '--pack-destination', packs, ...WORKSPACES.flatMap((w) => ['-w', `@patchboard/${w}`])],
    { cwd: REPO, maxBuffer: 64 * 1024 * 1024 },
  );
  installed = join(dir, 'installed');
  await mkdir(installed);
  const tarballs = (await readdir(packs)).map((name) => join(packs, name));
  // As the Dockerfile does: the tarballs alone, production dependencies only, from the npm cache when it can.
  await run(
    'npm',
    [
      'install',
      '--omit=dev',
      '--no-audit',
      '--no-fund',
      '--prefer-offline',
      '--no-package-lock',
      ...tarballs,
    ],
    { cwd: installed, maxBuffer: 64 * 1024 * 1024 },
  );
  bin = join(installed, 'node_modules', '@patchboard', 'cli', 'bin', 'patchboard.js');
  fleet = join(dir, 'fleet');
  await generateFleet({ outDir: fleet, nodes: 25, accounts: 2, days: 1, seed: 31, at: AT });
  nodes = (await readTruth(fleet)).nodes.length;
}, 300_000);

afterAll(async () => {
  await server?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('installed from the packed tarballs', () => {
  it('holds compiled JavaScript and the built client, no TypeScript sources and no tsx', async () => {
    const modules = join(installed, 'node_modules');
    const cli = join(modules, '@patchboard', 'cli');
    expect((await readdir(cli)).sort()).toEqual(['bin', 'dist', 'lib', 'package.json']);
    await stat(join(cli, 'dist', 'patchboard.js'));
    await stat(join(cli, 'lib', 'main.js'));
    const dashboard = join(modules, '@patchboard', 'dashboard');
    await stat(join(dashboard, 'dist', 'index.html'));
    await stat(join(dashboard, 'lib', 'server', 'index.js'));
    for (const workspace of WORKSPACES) {
      const files = await readdir(join(modules, '@patchboard', workspace), { recursive: true });
      expect(
        files.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts')),
        workspace,
      ).toEqual([]);
    }
    // Development tools stay out of an install.
    for (const tool of ['tsx', 'typescript', 'vite', 'vitest'])
      await expect(stat(join(modules, tool)), tool).rejects.toThrow();
    await stat(join(modules, '@duckdb', 'node-api'));
  });

  it('runs --version, ingest, report and audit-pack; --version is what the manifest records', async () => {
    const version = (await patchboard('--version')).stdout.trim();
    const own = JSON.parse(await readFile(join(REPO, 'packages', 'cli', 'package.json'), 'utf8')) as {
      version: string;
    };
    expect(version).toBe(own.version);

    const db = join(dir, 'fleet.duckdb');
    const ingested = await patchboard('ingest', join(fleet, 'bucket'), '--db', db);
    expect(ingested.stderr).toMatch(/^Ingested .* 0 errors in/m);
    const report = JSON.parse(
      (await patchboard('report', 'fleet-summary', '--db', db, '--now', AT, '--format', 'json')).stdout,
    ) as { rows: { nodes: number }[] };
    expect(report.rows[0]?.nodes).toBe(nodes);

    const pack = join(dir, 'pack');
    await patchboard('audit-pack', '--month', '2026-11', '--out', pack, '--db', db, '--now', AT, '--no-pdf');
    const manifest = JSON.parse(await readFile(join(pack, 'manifest.json'), 'utf8')) as {
      patchboard: string;
    };
    expect(manifest.patchboard).toBe(version);
  });

  it('serves as the image does: a scheduled ingest, /healthz without sign-in, the client from the tarball', async () => {
    const db = join(dir, 'served.duckdb');
    server = await startServe(bin, ['--db', db, '--ingest', join(fleet, 'bucket'), '--every', '1h'], {
      cwd: installed,
    });
    // The health check needs no session and says nothing but "ok"; everything else does need one.
    const health = await fetch(`${server.origin}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.text()).toBe('ok');
    expect((await fetch(`${server.origin}/api/meta`)).status).toBe(401);
    // The printed link's token is exchanged once for the session cookie.
    const signIn = await fetch(server.link, { redirect: 'manual' });
    expect(signIn.status).toBe(303);
    const cookie = signIn.headers.get('set-cookie')?.split(';')[0] ?? '';
    const meta = (await (await fetch(`${server.origin}/api/meta`, { headers: { cookie } })).json()) as {
      nodes: number;
      refresh: { every: string; lastRefreshedAt?: string };
    };
    expect(meta.nodes).toBe(nodes);
    expect(meta.refresh.every).toBe('1h');
    const page = await fetch(`${server.origin}/`, { headers: { cookie } });
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(
      /<script type="module" crossorigin src="\/assets\/[^"]+\.js"><\/script>/,
    );
  });
});
