/**
 * `npm run bench:dashboard`: the dashboard under load, next to DuckDB running the same reports directly.
 *
 *   BENCH_NODES=100000 (default)  fleet size (generated over BENCH_DAYS days when no BENCH_DB; 10 accounts x 3
 *                                 Regions)
 *   BENCH_DAYS=30 (default)
 *   BENCH_EVERY_DAYS=7 (default)  ingest one copy every 7 days back from the last, as a weekly cron would: the
 *                                 generator writes only those days (byte-identical to its daily copies of them),
 *                                 so 30 days of history at 100,000 nodes take 5 ingests instead of 30; 1 ingests
 *                                 every day
 *   BENCH_DB=path                 an existing database instead (e.g. bench/out/history.duckdb)
 *   BENCH_CLIENTS=50, BENCH_SECONDS=60 visitors, and how long they visit
 *   BENCH_THINK_MS=1000-3000      a visitor's pause between pages (a person reads for longer; this is harsh)
 *   BENCH_SATURATION_SECONDS=10   then the same visitors with no pause at all: the server's capacity
 *   BENCH_INGEST=path             a bucket copy to ingest while the visitors are on (the served database is
 *                                 then a scratch copy, so BENCH_DB is left as it was); `next`: the generated
 *                                 fleet's last copy, kept out of the database for this
 *   BENCH_JSON=path               also write the figures as JSON (the reliability summary reads them)
 *
 * Targets (issue: organisation scale): at 100,000 nodes and 30 days, API p99 under 250 ms for every view with 50
 * visitors, the first Overview under 1.5 s, server memory flat; the client bundle under 1 MB. A visitor opens a
 * page — the page's requests at once, as the browser sends them — reads it, and opens another; visitors arrive
 * over one think time. `patchboard serve` runs in its own process on loopback; the visitors are this process.
 * Figures are printed, never asserted.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { copyFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { LocalFolderSource } from '@patchboard/cli';
import { compileReport, DEFAULT_POLICY } from '@patchboard/core';
import { CLIENT_DIRECTORY } from '@patchboard/dashboard';
import { closeDatabase, DuckDbQueryEngine, ingest, openDatabase } from '@patchboard/engine-duckdb';
import { chromium } from 'playwright-core';
import { BIN, generatedFleet, OUT, percentile, seconds, setting, timed } from './common.js';

const NODES = setting('BENCH_NODES', 100_000);
const DAYS = setting('BENCH_DAYS', 30);
const EVERY_DAYS = Math.max(1, setting('BENCH_EVERY_DAYS', 7));
const CLIENTS = setting('BENCH_CLIENTS', 50);
/** A visitor's pause between pages, from–to in milliseconds: `BENCH_THINK_MS=1000-3000`. */
const THINK_MS = (process.env.BENCH_THINK_MS ?? '1000-3000').split('-').map(Number) as [number, number];
const SATURATION_SECONDS = Math.min(setting('BENCH_SATURATION_SECONDS', 10), 120);
const SECONDS = Math.min(setting('BENCH_SECONDS', 60), 300);
const AT = '2026-10-31T00:00:00Z';
const ms = (value: number) => `${value.toFixed(1)} ms`;

/** The generated fleet's day folders; with BENCH_INGEST=next the last one is kept for the load. */
const NEXT_DAY = process.env.BENCH_INGEST === 'next';

/** The database to serve; for a generated fleet also its first copy's date and the copy kept for the load. */
async function database(): Promise<{ path: string; firstDay?: string; nextDay?: string }> {
  if (process.env.BENCH_DB) {
    if (NEXT_DAY) throw new Error('BENCH_INGEST=next needs a generated fleet: leave BENCH_DB unset.');
    return { path: process.env.BENCH_DB };
  }
  const name = `dashboard-${NODES}x${DAYS}${EVERY_DAYS > 1 ? `every${EVERY_DAYS}` : ''}`;
  const { dir } = await generatedFleet(name, {
    nodes: NODES,
    accounts: 10,
    regions: 3,
    // Two copies at least: the days/ folders are what is ingested.
    days: Math.max(DAYS, 2),
    everyDays: Math.min(EVERY_DAYS, Math.max(DAYS, 2) - 1),
    seed: 42,
    at: AT,
  });
  const days = readdirSync(join(dir, 'days')).sort();
  const ingested = NEXT_DAY ? days.slice(0, -1) : days;
  const path = join(OUT, `${name}${NEXT_DAY ? '-but-last' : ''}.duckdb`);
  const nextDay = NEXT_DAY ? join(dir, 'days', days.at(-1)!) : undefined;
  const firstDay = days[0];
  if (existsSync(path)) return { path, firstDay, nextDay };
  await rm(`${path}.partial`, { force: true });
  const db = await openDatabase(`${path}.partial`);
  const [, took] = await timed(async () => {
    for (const day of ingested) {
      const [summary, dayMs] = await timed(() =>
        ingest(db.connection, new LocalFolderSource(join(dir, 'days', day)), { readConcurrency: 32 }),
      );
      console.log(
        `ingested ${day}: ${summary.objectsRead} objects read, ${summary.objectsUnchanged} unchanged in ${seconds(dayMs)}`,
      );
    }
  });
  console.log(`built ${path} from ${ingested.length} copies in ${seconds(took)}`);
  closeDatabase(db);
  await rm(path, { force: true });
  await rename(`${path}.partial`, path);
  return { path, firstDay, nextDay };
}

