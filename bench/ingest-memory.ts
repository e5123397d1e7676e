/**
 * One ingest of a bucket copy in a process of its own, as `patchboard ingest` runs it (32 objects read at once
 * from a folder), so its peak memory is the ingest's alone. Prints one JSON line: the ingest's summary, its time
 * and the process's peak resident memory.
 *
 *   ingest-memory.ts <bucket> <db> [fresh|again]   fresh (default) removes the database first
 */
import { rm } from 'node:fs/promises';
import { closeDatabase, ingest, openDatabase } from '@patchboard/engine-duckdb';
import { LocalFolderSource } from '@patchboard/cli';

const [bucket, dbPath, mode = 'fresh'] = process.argv.slice(2);
if (!bucket || !dbPath || !['fresh', 'again'].includes(mode)) {
  throw new Error(
    `usage: ingest-memory.ts <bucket> <db> [fresh|again]; got ${process.argv.slice(2).join(' ')}`,
  );
}
if (mode === 'fresh') {
  await rm(dbPath, { force: true });
  await rm(`${dbPath}.wal`, { force: true });
}
const db = await openDatabase(dbPath);
const started = performance.now();
const summary = await ingest(db.connection, new LocalFolderSource(bucket), { readConcurrency: 32 });
const ms = performance.now() - started;
closeDatabase(db);
console.log(
  JSON.stringify({
    ms,
    objectsRead: summary.objectsRead,
    objectsUnchanged: summary.objectsUnchanged,
    records: summary.records,
    rowsStored: summary.rowsStored,
    phasesMs: summary.phasesMs,
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
  }),
);
