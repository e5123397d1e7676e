/**
 * Every bench script at smoke scale (a hundred nodes, a few seconds of load), as its own process the way
 * `npm run bench…` runs it: a bench that breaks fails the suite instead of rotting until someone needs it.
 * The figures are checked for being printed and for what holds at any scale (an unchanged re-ingest reads
 * nothing, no request fails), never for speed: the times of a shared CI machine say nothing.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { REPORTS } from '@patchboard/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const NODES = '100';
/** A bench at smoke scale takes seconds; a loaded machine, minutes. */
const TIMEOUT_MS = 600_000;
let out: string;

beforeAll(async () => {
  out = await mkdtemp(join(tmpdir(), 'patchboard-bench-'));
});
afterAll(() => rm(out, { recursive: true, force: true }));

/** Runs bench/<script> as its npm script does, with the smoke settings; returns what it printed. */
async function bench(script: string, env: Record<string, string>): Promise<string> {
  const { stdout, stderr } = await run(
    process.execPath,
    ['--conditions=@patchboard/source', '--import', 'tsx', join(import.meta.dirname, script)],
    {
      env: { ...process.env, BENCH_OUT: out, BENCH_NODES: NODES, ...env },
      maxBuffer: 64 * 1024 * 1024,
      timeout: 480_000,
    },
  );
  return `${stdout}${stderr}`;
}

describe('the bench scripts at smoke scale', () => {
  it(
    'npm run bench prints every figure of the table next to its target',
    async () => {
      const output = await bench('ingest-and-reports.ts', { BENCH_REPEAT: '1', BENCH_START_RUNS: '1' });
      expect(output).toMatch(/plain read \+ JSON\.parse \(floor\) +\d+\.\d\d s/);
      expect(output).toMatch(/ingest vs the floor +\d+\.\d\d s = \d+\.\d\dx +<= 2x/);
      expect(output).toMatch(/ingest peak RSS +\d\.\d\d GB +< 4 GB/);
      const objects = /ingest read (\d+) objects/.exec(output)?.[1];
      expect(Number(objects)).toBeGreaterThan(Number(NODES));
      // Nothing changed between the two ingests: the second reads no object and skips every one.
      expect(output).toMatch(
        new RegExp(
          `unchanged re-ingest +\\d+\\.\\d\\d s = \\d+% of the first \\(0 read, ${objects} unchanged\\)`,
        ),
      );
      for (const report of REPORTS) {
        expect(output).toMatch(
          new RegExp(`report ${report.id} +\\d+ ms first, \\d+ ms warm \\(\\d+ rows\\) +< \\d+ ms`),
        );
      }
      for (const command of ['--version', '--help', 'reports']) {
        expect(output).toMatch(
          new RegExp(`CLI start: patchboard ${command} +\\d+ ms median, \\d+ ms min +< 300 ms`),
        );
      }
    },
    TIMEOUT_MS,
  );

  it(
    'npm run bench:history prints the space history takes next to one day',
    async () => {
      const output = await bench('history-space.ts', { BENCH_DAYS: '3' });
      expect(output).toMatch(/100 nodes, 3 daily snapshots ingested oldest first/);
      expect(output).toMatch(/ratio history \/ one day: +\d+\.\d\dx of day 1/);
    },
    TIMEOUT_MS,
  );

  it(
    'npm run bench:s3 ingests from Swift and prints the re-ingests next to a plain download',
    async () => {
      const output = await bench('s3-ingest.ts', {});
      expect(output).toMatch(/unchanged re-ingest +\d+\.\d\d s +\(0 objects read;/);
      expect(output).toMatch(/1% changed re-ingest +\d+\.\d\d s +\([1-9]\d* objects read;/);
      expect(output).toMatch(/SDK parallel download +\d+\.\d\d s/);
    },
    TIMEOUT_MS,
  );

  it(
    'npm run reliability runs the dashboard bench under load with an ingest, and its summary',
    async () => {
      // The fault and property tests are in the suite already; this runs the load part and the summary.
      const output = await bench('reliability.ts', {
        RELIABILITY_TESTS: '0',
        BENCH_DAYS: '3',
        BENCH_CLIENTS: '5',
        BENCH_SECONDS: '8',
        BENCH_SATURATION_SECONDS: '1',
        BENCH_THINK_MS: '200-500',
      });
      expect(output).toMatch(/failed requests: 0; \d+ requests\/s/);
      expect(output).toMatch(/ingest during the load: exit 0 after/);
      expect(output).toMatch(/first page, Overview interactive \(figures and navigation\): \d+\.\d ms/);
      expect(output).toMatch(/client bundle: \d+ KiB/);
      expect(output).toMatch(/dashboard load .* requests served/s);
    },
    TIMEOUT_MS,
  );
});
