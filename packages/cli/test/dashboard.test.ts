/**
 * `patchboard serve` on a generated fleet, driven by Debian's Chromium through playwright-core: every page's
 * numbers against the CLI's own reports (run as a separate process) and the generator's ground truth, the
 * hostile tag as text, the API's validation and access control, and an ingest committing while it serves.
 * Screenshots go to test-artifacts/dashboard/.
 */
import { execFile } from 'node:child_process';
import { request } from 'node:http';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ingest, openDatabase, closeDatabase } from '@patchboard/engine-duckdb';
import { generateFleet, readTruth, type TruthNode } from '@patchboard/generator';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveContext } from '../src/context.js';
import { startDashboard } from '../src/commands/serve.js';
import { LocalFolderSource } from '../src/sources/local-folder.js';

const AT = '2026-10-31T00:00:00Z';
const DAYS = 6;
const BIN = join(import.meta.dirname, '..', 'bin', 'patchboard.js');
const ARTIFACTS = join(import.meta.dirname, '..', '..', '..', 'test-artifacts', 'dashboard');
const HOSTILE = '<img src=x onerror=alert(1)>';

let dir: string;
let db: string;
let dates: string[];
let truth: TruthNode[];
let dashboard: { url: string; close: () => Promise<void> };
let origin: string;
let cookie: string;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const dialogs: string[] = [];
const cspViolations: string[] = [];
/** The API paths the browser asked for, in order. */
const apiRequests: string[] = [];

/** The CLI in its own process, as a user would run it. */
async function cli(...args: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)(process.execPath, [BIN, '--db', db, '--now', AT, ...args], {
    maxBuffer: 64 * 1024 * 1024,
  });
  return stdout;
}
/** The CLI looking back: `--as-of` is also its evaluation time, so it takes no `--now`. */
async function cliAsOf(asOf: string, ...args: string[]): Promise<{ rows: Record<string, unknown>[] }> {
  const { stdout } = await promisify(execFile)(process.execPath, [
    BIN,
    '--db',
    db,
    '--as-of',
    asOf,
    ...args,
    '--format',
    'json',
  ]);
  return JSON.parse(stdout) as { rows: Record<string, unknown>[] };
}
const cliJson = async (...args: string[]) =>
  JSON.parse(await cli(...args, '--format', 'json')) as { rows: Record<string, unknown>[] };

const api = (path: string, init: RequestInit = {}) =>
  fetch(`${origin}${path}`, { ...init, headers: { cookie, ...(init.headers ?? {}) } });
const apiJson = async (path: string) => {
  const response = await api(path);
  expect(response.status, path).toBe(200);
  return (await response.json()) as Record<string, unknown> & { rows: Record<string, unknown>[] };
};

