/** Ingests one bucket copy into a fresh database and prints the time and the process's peak memory. */
import { rm } from 'node:fs/promises';
import { ingest, openDatabase } from '@patchboard/engine-duckdb';
import { LocalFolderSource } from '../packages/cli/src/sources/local-folder.js';

const [bucket, dbPath] = process.argv.slice(2);
if (!bucket || !dbPath) throw new Error('usage: ingest-memory.ts <bucket> <db>');
await rm(dbPath, { force: true });
const db = await openDatabase(dbPath);
const start = performance.now();
const summary = await ingest(db.connection, new LocalFolderSource(bucket));
const seconds = (performance.now() - start) / 1000;
const peakGb = process.resourceUsage().maxRSS / 1024 / 1024;
console.log(
  `ingest ${summary.objectsRead} objects, ${summary.rowsStored} rows in ${seconds.toFixed(1)} s, peak RSS ${peakGb.toFixed(2)} GB`,
);
