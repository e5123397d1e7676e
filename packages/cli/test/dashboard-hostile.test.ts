/**
 * `patchboard serve` on the hostile bucket (test/support/hostile-bucket.ts), driven by Debian's Chromium:
 * charts whose labels name members of Object.prototype leave it untouched, hovering a chart raises no
 * Content-Security-Policy violation, invisible characters show as escapes, and the API refuses a repeated
 * `format` and sends no HSTS over plain HTTP.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveContext } from '../src/context.js';
import { startDashboard } from '../src/commands/serve.js';
import { AT, writeHostileBucket } from './support/hostile-bucket.js';
import { runPatchboard } from './support/run-cli.js';

let dir: string;
let dashboard: { url: string; close: () => Promise<void> };
let origin: string;
let cookie: string;
let browser: Browser;
let page: Page;
const cspViolations: string[] = [];
const pageErrors: string[] = [];

/** Own property names of Object.prototype and of Object, in the page: what a polluting cache writes to. */
const prototypeMembers = () =>
  page.evaluate(() => [Object.getOwnPropertyNames(Object.prototype), Object.getOwnPropertyNames(Object)]);

/** The mouse over each category of a horizontal bar chart, top to bottom; each tooltip's heading, if any. */
async function hoverEachCategory(testId: string, categories: number): Promise<string[]> {
  const chart = page.getByTestId(testId);
  await chart.locator('svg path').nth(2).waitFor({ state: 'attached' });
  const box = (await chart.boundingBox())!;
  const headings: string[] = [];
  for (let i = 0; i < categories; i += 1) {
    // Bars fill the plot between the legend (about 36 px) and the bottom; aim at the middle of the i-th band.
    const y = box.y + 36 + ((box.height - 44) * (i + 0.5)) / categories;
    await page.mouse.move(box.x + box.width * 0.6, y, { steps: 2 });
    const heading = chart.locator('.chart-tooltip-heading');
    // Whatever draws the tooltip, it has had time to (and to trip the policy, if it would).
    await heading.waitFor({ state: 'visible', timeout: 2_000 }).catch(() => undefined);
    headings.push((await heading.count()) === 1 ? (await heading.innerText()).trim() : '');
  }
  return headings;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'patchboard-dashboard-hostile-'));
  await writeHostileBucket(join(dir, 'bucket'));
  const db = join(dir, 'p.duckdb');
  expect((await runPatchboard('ingest', join(dir, 'bucket'), '--db', db)).code).toBe(0);
  dashboard = await startDashboard(await resolveContext({ db, now: AT }), {
    host: '127.0.0.1',
    port: 0,
    token: true,
    fixedTime: true,
  });
  origin = new URL(dashboard.url).origin;
  browser = await chromium.launch({
    executablePath: process.env.PATCHBOARD_CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-dev-shm-usage'],
  });
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  page = await context.newPage();
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
  });
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(dashboard.url);
  const session = (await context.cookies()).find((c) => c.name === 'patchboard_session');
  cookie = `patchboard_session=${session?.value}`;
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await dashboard?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('the dashboard with hostile values', () => {
  it('draws teams named __proto__, constructor and toString, leaves Object.prototype alone, hovers cleanly', async () => {
    const before = await prototypeMembers();
    expect(before[0]).not.toContain('prev');
    await page.goto(`${origin}/`);
    // The fleet's four teams, by name.
    const headings = await hoverEachCategory('chart-team', 4);
    await hoverEachCategory('chart-environment', 1);
    expect(cspViolations).toEqual([]);
    expect(await prototypeMembers()).toEqual(before);
    expect(await page.evaluate(() => Object.keys({}))).toEqual([]);
    expect(pageErrors).toEqual([]);
    expect(headings).toEqual(['__proto__', 'constructor', 'data', 'toString']);
    const labels = await page.getByTestId('chart-team').locator('svg text').allTextContents();
    for (const team of ['__proto__', 'constructor', 'toString']) {
      expect(labels.map((l) => l.trim())).toContain(team);
    }
    // The environment that starts with a line break shows it escaped, on one line.
    const environments = await page.getByTestId('chart-environment').locator('svg text').allTextContents();
    expect(environments).toContain('\\u000a__proto__');
  }, 60_000);

  it('shows bidi overrides and zero-width characters as escapes', async () => {
    await page.goto(`${origin}/nodes?q=invoice`);
    const table = page.getByTestId('nodes-table');
    await expect
      .poll(() => table.innerText(), { timeout: 20_000 })
      .toContain('invoice\\u202etxt.exe ad\\u200bmin');
    expect(await table.innerText()).not.toMatch(/[\u202e\u200b]/);
    expect(cspViolations).toEqual([]);
  }, 60_000);

  it('refuses a repeated format and sends no HSTS over plain HTTP', async () => {
    const api = (path: string) => fetch(`${origin}${path}`, { headers: { cookie } });
    for (const path of [
      '/api/reports/fleet-summary?format=csv&format=json',
      '/api/nodes?format=json&format=csv',
    ]) {
      const repeated = await api(path);
      expect(repeated.status, path).toBe(400);
      expect(((await repeated.json()) as { error: { message: string } }).error.message).toBe(
        'Parameter format was given 2 times; give it once.',
      );
    }
    const once = await api('/api/reports/fleet-summary?format=csv');
    expect(once.status).toBe(200);
    expect(once.headers.get('strict-transport-security')).toBeNull();
    expect((await fetch(`${origin}/`)).headers.get('strict-transport-security')).toBeNull();
  });
});