const { path: source, firstDay, nextDay } = await database();
const INGEST = nextDay ?? process.env.BENCH_INGEST;
// An ingest during the load writes to a scratch copy, never to the database named.
const dbPath = INGEST ? join(OUT, 'dashboard-scratch.duckdb') : source;
if (INGEST) {
  await rm(`${dbPath}.wal`, { force: true });
  await copyFile(source, dbPath);
}

// The serve command in its own process, as a user runs it.
const server = spawn(process.execPath, [BIN, 'serve', '--db', dbPath, '--now', AT, '--port', '0'], {
  stdio: ['ignore', 'pipe', 'inherit'],
});
const url = await new Promise<string>((resolve, reject) => {
  let seen = '';
  server.stdout.on('data', (chunk: Buffer) => {
    seen += chunk.toString();
    const match = /http:\/\/\S+/.exec(seen);
    if (match) resolve(match[0]);
  });
  server.once('exit', (code) => reject(new Error(`serve exited with ${code}`)));
});
const origin = new URL(url).origin;
const login = await fetch(url, { redirect: 'manual' });
const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;

try {
  const get = async (path: string): Promise<{ ms: number; body: unknown }> => {
    const started = performance.now();
    const response = await fetch(`${origin}${path}`, { headers: { cookie } });
    const body = await response.json();
    if (!response.ok) throw new Error(`${path}: ${response.status} ${JSON.stringify(body)}`);
    return { ms: performance.now() - started, body };
  };

  // The views, as the pages ask for them.
  // The trend from the first copy ingested (history starts there), at most 30 days back.
  const from = firstDay ?? new Date(Date.parse(AT) - 29 * 86_400_000).toISOString().slice(0, 10);
  const meta = (await get('/api/meta')).body as { facets: Record<string, string[]>; nodes: number };
  // Patches missing somewhere now: the evidence a visitor looks up (a young fleet may have none overdue yet).
  const missing = (await get('/api/reports/missing-patches')).body as { rows: { patch_id: string }[] };
  if (missing.rows.length === 0) throw new Error('The fleet has no missing patch to look up evidence for.');
  const dataVersionBefore = (meta as unknown as { dataVersion: string }).dataVersion;
  const somePage = (await get('/api/nodes?limit=1000')).body as {
    rows: { account_id: string; region: string; node_id: string }[];
  };
  const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)]!;
  const reports: Record<string, string> = {
    'fleet-summary': '/api/reports/fleet-summary',
    'fleet-summary by team': '/api/reports/fleet-summary?group-by=team',
    'fleet-summary by baseline': '/api/reports/fleet-summary?group-by=baseline',
    'severity-summary': '/api/reports/severity-summary',
    'team-environment': '/api/reports/team-environment',
    'missing-patches': '/api/reports/missing-patches',
    'overdue-patches': '/api/reports/overdue-patches?minDays=14&classification=security',
    mttr: '/api/reports/mttr?by=severity',
    'ingest-errors': '/api/reports/ingest-errors',
  };
  const views: Record<string, () => string> = {
    ...Object.fromEntries(Object.entries(reports).map(([name, path]) => [name, () => path])),
    meta: () => '/api/meta',
    'nodes (random filters, sort, page)': () => {
      const params = new URLSearchParams();
      const facet = pick(['team', 'environment', 'account', 'platform', 'region']);
      params.set(facet, pick(meta.facets[facet] ?? ['']));
      if (Math.random() < 0.5) params.set('status', pick(['COMPLIANT', 'NON_COMPLIANT', 'STALE']));
      if (Math.random() < 0.3) params.set('q', pick(['web', 'i-0', 'api', 'prod']));
      params.set('sort', pick(['node_id', 'missing_count', 'last_scan_time', 'highest_severity']));
      params.set('order', pick(['asc', 'desc']));
      params.set('offset', String(50 * Math.floor(Math.random() * 4)));
      return `/api/nodes?${params.toString()}`;
    },
    'node page (random node)': () => {
      const node = pick(somePage.rows);
      return `/api/nodes/${node.account_id}/${node.region}/${encodeURIComponent(node.node_id)}`;
    },
    'cve evidence (random missing patch)': () =>
      `/api/reports/cve-evidence?patch=${encodeURIComponent(pick(missing.rows).patch_id)}`,
    'trend (every day)': () => `/api/trend?from=${from}`,
  };

  // The pages of the client and the views each one asks for at once.
  const pages: string[][] = [
    ['meta', 'fleet-summary', 'fleet-summary by team', 'fleet-summary by baseline', 'severity-summary'],
    ['nodes (random filters, sort, page)'],
    ['node page (random node)'],
    ['missing-patches', 'overdue-patches', 'severity-summary'],
    ['cve evidence (random missing patch)'],
    ['team-environment'],
    ['trend (every day)', 'mttr'],
    ['ingest-errors'],
  ];
  const load = async (clients: number, seconds: number, [thinkMin, thinkMax]: readonly number[]) => {
    const samples = new Map<string, number[]>(Object.keys(views).map((name) => [name, []]));
    /** Every request as [seconds into the load when it was sent, milliseconds it took]. */
    const timeline: [number, number][] = [];
    /** Seconds into the load when a visitor first saw another data version than the one at the start. */
    let newDataAt: number | undefined;
    let failures = 0;
    const started = performance.now();
    const deadline = started + seconds * 1000;
    const think = () =>
      new Promise((resolve) =>
        setTimeout(
          resolve,
          Math.min(thinkMin! + Math.random() * (thinkMax! - thinkMin!), deadline - performance.now()),
        ),
      );
    await Promise.all(
      Array.from({ length: clients }, async () => {
        // Visitors arrive over one think time, as people do, not all in the same millisecond.
        await think();
        while (performance.now() < deadline) {
          await Promise.all(
            pick(pages).map(async (name) => {
              const at = (performance.now() - started) / 1000;
              try {
                const { ms, body } = await get(views[name]!());
                samples.get(name)!.push(ms);
                timeline.push([at, ms]);
                const version = (body as { dataVersion?: string }).dataVersion;
                if (name === 'meta' && version !== dataVersionBefore) newDataAt ??= at;
              } catch {
                failures += 1;
              }
            }),
          );
          await think();
        }
      }),
    );
    return { samples, failures, timeline, newDataAt };
  };
  /** p99 per 10 seconds of the load: where the slow requests were (an ingest, the switch to its data). */
  const windows = (timeline: [number, number][], seconds: number) =>
    Array.from({ length: Math.ceil(seconds / 10) }, (_, i) => {
      const times = timeline
        .filter(([at]) => at >= i * 10 && at < (i + 1) * 10)
        .map(([, took]) => took)
        .sort((a, b) => a - b);
      return {
        from: i * 10,
        to: Math.min((i + 1) * 10, seconds),
        requests: times.length,
        p99Ms: percentile(times, 99),
        maxMs: times.at(-1) ?? NaN,
      };
    });
  /** Prints one row per view and returns every sample, sorted. */
  const table = (samples: Map<string, number[]>, withBaselines: boolean): number[] => {
    console.log(
      'view'.padEnd(40) +
        'requests'.padStart(9) +
        'p50'.padStart(11) +
        'p95'.padStart(11) +
        'p99'.padStart(11) +
        (withBaselines ? 'cold'.padStart(11) + 'duckdb direct'.padStart(15) : ''),
    );
    const all: number[] = [];
    for (const [name, times] of samples) {
      const sorted = [...times].sort((a, b) => a - b);
      all.push(...sorted);
      const base = direct.get(name);
      console.log(
        name.padEnd(40) +
          String(sorted.length).padStart(9) +
          ms(percentile(sorted, 50)).padStart(11) +
          ms(percentile(sorted, 95)).padStart(11) +
          ms(percentile(sorted, 99)).padStart(11) +
          (withBaselines
            ? ms(cold.get(name) ?? NaN).padStart(11) + (base === undefined ? '' : ms(base)).padStart(15)
            : ''),
      );
    }
    all.sort((a, b) => a - b);
    console.log(
      `${'all views'.padEnd(40)}${String(all.length).padStart(9)}${ms(percentile(all, 50)).padStart(11)}${ms(percentile(all, 95)).padStart(11)}${ms(percentile(all, 99)).padStart(11)}`,
    );
    return all;
  };

  // Baseline: the same compiled reports run directly on DuckDB in this process, no HTTP, no cache.
  const direct = new Map<string, number>();
  {
    const engine = new DuckDbQueryEngine(await openDatabase(dbPath, { readOnly: true }));
    const context = { policy: DEFAULT_POLICY, now: Date.parse(AT), dialect: engine.dialect };
    for (const [name, path] of Object.entries(reports)) {
      const u = new URL(path, 'http://x');
      const id = u.pathname.split('/').pop()!;
      const params = Object.fromEntries(u.searchParams);
      const times: number[] = [];
      for (let i = 0; i < 3; i += 1) {
        const started = performance.now();
        await engine.run(compileReport(id, params, context).query);
        times.push(performance.now() - started);
      }
      direct.set(name, times.sort((a, b) => a - b)[1]!);
    }
    await engine.close();
  }

  // Cold: each view once, before anything is cached.
  const cold = new Map<string, number>();
  for (const [name, path] of Object.entries(views)) cold.set(name, (await get(path())).ms);

  // First page: Overview in Chromium until its figures and a chart are drawn (warm server, fresh browser).
  const browser = await chromium.launch({
    executablePath: process.env.PATCHBOARD_CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-dev-shm-usage'],
  });
  const interactive: number[] = [];
  const drawn: number[] = [];
  for (let i = 0; i < 3; i += 1) {
    const context = await browser.newContext();
    await context.addCookies([{ name: cookie.split('=')[0]!, value: cookie.split('=')[1]!, url: origin }]);
    const page = await context.newPage();
    const started = performance.now();
    await page.goto(`${origin}/`);
    // Interactive: the navigation and the fleet's figures are on screen.
    await page.getByTestId('kpi-nodes').waitFor();
    interactive.push(performance.now() - started);
    // Drawn: every chart of the Overview has its bars.
    for (const chart of [
      'chart-severity',
      'chart-account',
      'chart-region',
      'chart-team',
      'chart-environment',
      'chart-platform',
      'chart-baseline',
    ]) {
      await page.locator(`[data-testid="${chart}"] svg path`).nth(2).waitFor({ state: 'attached' });
    }
    drawn.push(performance.now() - started);
    await context.close();
  }
  await browser.close();

  // Load: CLIENTS visitors for SECONDS seconds. A visitor opens a page (its requests at once, as the browser
  // sends them), reads it for a think time, and opens the next; the ingest runs meanwhile.
  const loadStarted = performance.now();
  const rss: number[] = [];
  // The server's resident memory, once a second, to see whether it stays flat.
  const sampler = setInterval(() => {
    const status = readFileSync(`/proc/${server.pid}/status`, 'utf8');
    rss.push(Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024);
  }, 1000);
  // An ingest in its own process a few seconds into the load, as `patchboard ingest` would run from cron.
  /** When the ingest ran, in seconds into the load. */
  let ingestSeconds: [number, number] | undefined;
  const ingestRun = INGEST
    ? new Promise<string>((resolve) => {
        setTimeout(() => {
          const started = performance.now();
          const child = spawn(process.execPath, [BIN, 'ingest', INGEST, '--db', dbPath], { stdio: 'ignore' });
          child.on('exit', (code) => {
            ingestSeconds = [(started - loadStarted) / 1000, (performance.now() - loadStarted) / 1000];
            resolve(`exit ${code} after ${((performance.now() - started) / 1000).toFixed(1)} s`);
          });
        }, 5000);
      })
    : Promise.resolve('none');
  const visitors = await load(CLIENTS, SECONDS, THINK_MS);
  clearInterval(sampler);
  const ingestOutcome = await ingestRun;
  // Capacity: the same pages with no pause at all, so the server is saturated and latency is queueing.
  const saturated = await load(CLIENTS, SATURATION_SECONDS, [0, 0]);

  console.log(
    `\n${NODES.toLocaleString('en-US')}-node fleet (${meta.nodes} nodes in ${dbPath}); ${CLIENTS} visitors for ${SECONDS} s on loopback, each reading a page for ${THINK_MS[0] / 1000}–${THINK_MS[1] / 1000} s before the next${INGEST ? ', an ingest running' : ''}\n`,
  );
  const all = table(visitors.samples, true);
  console.log(`failed requests: ${visitors.failures}; ${(all.length / SECONDS).toFixed(0)} requests/s`);
  console.log(
    `\nsaturation: ${CLIENTS} clients with no pause for ${SATURATION_SECONDS} s (queueing, not service time)`,
  );
  const flat = table(saturated.samples, false);
  console.log(
    `failed requests: ${saturated.failures}; throughput ${(flat.length / SATURATION_SECONDS).toFixed(0)} requests/s`,
  );
  const inSeconds = (value: number) => `${value.toFixed(1)} s`;
  console.log(
    `ingest during the load: ${ingestOutcome}${ingestSeconds ? `, from ${inSeconds(ingestSeconds[0])} to ${inSeconds(ingestSeconds[1])} into the load` : ''}${INGEST ? `; ${visitors.newDataAt === undefined ? 'visitors still saw the old data at the end' : `visitors saw the new data from ${inSeconds(visitors.newDataAt)}`}` : ''}`,
  );
  const timeline = windows(visitors.timeline, SECONDS);
  console.log(
    `p99 by 10 s of the load: ${timeline.map((w) => `${w.from}–${w.to} s ${ms(w.p99Ms)}`).join(', ')}`,
  );
  // Flat means the second half of the run holds no more than the first half reached: caches fill, then stop.
  const half = rss.slice(0, Math.ceil(rss.length / 2));
  console.log(
    `server memory (RSS) during the load, sampled each second: first ${rss[0]?.toFixed(0)} MiB, max of the first half ${Math.max(...half).toFixed(0)} MiB, max ${Math.max(...rss).toFixed(0)} MiB, last ${rss.at(-1)?.toFixed(0)} MiB`,
  );
  if (process.env.BENCH_JSON) {
    const worst = Math.max(
      ...[...visitors.samples.values()].map((times) =>
        percentile(
          [...times].sort((a, b) => a - b),
          99,
        ),
      ),
    );
    writeFileSync(
      process.env.BENCH_JSON,
      JSON.stringify({
        visitors: CLIENTS,
        seconds: SECONDS,
        ingest: ingestOutcome,
        requests: all.length,
        failures: visitors.failures + saturated.failures,
        worstViewP99Ms: worst,
        allP99Ms: percentile(all, 99),
        saturationRequestsPerSecond: flat.length / SATURATION_SECONDS,
        rssFirstHalfMaxMiB: Math.max(...half),
        rssMaxMiB: Math.max(...rss),
        rssFirstMiB: rss[0],
        rssLastMiB: rss.at(-1),
        ingestSeconds,
        newDataSeenAtSeconds: visitors.newDataAt,
        timeline,
        // Each view under the visitors' load: requests and p50/p95/p99 in milliseconds.
        views: Object.fromEntries(
          [...visitors.samples].map(([name, times]) => {
            const sorted = [...times].sort((a, b) => a - b);
            return [
              name,
              {
                requests: sorted.length,
                ...Object.fromEntries([50, 95, 99].map((p) => [`p${p}Ms`, percentile(sorted, p)])),
              },
            ];
          }),
        ),
      }),
    );
  }
  console.log(
    `first page, Overview interactive (figures and navigation): ${interactive.map(ms).join(', ')} (target < 1500 ms); all 7 charts drawn: ${drawn.map(ms).join(', ')}`,
  );
  const scripts = readdirSync(join(CLIENT_DIRECTORY, 'assets')).filter((f) => /\.(js|css)$/.test(f));
  const bytes = scripts.reduce((sum, f) => sum + statSync(join(CLIENT_DIRECTORY, 'assets', f)).size, 0);
  const gzipped = scripts.reduce(
    (sum, f) => sum + gzipSync(readFileSync(join(CLIENT_DIRECTORY, 'assets', f))).length,
    0,
  );
  console.log(
    `client bundle: ${(bytes / 1024).toFixed(0)} KiB (${(gzipped / 1024).toFixed(0)} KiB gzipped) (target < 1 MB)`,
  );
} finally {
  server.kill('SIGTERM');
}
