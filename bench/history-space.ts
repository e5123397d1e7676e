/**
 * `npm run bench:history`: what thirty days of history cost, next to one day's state measured in the same run.
 *
 *   BENCH_NODES=10000 (default)   fleet size
 *   BENCH_DAYS=30 (default)       days generated and ingested, oldest first
 *
 * Target (issue: history): history for 30 days takes less than 3x the space of one day's state. Both sides are
 * measured the same way: their tables copied into a fresh DuckDB file, checkpointed, and the file's size read.
 * Figures are printed, never asserted.
 */
import { readdirSync, statSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { LocalFolderSource } from '@patchboard/cli';
import { compileReport, DEFAULT_POLICY, INVENTORY_TYPES, TIME_LOGS } from '@patchboard/core';
import { DuckDbQueryEngine, ingest, openDatabase, type OpenedDatabase } from '@patchboard/engine-duckdb';
import { generatedFleet, OUT, setting } from './common.js';

const NODES = setting('BENCH_NODES', 10_000);
const DAYS = setting('BENCH_DAYS', 30);
const AT = '2026-10-31T00:00:00Z';
const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

/** Copies the named tables into a new database file and returns its size after a checkpoint. */
async function storedBytes(db: OpenedDatabase, tables: string[], file: string): Promise<number> {
  await rm(file, { force: true });
  await db.connection.run(`ATTACH '${file.replaceAll("'", "''")}' AS measure`);
  for (const table of tables)
    await db.connection.run(`CREATE TABLE measure.${table} AS SELECT * FROM ${table}`);
  await db.connection.run(`CHECKPOINT measure`);
  await db.connection.run(`DETACH measure`);
  const bytes = statSync(file).size;
  await rm(file, { force: true });
  return bytes;
}

async function rowCount(db: OpenedDatabase, tables: string[]): Promise<number> {
  let total = 0;
  for (const table of tables) {
    const reader = await db.connection.runAndReadAll(`SELECT count(*) FROM ${table}`);
    total += Number(reader.getRowsJS()[0]?.[0] ?? 0);
  }
  return total;
}

const { dir } = await generatedFleet(`history-${NODES}x${DAYS}`, {
  nodes: NODES,
  accounts: 3,
  regions: 2,
  days: DAYS,
  seed: 42,
  at: AT,
});
const dbPath = join(OUT, 'history.duckdb');
await rm(dbPath, { force: true });
const db = await openDatabase(dbPath);
const current = INVENTORY_TYPES.map((t) => t.table);
// Everything history keeps: the intervals, the time logs (scans, agent reports) and the per-object observations.
const history = [
  ...current.map((t) => `${t}_history`),
  ...TIME_LOGS.map((log) => log.table),
  'history_observations',
];
let firstDay = { bytes: 0, rows: 0 };
let opened = 0;
let closed = 0;
let itemChanges = 0;
const dates = readdirSync(join(dir, 'days')).sort();
const started = performance.now();
for (const [d, date] of dates.entries()) {
  const summary = await ingest(db.connection, new LocalFolderSource(join(dir, 'days', date)));
  if (d === 0) {
    firstDay = {
      bytes: await storedBytes(db, current, join(OUT, 'measure.duckdb')),
      rows: summary.rowsStored,
    };
  } else {
    opened += summary.historyOpened;
    closed += summary.historyClosed;
  }
  if (d === dates.length - 1) itemChanges = summary.historyOpened;
  process.stdout.write(`\r  ingested ${d + 1}/${dates.length} days`);
}
const ingestSeconds = (performance.now() - started) / 1000;
const historyBytes = await storedBytes(db, history, join(OUT, 'measure.duckdb'));
const historyRows = await rowCount(db, history);
const lastState = await storedBytes(db, current, join(OUT, 'measure.duckdb'));
const lastRows = await rowCount(db, current);
// The last day as a fresh ingest stores it: its tables are not fragmented by 29 days of replacements.
const freshPath = join(OUT, 'history-last-day.duckdb');
await rm(freshPath, { force: true });
const fresh = await openDatabase(freshPath);
await ingest(fresh.connection, new LocalFolderSource(join(dir, 'days', dates.at(-1) ?? '')));
const lastFresh = await storedBytes(fresh, current, join(OUT, 'measure.duckdb'));
fresh.connection.closeSync();
fresh.instance.closeSync();
await rm(freshPath, { force: true });
console.log(
  `\n${NODES} nodes, ${dates.length} daily snapshots ingested oldest first in ${ingestSeconds.toFixed(1)} s`,
);
console.log(`  one day's state (day 1):   ${mib(firstDay.bytes)}, ${firstDay.rows} rows`);
console.log(
  `  one day's state (day ${dates.length}):  ${mib(lastState)} after ${dates.length} days of changes, ${mib(lastFresh)} ingested fresh; ${lastRows} rows`,
);
console.log(`  history of ${dates.length} days:     ${mib(historyBytes)}, ${historyRows} rows`);
console.log(
  `  ratio history / one day:   ${(historyBytes / firstDay.bytes).toFixed(2)}x of day 1, ${(historyBytes / lastFresh).toFixed(2)}x of day ${dates.length} fresh (target < 3x); intervals opened after day 1: ${opened} (${((100 * opened) / Math.max(1, firstDay.rows) / Math.max(1, dates.length - 1)).toFixed(2)}% of day-1 rows per day), closed: ${closed}; last day opened ${itemChanges}`,
);
await db.connection.run('CHECKPOINT');
console.log(`  whole database file (current + history + bookkeeping): ${mib(statSync(dbPath).size)}`);

// As-of reports next to the same report on the current tables (its floor, same run): first run / warm median.
const engine = new DuckDbQueryEngine(db);
const last = Date.parse(`${dates.at(-1) ?? ''}T00:00:00Z`);
const middle = Date.parse(`${dates[Math.floor(dates.length / 2)] ?? ''}T00:00:00Z`);
const timed = async (id: string, at: number, asOf: boolean) => {
  const { query } = compileReport(id, {}, { policy: DEFAULT_POLICY, now: at, dialect: engine.dialect });
  const times: number[] = [];
  for (let run = 0; run < 5; run++) {
    const start = performance.now();
    await engine.run(query, asOf ? { asOf: at } : {});
    times.push(performance.now() - start);
  }
  const warm = times.slice(1).sort((a, b) => a - b)[2] ?? 0;
  return `${times[0]?.toFixed(0)} / ${warm.toFixed(0)} ms`;
};
console.log('  report (first / warm median): now at the last day | as of the last day | as of mid-month');
for (const id of ['fleet-summary', 'team-environment', 'node-compliance', 'missing-patches']) {
  console.log(
    `    ${id.padEnd(18)} ${await timed(id, last, false)} | ${await timed(id, last, true)} | ${await timed(id, middle, true)}`,
  );
}
