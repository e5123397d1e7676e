/**
 * `npm run bench`: ingest and report speed, each figure next to a baseline measured in the same run.
 *
 *   BENCH_NODES=10000 (default)   fleet size
 *   BENCH_MEMORY=1                also ingest 100,000 nodes in a child process and report its peak memory
 *
 * Targets (issue: foundation): ingest within 1.5x of DuckDB's own read_json over the same files; every report
 * under 100 ms at 10,000 nodes; 100,000 nodes ingest in under 4 GB of memory. Figures are printed, never
 * asserted: these machines are noisy.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { compileReport, DEFAULT_POLICY, INVENTORY_TYPES, REPORTS } from '@patchboard/core';
import { DuckDbQueryEngine, ingest, openDatabase } from '@patchboard/engine-duckdb';
import { generateFleet } from '@patchboard/generator';
import { LocalFolderSource } from '../packages/cli/src/sources/local-folder.js';

const NODES = Number(process.env.BENCH_NODES ?? 10_000);
const OUT = join(import.meta.dirname, 'out');
const AT = '2026-10-31T12:00:00Z';

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const start = performance.now();
  const value = await fn();
  return [value, performance.now() - start];
}

async function fleet(nodes: number): Promise<string> {
  const dir = join(OUT, `fleet-${nodes}`);
  if (!existsSync(join(dir, 'bucket'))) {
    const [, ms] = await timed(() =>
      generateFleet({ outDir: dir, nodes, accounts: 3, regions: 2, seed: 42, at: AT }),
    );
    console.log(`generated ${nodes} nodes in ${seconds(ms)}`);
  }
  return join(dir, 'bucket');
}

/** DuckDB alone: every stored type read with read_json into a table of a fresh database file. */
async function readJsonBaseline(bucket: string, dbPath: string): Promise<number> {
  await rm(dbPath, { force: true });
  const db = await openDatabase(dbPath);
  const [, ms] = await timed(async () => {
    for (const type of INVENTORY_TYPES) {
      const glob = join(bucket, type.typeName, '*', '*', '*', '*.json').replaceAll("'", "''");
      await db.connection.run(
        `CREATE TABLE baseline_${type.table} AS SELECT * FROM read_json('${glob}', format = 'newline_delimited',
           hive_partitioning = true, hive_types = {'accountid': VARCHAR}, union_by_name = true, ignore_errors = true)`,
      );
    }
  });
  db.connection.closeSync();
  db.instance.closeSync();
  return ms;
}

async function main(): Promise<void> {
  await mkdir(OUT, { recursive: true });
  const bucket = await fleet(NODES);

  // Alternate the two so neither always gets the warmer page cache.
  const baseline1 = await readJsonBaseline(bucket, join(OUT, 'baseline.duckdb'));
  const dbPath = join(OUT, 'patchboard.duckdb');
  await rm(dbPath, { force: true });
  const db = await openDatabase(dbPath);
  const [summary, ingestMs] = await timed(() => ingest(db.connection, new LocalFolderSource(bucket)));
  const baseline2 = await readJsonBaseline(bucket, join(OUT, 'baseline.duckdb'));
  const baseline = Math.min(baseline1, baseline2);
  const [again, reingestMs] = await timed(() => ingest(db.connection, new LocalFolderSource(bucket)));

  console.log(`\nIngest of ${NODES} nodes (${summary.objectsRead} objects, ${summary.rowsStored} rows)`);
  console.log(`  patchboard ingest      ${seconds(ingestMs)}`);
  console.log(`  duckdb read_json       ${seconds(baseline)}   (baseline, best of 2)`);
  console.log(`  ratio                  ${(ingestMs / baseline).toFixed(2)}x   (target <= 1.5x)`);
  console.log(`  unchanged re-ingest    ${seconds(reingestMs)}   (${again.objectsRead} objects read)`);

  const engine = new DuckDbQueryEngine(db);
  const context = { policy: DEFAULT_POLICY, now: Date.parse(AT), dialect: engine.dialect };
  console.log(`\nReport latency at ${NODES} nodes (median / max of 7 runs after 1 warm-up; target < 100 ms)`);
  for (const report of REPORTS) {
    const { query } = compileReport(report.id, {}, context);
    await engine.run(query);
    const times: number[] = [];
    for (let i = 0; i < 7; i++) times.push((await timed(() => engine.run(query)))[1]);
    times.sort((a, b) => a - b);
    console.log(
      `  ${report.id.padEnd(44)} ${times[3]!.toFixed(1).padStart(7)} ms  ${times[6]!.toFixed(1).padStart(7)} ms`,
    );
  }
  await engine.close();

  if (process.env.BENCH_MEMORY === '1') {
    const big = await fleet(100_000);
    const child = join(import.meta.dirname, 'ingest-memory.ts');
    const output = execFileSync(
      process.execPath,
      ['--conditions=@patchboard/source', '--import', 'tsx', child, big, join(OUT, 'big.duckdb')],
      {
        encoding: 'utf8',
      },
    );
    console.log(`\n100,000 nodes: ${output.trim()}   (target < 4 GB)`);
  }
}

await main();