/** Waits for a value on the page; generous, because a busy CI machine may take seconds for a first answer. */
const poll = <T>(read: () => Promise<T>) => expect.poll(read, { timeout: 20_000, interval: 100 });
const shot = (name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
const text = (testId: string) => page.getByTestId(testId).first().innerText();
const waitForChart = (testId: string) =>
  page.locator(`[data-testid="${testId}"] svg path`).nth(2).waitFor({ state: 'attached' });

beforeAll(async () => {
  await mkdir(ARTIFACTS, { recursive: true });
  dir = await mkdtemp(join(tmpdir(), 'patchboard-dashboard-'));
  dates = (await generateFleet({ outDir: dir, nodes: 300, accounts: 3, days: DAYS, seed: 23, at: AT }))
    .snapshots;
  truth = (await readTruth(dir)).nodes;
  db = join(dir, 'p.duckdb');
  // Every day but the last: the last is ingested while the dashboard serves.
  const opened = await openDatabase(db);
  for (const date of dates.slice(0, -1))
    await ingest(opened.connection, new LocalFolderSource(join(dir, 'days', date)));
  closeDatabase(opened);

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
  context = await browser.newContext({
    viewport: { width: 1400, height: 900 },
    // A zone other than the machine's UTC, so switching to the browser's zone shows.
    timezoneId: 'Europe/Berlin',
  });
  page = await context.newPage();
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.pathname.startsWith('/api/')) apiRequests.push(`${url.pathname}${url.search}`);
  });
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
  });
  // The browser opens the printed link once; the API calls below share its session.
  await page.goto(dashboard.url);
  const session = (await context.cookies()).find((c) => c.name === 'patchboard_session');
  cookie = `patchboard_session=${session?.value}`;
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await dashboard?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('the dashboard in Chromium', () => {
  it('Overview: the fleet figures are the CLI’s fleet-summary', async () => {
    const [summary] = (await cliJson('report', 'fleet-summary')).rows;
    expect(new URL(page.url()).search).toBe('');
    await page.getByTestId('kpi-nodes').waitFor();
    expect(await text('kpi-nodes')).toBe(String(summary?.nodes));
    expect(await text('kpi-compliance_pct')).toBe(`${String(summary?.compliance_pct)} %`);
    for (const key of ['compliant', 'non_compliant', 'stale', 'not_scanned', 'inactive']) {
      expect(await text(`kpi-${key}`), key).toBe(String(summary?.[key]));
    }
    await waitForChart('chart-team');
    await waitForChart('chart-severity');
    await shot('overview');
    // Each view of the first page is asked once: the first look at the data version does not ask them again.
    await page.getByTestId('evaluated-at').waitFor();
    await page.waitForLoadState('networkidle');
    const reports = apiRequests.filter((path) => path.startsWith('/api/reports/'));
    expect(reports.length).toBeGreaterThanOrEqual(9);
    expect(reports.length).toBe(new Set(reports).size);
  });

  it('Nodes: filters narrow the table to the CLI’s rows and live in the URL; a node page opens', async () => {
    await page.getByRole('link', { name: 'Nodes', exact: true }).click();
    const [summary] = (await cliJson('report', 'fleet-summary')).rows;
    await page.getByTestId('nodes-total').waitFor();
    expect(await text('nodes-total')).toBe(String(summary?.nodes));
    const team = 'payments';
    await page.getByLabel('team').selectOption(team);
    await page.waitForURL(/team=payments/);
    const teamRows = (await cliJson('report', 'node-compliance', '--param', `team=${team}`)).rows;
    await poll(() => text('nodes-total')).toBe(String(teamRows.length));
    await page.getByLabel('status').selectOption('NON_COMPLIANT');
    const narrowed = teamRows.filter((r) => r.status === 'NON_COMPLIANT');
    await poll(() => text('nodes-total')).toBe(String(narrowed.length));
    expect(narrowed.length).toBeLessThan(teamRows.length);
    const rows = page.getByTestId('nodes-table').locator('tbody tr');
    expect(await rows.count()).toBe(Math.min(50, narrowed.length));
    await shot('nodes-filtered');

    // The same view from its address alone, as a shared link would give it.
    await page.goto(`${origin}/nodes?team=${team}&status=NON_COMPLIANT&sort=missing_count&order=desc`);
    await poll(() => text('nodes-total')).toBe(String(narrowed.length));
    const most = Math.max(...narrowed.map((r) => r.missing_count as number));
    const firstRow = page.getByTestId('nodes-table').locator('tbody tr').first();
    const header = await page.getByTestId('nodes-table').locator('thead th').allInnerTexts();
    const missingColumn = header.findIndex((h) => h.startsWith('missing_count'));
    expect(await firstRow.locator('td').nth(missingColumn).innerText()).toBe(String(most));

    const nodeId = await firstRow.locator('td a').first().innerText();
    await firstRow.locator('td a').first().click();
    await page.getByTestId('node-node_id').waitFor();
    expect(await text('node-node_id')).toBe(nodeId);
    const detail = JSON.parse(await cli('node', nodeId, '--format', 'json')) as {
      patches: unknown[];
      tags: unknown[];
    };
    await poll(() => page.getByTestId('node-patches').locator('tbody tr').count()).toBe(
      detail.patches.length,
    );
    expect(await page.getByTestId('node-tags').locator('tbody tr').count()).toBe(detail.tags.length);
    await shot('node');
  });

  it('a hostile tag value shows as its characters; no script runs, no dialog fires, no CSP violation', async () => {
    const hostile = truth.find((n) => n.name === HOSTILE);
    expect(hostile).toBeDefined();
    await page.goto(`${origin}/nodes?q=${encodeURIComponent('<img')}`);
    await poll(() => text('nodes-total')).toBe('1');
    const table = page.getByTestId('nodes-table');
    await poll(() => table.innerText()).toContain(HOSTILE);
    expect(await table.locator('img').count()).toBe(0);
    await table.locator('td a').first().click();
    await page.getByTestId('node-tags').waitFor();
    expect(await page.getByTestId('node-tags').innerText()).toContain(HOSTILE);
    expect(await page.locator('img').count()).toBe(0);
    await shot('hostile-tag');
    expect(dialogs).toEqual([]);
    expect(cspViolations).toEqual([]);
  });

  it('Teams: one card per Team x Environment with the CLI’s compliance %', async () => {
    const rows = (await cliJson('report', 'team-environment')).rows;
    await page.getByRole('link', { name: 'Teams', exact: true }).click();
    await page.getByTestId('team-card').first().waitFor();
    expect(await page.getByTestId('team-card').count()).toBe(rows.length);
    const shown = [];
    for (const card of await page.getByTestId('team-card').all()) {
      shown.push({
        team: await card.getByTestId('team-name').innerText(),
        environment: await card.getByTestId('team-environment').innerText(),
        pct: await card.getByTestId('team-compliance').innerText(),
      });
    }
    expect(shown).toEqual(
      rows.map((r) => ({
        team: r.team,
        environment: r.environment,
        pct: typeof r.compliance_pct === 'number' ? String(r.compliance_pct) : '',
      })),
    );
    await shot('teams');
  });

  it('Patches and CVE: overdue items and the evidence for one patch equal the CLI’s', async () => {
    const overdue = (await cliJson('report', 'overdue-patches')).rows;
    await page.getByRole('link', { name: 'Patches', exact: true }).click();
    await poll(() => text('overdue-count')).toBe(overdue.length.toLocaleString('en-US'));
    await waitForChart('chart-patch-states');
    await shot('patches');

    const patch = String(overdue[0]?.patch_id);
    const evidence = (await cliJson('cve', '--patch', patch)).rows;
    await page.getByRole('link', { name: 'CVE', exact: true }).click();
    await page.getByLabel('CVE or patch id').fill(patch);
    await page.getByRole('button', { name: 'Search' }).click();
    await poll(() => text('cve-affected')).toBe(String(evidence.length));
    expect(await text('cve-fixed')).toBe(String(evidence.filter((r) => r.installed_time !== null).length));
    expect(await page.getByTestId('cve-table').locator('tbody tr').count()).toBe(evidence.length);
    expect(page.url()).toContain(`patch=${encodeURIComponent(patch)}`);
    await shot('cve');

    // A CVE search says how many active nodes it cannot see: Ubuntu's and Debian's, whose items carry no CVE ids.
    const missing = (await cliJson('report', 'missing-patches')).rows;
    const cve = missing
      .map((r) => (typeof r.cve_ids === 'string' ? r.cve_ids : ''))
      .find((ids) => ids !== '')
      ?.split(',')[0];
    expect(cve).toMatch(/^CVE-/);
    const seen = truth.filter((n) => n.status !== 'INACTIVE' && n.status !== 'UNMANAGED');
    const apt = seen.filter((n) => n.platformName === 'Ubuntu' || n.platformName.startsWith('Debian')).length;
    expect(apt).toBeGreaterThan(0);
    await page.getByLabel('CVE or patch id').fill(String(cve));
    await page.getByRole('button', { name: 'Search' }).click();
    await poll(() => text('cve-blind-spot')).toContain(`${apt} of ${seen.length} active nodes (`);
  });

  it('Trends and Data quality: the trend’s points and the coverage counts equal the CLI’s', async () => {
    const from = dates[0]!;
    const trend = (await cliJson('trend', '--from', from)).rows;
    await page.goto(`${origin}/trends?from=${from}`);
    await waitForChart('chart-trend');
    expect(await page.getByTestId('trend-table').locator('tbody tr').count()).toBe(trend.length);
    await shot('trends');

    const [summary] = (await cliJson('report', 'fleet-summary')).rows;
    await page.getByRole('link', { name: 'Data quality', exact: true }).click();
    await poll(() => text('quality-stale')).toBe(String(summary?.stale));
    // Each count is its own request: wait for each, not only the first.
    await poll(() => text('quality-not-scanned')).toBe(String(summary?.not_scanned));
    const untagged = (await cliJson('report', 'node-compliance', '--param', 'team=(untagged)')).rows;
    expect(untagged.length).toBeGreaterThan(0);
    await poll(() => text('quality-no-team')).toBe(String(untagged.length));
    await shot('data-quality');
  });

  it('looks back to the end of a past day: Overview and Nodes equal the CLI with --as-of', async () => {
    const day = dates[1]!;
    const [then] = (await cliAsOf(`${day}T23:59:59Z`, 'report', 'fleet-summary')).rows;
    const [now] = (await cliJson('report', 'fleet-summary')).rows;
    expect(then).not.toEqual(now);
    await page.goto(`${origin}/?asOf=${day}`);
    await poll(() => text('kpi-compliance_pct')).toBe(`${String(then?.compliance_pct)} %`);
    for (const key of ['nodes', 'compliant', 'non_compliant', 'stale', 'not_scanned', 'inactive']) {
      expect(await text(`kpi-${key}`), key).toBe(String(then?.[key]));
    }
    expect(await text('evaluated-at')).toContain(`the end of ${day} (UTC)`);
    await shot('overview-as-of');
    await page.getByRole('link', { name: 'Nodes', exact: true }).click();
    await page.waitForURL(new RegExp(`asOf=${day}`));
    const nonCompliantThen = (
      await cliAsOf(`${day}T23:59:59Z`, 'report', 'node-compliance', '--param', 'status=NON_COMPLIANT')
    ).rows;
    await page.getByLabel('status').selectOption('NON_COMPLIANT');
    await poll(() => text('nodes-total')).toBe(String(nonCompliantThen.length));
    await page.goto(`${origin}/`);
  });

  it('shows every time in UTC, or in the browser’s zone when asked', async () => {
    const footer = await text('evaluated-at');
    expect(footer).toContain('2026-10-31 00:00:00 UTC');
    await page.getByLabel('Times in').selectOption('local');
    await poll(() => text('evaluated-at')).toContain('2026-10-31 01:00:00 Europe/Berlin');
    await page.reload();
    expect(await text('evaluated-at')).toContain('Europe/Berlin');
    await page.getByLabel('Times in').selectOption('UTC');
  });
});

