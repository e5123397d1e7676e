/**
 * `serve --ingest SOURCE --every 2s`: the dashboard picks up a changed source without a restart, and a failed
 * refresh keeps the last good data while the overview says it failed and why.
 */
import { cp, mkdtemp, readdir, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateFleet, readTruth } from '@patchboard/generator';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PATCHBOARD_BIN, runPatchboard } from './support/run-cli.js';
import { type ServeProcess, startServe } from './support/serve-process.js';

interface Meta {
  nodes: number;
  refresh: {
    every: string;
    lastRefreshedAt?: string;
    lastFailure?: { at: string; reason: string };
    nextAt?: string;
  } | null;
}

const AT = '2026-11-20T10:00:00Z';
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
/** Each wait is bounded: a few refresh periods, each a child process that starts the command line. */
const WAIT = { timeout: 60_000, interval: 250 };

let dir: string;
let source: string;
let nodeIds: string[];
let server: ServeProcess | undefined;

const meta = async (): Promise<Meta> => {
  const response = await fetch(`${server!.origin}/api/meta`);
  expect(response.status).toBe(200);
  return (await response.json()) as Meta;
};

/** Every file of these nodes, in every inventory type, leaves the source (as when they are deregistered). */
async function removeNodes(root: string, ids: readonly string[]): Promise<number> {
  let removed = 0;
  for (const entry of await readdir(root, { recursive: true, withFileTypes: true })) {
    if (entry.isFile() && ids.some((id) => entry.name === `${id}.json`)) {
      await rm(join(entry.parentPath, entry.name));
      removed += 1;
    }
  }
  return removed;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'patchboard-serve-refresh-'));
  await generateFleet({ outDir: join(dir, 'fleet'), nodes: 40, accounts: 2, days: 1, seed: 19, at: AT });
  nodeIds = (await readTruth(join(dir, 'fleet'))).nodes.map((n) => n.nodeId);
  source = join(dir, 'source');
  await cp(join(dir, 'fleet', 'bucket'), source, { recursive: true });
}, 120_000);

afterAll(async () => {
  await server?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('serve --ingest --every', () => {
  it('refuses a malformed --every, and --every without --ingest, saying what it expects', async () => {
    const db = join(dir, 'unused.duckdb');
    const malformed = await runPatchboard('serve', '--db', db, '--ingest', source, '--every', '90 minutes');
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toContain(
      'expected a duration from 1s to 24d: a whole number and one of s, m, h, d (e.g. 30s, 15m, 1h, 1d), got "90 minutes".',
    );
    const tooShort = await runPatchboard('serve', '--db', db, '--ingest', source, '--every', '0s');
    expect(tooShort.code).toBe(2);
    const alone = await runPatchboard('serve', '--db', db, '--every', '1h');
    expect(alone.code).toBe(2);
    expect(alone.stderr).toContain('--every given without --ingest');
  });

  it('ingests at start, picks up a changed source, survives a failing refresh and recovers', async () => {
    const db = join(dir, 'served.duckdb');
    server = await startServe(PATCHBOARD_BIN, [
      '--db',
      db,
      '--no-token',
      '--ingest',
      source,
      '--every',
      '2s',
    ]);
    // The first ingest ran before the link was printed: every generated node is there.
    const first = await meta();
    expect(first.nodes).toBe(nodeIds.length);
    expect(first.refresh?.every).toBe('2s');
    expect(first.refresh?.lastRefreshedAt).toMatch(ISO_UTC);
    expect(first.refresh?.lastFailure).toBeUndefined();

    // Three nodes leave the source: a later refresh closes them, without a restart.
    const gone = nodeIds.slice(0, 3);
    expect(await removeNodes(source, gone)).toBeGreaterThanOrEqual(3);
    await expect.poll(async () => (await meta()).nodes, WAIT).toBe(nodeIds.length - 3);
    const nodes = (await (await fetch(`${server.origin}/api/nodes?limit=500`)).json()) as {
      total: number;
      rows: { node_id: string }[];
    };
    expect(nodes.total).toBe(nodeIds.length - 3);
    expect(nodes.rows.map((r) => r.node_id).sort()).toEqual(nodeIds.slice(3).sort());

    // The source disappears: the refresh fails, the overview says so and why, the data stays.
    const away = `${source}-away`;
    await rename(source, away);
    await expect.poll(async () => (await meta()).refresh?.lastFailure?.reason ?? '', WAIT).toContain(source);
    const failed = await meta();
    expect(failed.nodes).toBe(nodeIds.length - 3);
    expect(failed.refresh?.lastFailure?.at).toMatch(ISO_UTC);
    const report = (await (await fetch(`${server.origin}/api/reports/fleet-summary`)).json()) as {
      rows: { nodes: number }[];
    };
    expect(report.rows[0]?.nodes).toBe(nodeIds.length - 3);
    expect(server.stderr()).toMatch(
      /Refresh failed at \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ: .*still serving the last good data/,
    );

    // The overview says it, in UTC.
    const browser = await chromium.launch({
      executablePath: process.env.PATCHBOARD_CHROMIUM ?? '/usr/bin/chromium',
      headless: true,
      args: ['--no-sandbox', '--disable-dev-shm-usage'],
    });
    try {
      const page = await browser.newPage();
      await page.goto(`${server.origin}/`);
      const shown = page.getByTestId('refresh-failed');
      await shown.waitFor({ timeout: 30_000 });
      const failure = await shown.textContent();
      expect(failure).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC: .+\. Showing the last good data\.$/);
      expect(failure).toContain(source);
      expect(await page.getByTestId('refresh-every').textContent()).toBe('2s');
      expect(await page.getByTestId('refresh-last').textContent()).toMatch(
        /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/,
      );
    } finally {
      await browser.close();
    }

    // The source is back: the next refresh succeeds and the failure is cleared.
    await rename(away, source);
    await expect.poll(async () => (await meta()).refresh?.lastFailure, WAIT).toBeUndefined();
    expect((await meta()).refresh?.lastRefreshedAt).toMatch(ISO_UTC);
  }, 240_000);
});
