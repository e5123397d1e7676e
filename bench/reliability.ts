/**
 * `npm run reliability`: the long fault and load runs, then one table of what they tried and what came of it.
 *
 *   RELIABILITY_KILL_TRIALS=20      kill -9 points during an ingest (3 in `npm test`)
 *   RELIABILITY_PROPERTY_RUNS=2000  inputs per parser property (300 in `npm test`)
 *   RELIABILITY_LOAD=1              the dashboard under 50 visitors for 60 s while an ingest runs (0 skips it)
 *   RELIABILITY_TESTS=1             the fault and property tests (0 skips them: `RELIABILITY_TESTS=0 npm run
 *                                   reliability` runs the load part alone)
 *
 * The tests are the same files `npm test` runs, with more trials; each reports its figures in its vitest
 * `meta` (types/vitest-figures.d.ts), read here from the JSON reporter. Exits 1 when a test fails or a request
 * fails under load; times are printed, never judged here.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Table from 'cli-table3';

const ROOT = join(import.meta.dirname, '..');
const FILES = [
  'packages/core/src/parsers.property.test.ts',
  'packages/cli/test/hostile-input.test.ts',
  'packages/cli/test/interrupted-ingest.test.ts',
  'packages/cli/test/disk-full.test.ts',
  'packages/cli/test/reports.test.ts',
  'packages/cli/test/dashboard.test.ts',
  'packages/cli/test/s3-source.test.ts',
  'packages/cli/test/collect-kill.test.ts',
  'packages/engine-athena/test/query-engine.test.ts',
];

interface Figures {
  area: string;
  cases?: number;
  faults?: number;
  errors?: number;
}
interface JsonReport {
  testResults: { assertionResults: { status: string; fullName: string; meta?: { figures?: Figures } }[] }[];
}
interface LoadFigures {
  visitors: number;
  seconds: number;
  ingest: string;
  requests: number;
  failures: number;
  worstViewP99Ms: number;
  allP99Ms: number;
  saturationRequestsPerSecond: number;
  rssFirstMiB: number;
  rssMaxMiB: number;
  rssLastMiB: number;
  newDataSeenAtSeconds?: number;
}

function run(command: string, args: string[], env: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, stdio: 'inherit', env: { ...process.env, ...env } });
    child.on('error', reject);
    child.on('exit', (code) => resolve(code ?? 1));
  });
}

const scratch = await mkdtemp(join(tmpdir(), 'patchboard-reliability-'));
try {
  const testsJson = join(scratch, 'tests.json');
  const testsWanted = (process.env.RELIABILITY_TESTS ?? '1') !== '0';
  const testsExit = !testsWanted
    ? 0
    : await run(
        process.execPath,
        [
          join(ROOT, 'node_modules', 'vitest', 'vitest.mjs'),
          'run',
          ...FILES,
          '--reporter=default',
          '--reporter=json',
          `--outputFile.json=${testsJson}`,
        ],
        {
          PATCHBOARD_KILL_TRIALS: process.env.RELIABILITY_KILL_TRIALS ?? '20',
          PATCHBOARD_PROPERTY_RUNS: process.env.RELIABILITY_PROPERTY_RUNS ?? '2000',
        },
      );
  const report: JsonReport = testsWanted
    ? (JSON.parse(await readFile(testsJson, 'utf8')) as JsonReport)
    : { testResults: [] };

  let load: LoadFigures | undefined;
  let loadExit = 0;
  if ((process.env.RELIABILITY_LOAD ?? '1') !== '0') {
    const loadJson = join(scratch, 'load.json');
    loadExit = await run(
      process.execPath,
      ['--conditions=@patchboard/source', '--import', 'tsx', join(ROOT, 'bench', 'dashboard-load.ts')],
      {
        // 10,000 nodes over 3 days, the last copy ingested during the load (the environment may say otherwise).
        BENCH_NODES: process.env.BENCH_NODES ?? '10000',
        BENCH_DAYS: process.env.BENCH_DAYS ?? '3',
        BENCH_EVERY_DAYS: process.env.BENCH_EVERY_DAYS ?? '1',
        BENCH_CLIENTS: process.env.BENCH_CLIENTS ?? '50',
        BENCH_SECONDS: process.env.BENCH_SECONDS ?? '60',
        BENCH_INGEST: 'next',
        BENCH_JSON: loadJson,
      },
    );
    load =
      (JSON.parse(await readFile(loadJson, 'utf8').catch(() => 'null')) as LoadFigures | null) ?? undefined;
  }

  // One row per area; tests without figures count under their file's purpose only when they fail.
  const areas = new Map<
    string,
    { tests: number; failed: number; cases: number; faults: number; errors: number }
  >();
  let failedTests = 0;
  for (const file of report.testResults) {
    for (const test of file.assertionResults) {
      if (test.status === 'failed') failedTests += 1;
      const figures = test.meta?.figures;
      if (!figures) continue;
      const row = areas.get(figures.area) ?? { tests: 0, failed: 0, cases: 0, faults: 0, errors: 0 };
      row.tests += 1;
      if (test.status !== 'passed') row.failed += 1;
      row.cases += figures.cases ?? 0;
      row.faults += figures.faults ?? 0;
      row.errors += figures.errors ?? 0;
      areas.set(figures.area, row);
    }
  }
  /** Borders without a rule between every row. */
  const CHARS = { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' };
  const count = (n: number) => (n === 0 ? '' : n.toLocaleString('en-US'));
  const table = new Table({
    head: ['area', 'tests', 'cases tried', 'faults injected', 'bad input reported', 'failed'],
    style: { head: [], border: [] },
    chars: CHARS,
    colAligns: ['left', 'right', 'right', 'right', 'right', 'right'],
  });
  for (const [area, row] of areas) {
    table.push([area, row.tests, count(row.cases), count(row.faults), count(row.errors), String(row.failed)]);
  }
  console.log('\nReliability summary');
  console.log(table.toString());
  console.log(`tests failed in these files (with or without figures): ${failedTests}`);
  if (load) {
    const loadTable = new Table({
      head: [
        'dashboard load',
        'requests served',
        'errors',
        'p99, worst view',
        'p99, all',
        'capacity',
        'memory (RSS)',
      ],
      style: { head: [], border: [] },
      chars: CHARS,
    });
    loadTable.push([
      `${load.visitors} visitors x ${load.seconds} s, ingest ${load.ingest}, ${load.newDataSeenAtSeconds === undefined ? 'new data not shown yet at the end' : `new data shown from ${load.newDataSeenAtSeconds.toFixed(0)} s`}`,
      load.requests.toLocaleString('en-US'),
      String(load.failures),
      `${load.worstViewP99Ms.toFixed(0)} ms`,
      `${load.allP99Ms.toFixed(0)} ms`,
      `${load.saturationRequestsPerSecond.toFixed(0)} requests/s`,
      `first ${load.rssFirstMiB.toFixed(0)}, max ${load.rssMaxMiB.toFixed(0)}, last ${load.rssLastMiB.toFixed(0)} MiB`,
    ]);
    console.log(loadTable.toString());
  } else if ((process.env.RELIABILITY_LOAD ?? '1') !== '0') {
    console.log(`the load run did not finish (exit ${loadExit})`);
  }
  const loadWanted = (process.env.RELIABILITY_LOAD ?? '1') !== '0';
  const ok =
    testsExit === 0 &&
    failedTests === 0 &&
    loadExit === 0 &&
    (!loadWanted || load !== undefined) &&
    (load?.failures ?? 0) === 0;
  process.exitCode = ok ? 0 : 1;
} finally {
  await rm(scratch, { recursive: true, force: true });
}