describe('the dashboard API', () => {
  it('answers with the CLI’s JSON and CSV, byte for byte', async () => {
    const json = await apiJson('/api/reports/fleet-summary?group-by=team');
    expect(json).toEqual(
      JSON.parse(await cli('report', 'fleet-summary', '--param', 'group-by=team', '--format', 'json')),
    );
    const csv = await api('/api/reports/team-environment?format=csv');
    expect(csv.headers.get('content-type')).toContain('text/csv');
    expect(await csv.text()).toBe(await cli('report', 'team-environment', '--format', 'csv'));
    const pdf = await api('/api/nodes?team=payments&format=pdf');
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(
      Buffer.from(await pdf.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');
  });

  it('validates parameters and binds them: a bad value is a 400 that says why, a quote is just a character', async ({
    task,
  }) => {
    const bad = await api('/api/reports/node-compliance?status=BROKEN');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toMatch(/status/);
    const unknown = await api('/api/reports/node-compliance?sql=SELECT%201');
    expect(unknown.status).toBe(400);
    expect((await api('/api/reports/no-such-report')).status).toBe(404);
    const injected = await apiJson(`/api/reports/node-compliance?team=${encodeURIComponent("x' OR '1'='1")}`);
    expect(injected.rows).toEqual([]);
    expect((await api('/api/nodes?sort=password')).status).toBe(400);
    expect((await api('/api/nodes?limit=5&limit=6')).status).toBe(400);
    task.meta.figures = { area: 'dashboard API: bad and hostile query strings', cases: 6 };
  });

  it('lets no one in without the session; the token worked once; other Host names are refused', async ({
    task,
  }) => {
    expect((await fetch(`${origin}/api/meta`)).status).toBe(401);
    const again = await fetch(dashboard.url, { redirect: 'manual' });
    expect(again.status).toBe(401);
    expect(((await again.json()) as { error: { message: string } }).error.message).toMatch(/already used/);
    const headers = (await api('/')).headers;
    const csp = headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    const status = await new Promise<number | undefined>((resolve, reject) => {
      const url = new URL(origin);
      request(
        { host: url.hostname, port: url.port, path: '/api/meta', headers: { host: 'evil.example', cookie } },
        (r) => {
          r.resume();
          resolve(r.statusCode);
        },
      )
        .on('error', reject)
        .end();
    });
    expect(status).toBe(403);
    // Nothing changes state, so there is nothing to forge: any other method is refused.
    for (const method of ['POST', 'PUT', 'DELETE']) {
      expect((await api('/api/reports/fleet-summary', { method })).status, method).toBe(404);
    }
    // A token that was tried is never echoed back.
    const guess = 'guessed-token-1234567890';
    const wrong = await fetch(`${origin}/?token=${guess}`, { redirect: 'manual' });
    expect(await wrong.text()).not.toContain(guess);
    // No session, the spent token, the CSP, a foreign Host, three methods, a guessed token.
    task.meta.figures = { area: 'dashboard access', cases: 8 };
  });

  it('keeps answering while an ingest runs in another process, then shows the committed data', async () => {
    const before = (await apiJson('/api/meta')).dataVersion;
    await page.getByRole('link', { name: 'Overview', exact: true }).click();
    const compliantBefore = await text('kpi-compliant');
    const last = dates.at(-1)!;
    const running = cli('ingest', join(dir, 'days', last));
    let finished = false;
    void running.finally(() => (finished = true));
    const statuses: number[] = [];
    const deadline = Date.now() + 120_000;
    while (!finished && Date.now() < deadline) {
      statuses.push((await api('/api/reports/fleet-summary')).status);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await running;
    expect(statuses.length).toBeGreaterThan(0);
    expect(new Set(statuses)).toEqual(new Set([200]));
    await expect
      .poll(async () => (await apiJson('/api/meta')).dataVersion, { timeout: 15_000, interval: 300 })
      .not.toBe(before);
    const [summary] = (await apiJson('/api/reports/fleet-summary')).rows;
    const count = (status: string) => truth.filter((n) => n.status === status).length;
    expect(summary).toMatchObject({
      nodes: truth.length,
      compliant: count('COMPLIANT'),
      non_compliant: count('NON_COMPLIANT'),
      stale: count('STALE'),
      not_scanned: count('NOT_SCANNED'),
    });
    // The page left open sees the new data version and asks its views again.
    expect(compliantBefore).not.toBe(String(count('COMPLIANT')));
    await poll(() => text('kpi-compliant')).toBe(String(count('COMPLIANT')));
  });
});
